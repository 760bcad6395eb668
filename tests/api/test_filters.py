"""List filters (DESIGN.md: "Lists filter by the contract's field names, ranges by
<field>_from / <field>_to; an unknown query parameter answers 400 naming it").

Every key field of the contract's resources filters its list by its own name; ranges are
named alike everywhere; an unknown parameter is refused by every API list (never silently
ignored, which answered every shift of a post for `?date=`). The list pages share the
FilterSets: the same filters work there, an unknown parameter is left alone, and an empty
choice reads 全部."""

import datetime
import re

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from duty.models import Assignment, AttendanceStatus
from supervision.models import Bulletin, SpotCheck
from huxue.api.routers import router
from org.models import User
from tests.factories import CalendarOverrideFactory, ShiftFactory

TZ = datetime.timezone(datetime.timedelta(hours=8))
DAY = datetime.date(2026, 12, 16)

# DESIGN.md, API contract, "Resources": each resource's key fields that a list filters by.
KEY_FILTERS = {
    "units": {"kind", "parent"},
    "people": {"kind", "unit", "school", "active"},
    "schools": {"kind", "station"},
    "terms": {"school"},
    "calendar-overrides": {"school", "date", "is_school_day"},
    "timetables": {"school", "period"},
    "posts": {"school", "station", "active"},
    "shifts": {"post", "date", "period", "status"},
    "assignments": {"shift", "person", "status"},
    "spot-checks": {"post", "shift", "method"},
    "bulletins": {"number"},
}
LIST_MACHINERY = {"page", "page_size", "ordering", "q", "format"}
from tests.fixtures import give_second_factor


@pytest.fixture
def root(cast):
    return User.objects.create_superuser("root", password="Test-pass-2026", unit=cast.bureau)


@pytest.fixture
def api(root):
    client = APIClient()
    give_second_factor(client, root)
    return client


def list_prefixes() -> list[str]:
    return [prefix for prefix, viewset, _basename in router.registry if hasattr(viewset, "list")]


def list_parameters() -> dict[str, set[str]]:
    """The query parameters each list documents, by resource."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    found = {}
    for prefix in list_prefixes():
        operation = schema["paths"][f"/api/v1/{prefix}/"]["get"]
        found[prefix] = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
    return found


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_every_key_field_of_the_contract_is_a_filter_of_its_list():
    parameters = list_parameters()
    for prefix, names in KEY_FILTERS.items():
        assert names <= parameters[prefix], (prefix, names - parameters[prefix])


def test_ranges_are_named_field_from_and_field_to_everywhere():
    for prefix, names in list_parameters().items():
        for name in names:
            assert not re.search(r"(__(gte?|lte?)|_after|_before|_min|_max)$", name), (prefix, name)
            if name.endswith("_from"):
                assert name.removesuffix("_from") + "_to" in names, (prefix, name)


@pytest.mark.parametrize("prefix", list_prefixes())
def test_every_list_refuses_an_unknown_query_parameter_naming_it(api, prefix):
    response = api.get(f"/api/v1/{prefix}/", {"colour": "red", "page_size": 10})
    assert response.status_code == 400, response.content
    assert list(response.json()) == ["colour"]


def test_the_list_machinery_and_the_documented_filters_are_not_unknown(api):
    for prefix, names in list_parameters().items():
        known = {name: "" for name in names | (LIST_MACHINERY & names)}
        known.update(page=1, page_size=5, format="json")
        response = api.get(f"/api/v1/{prefix}/", known)
        assert response.status_code == 200, (prefix, response.content)


def test_the_unknown_parameter_is_named_in_chinese(cast):
    client = APIClient()
    client.force_login(cast.alice)
    assert client.get("/api/v1/shifts/", {"day": "2026-12-16"}).json() == {"day": ["未知的查询参数。"]}


def test_shifts_filter_by_post_and_date(cast, api):
    wanted = ShiftFactory(post=cast.post_a, date=DAY)
    ShiftFactory(post=cast.post_a, date=DAY + datetime.timedelta(days=1))
    ShiftFactory(post=cast.post_a, date=DAY, period="pm")
    ShiftFactory(post=cast.post_b, date=DAY)
    assert ids(api.get("/api/v1/shifts/", {"post": cast.post_a.pk, "date": DAY, "period": "am"})) == {wanted.pk}
    assert len(ids(api.get("/api/v1/shifts/", {"post": cast.post_a.pk, "date": DAY}))) == 2


def test_assignments_filter_by_their_status_the_attendance(cast, api):
    shift = ShiftFactory(post=cast.post_a, date=DAY)
    late = Assignment.objects.create(shift=shift, person=cast.officer_a, station=cast.station_a,
                                     starts_at=shift.starts_at, ends_at=shift.ends_at,
                                     attendance=AttendanceStatus.LATE)
    response = api.get("/api/v1/assignments/", {"status": "late", "shift": shift.pk})
    assert ids(response) == {late.pk}
    assert response.json()["results"][0]["status"] == "late"
    assert ids(api.get("/api/v1/assignments/", {"status": "absent"})) == set()


def test_spot_checks_filter_by_shift_method_and_checked_at_range(cast, api, root):
    shift = ShiftFactory(post=cast.post_a, date=DAY)
    checked = SpotCheck.objects.create(post=cast.post_a, shift=shift, station=cast.station_a, method="video",
                                       checked_at=shift.starts_at, supervisor=root)
    SpotCheck.objects.create(post=cast.post_a, station=cast.station_a, method="onsite",
                             checked_at=shift.starts_at - datetime.timedelta(days=3), supervisor=root)
    assert ids(api.get("/api/v1/spot-checks/", {"shift": shift.pk})) == {checked.pk}
    assert ids(api.get("/api/v1/spot-checks/", {"method": "video"})) == {checked.pk}
    assert ids(api.get("/api/v1/spot-checks/", {"checked_at_from": DAY, "checked_at_to": DAY})) == {checked.pk}


def test_bulletins_filter_by_number_and_issue_date(cast, api, root):
    issued = datetime.datetime(2026, 12, 16, 9, 0, tzinfo=TZ)
    third = Bulletin.objects.create(unit=cast.bureau, title="第三期", period_start=DAY, period_end=DAY,
                                    status="issued", year=2026, number=3, issued_at=issued)
    Bulletin.objects.create(unit=cast.bureau, title="第四期", period_start=DAY, period_end=DAY, status="issued",
                            year=2026, number=4, issued_at=issued + datetime.timedelta(days=7))
    assert ids(api.get("/api/v1/bulletins/", {"number": 3})) == {third.pk}
    assert ids(api.get("/api/v1/bulletins/", {"issued_at_to": DAY})) == {third.pk}


def test_calendar_overrides_filter_by_date_and_people_by_hire_date_range(cast, api):
    exam = CalendarOverrideFactory(school=cast.school_a, date=DAY)
    CalendarOverrideFactory(school=cast.school_a, date=DAY + datetime.timedelta(days=1))
    assert ids(api.get("/api/v1/calendar-overrides/", {"date": DAY})) == {exam.pk}
    cast.officer_a.hire_date = DAY
    cast.officer_a.save()
    assert ids(api.get("/api/v1/people/", {"hire_date_from": DAY, "hire_date_to": DAY})) == {cast.officer_a.pk}


def test_a_list_page_shares_the_filters_and_ignores_an_unknown_parameter(cast, client):
    client.force_login(cast.alice)
    wanted = ShiftFactory(post=cast.post_a, date=DAY)
    ShiftFactory(post=cast.post_a, date=DAY + datetime.timedelta(days=1))
    response = client.get("/duty/shifts/", {"date": DAY.isoformat(), "colour": "red"})
    assert response.status_code == 200
    assert [row.pk for row in response.context["object_list"]] == [wanted.pk]


def test_an_empty_filter_choice_reads_all_not_dashes_or_unknown(cast, client):
    client.force_login(cast.alice)
    html = client.get("/org/people/").content.decode()
    kind = re.search(r'<select name="kind".*?</select>', html, re.S).group(0)
    active = re.search(r'<select name="active".*?</select>', html, re.S).group(0)
    assert '<option value="" selected>全部</option>' in kind
    assert '<option value="" selected>全部</option>' in active
    assert "---------" not in html and "未知" not in html
    chosen = client.get("/org/people/", {"active": "true"}).content.decode()
    active = re.search(r'<select name="active".*?</select>', chosen, re.S).group(0)
    assert '<option value="true" selected>是</option>' in active
