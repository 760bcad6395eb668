"""The audit administrator's search page: only he reads the trail (every other role gets 403,
itself a row of the trail), each filter narrows it, a row opens in full, and the export of
the filtered list is itself audited without exporting itself."""

import datetime
import io

import pytest
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import AuditAction, AuditEvent, AuditResult
from audit.services import audit_record, audit_verify
from tests.contracts import ROLES, PageContract

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_pages")]

LIST = "audit:auditevent_list"


def request_from(user, ip="10.0.0.1"):
    request = RequestFactory().get("/", REMOTE_ADDR=ip, HTTP_USER_AGENT="Firefox")
    request.user = user
    return request


class TestAuditTrailPages(PageContract):
    """Read only, for the auditor alone. The trail is the whole system's, not a station's: the
    404 for another station's object has no meaning here (the auditor reads every row)."""

    model = AuditEvent
    may_read = {"auditor"}
    may_write = set()
    writable_actions = set()

    def make_object(self, cast, station):
        return audit_record(action=AuditAction.LOGIN, request=request_from(cast.alice))

    def writer(self, cast):
        return cast.audrey

    def test_pages_answer_404_for_another_stations_object(self, cast, client):
        pytest.skip("the trail belongs to no station: the auditor reads every row")

    def test_the_auditor_reads_every_stations_rows(self, cast, client):
        theirs = audit_record(action=AuditAction.LOGIN, request=request_from(cast.bob))
        ours = audit_record(action=AuditAction.LOGIN, request=request_from(cast.alice))
        client.force_login(cast.audrey)
        shown = {row[0].pk for row in client.get(reverse(LIST)).context["rows"]}
        assert {theirs.pk, ours.pk} <= shown
        assert client.get(theirs.get_absolute_url()).status_code == 200


def test_every_other_role_is_refused_and_the_refusal_is_recorded(cast, client):
    for role in set(ROLES) - {"auditor"}:
        user = cast.user(role)
        client.force_login(user)
        assert client.get(reverse(LIST)).status_code == 403, role
        assert client.get(reverse(LIST), {"export": "xlsx"}).status_code == 403, role
        refused = AuditEvent.objects.filter(action=AuditAction.REFUSED, user=user).latest("seq")
        assert refused.detail["path"] == reverse(LIST)


def test_there_is_no_page_that_writes_a_row():
    for name, args in (("auditevent_add", []), ("auditevent_edit", [1]), ("auditevent_delete", [1]),
                       ("auditevent_import", [])):
        with pytest.raises(NoReverseMatch):
            reverse(f"audit:{name}", args=args)


def test_a_superuser_gets_no_write_link(cast, client, django_user_model):
    root = django_user_model.objects.create_superuser("root", password="x-Long-pass-1")
    event = audit_record(action=AuditAction.LOGIN, request=request_from(cast.alice))
    client.force_login(root)
    listing = client.get(reverse(LIST))
    assert listing.status_code == 200
    assert listing.context["add_url"] is None and listing.context["import_url"] is None
    detail = client.get(event.get_absolute_url())
    assert detail.context["edit_url"] is None and detail.context["delete_url"] is None


def test_the_columns_show_time_user_unit_ip_action_object_result_and_a_short_detail(cast, client):
    event = audit_record(action=AuditAction.READ_PERSONAL, request=request_from(cast.alice, "10.9.8.7"),
                         obj=cast.officer_a, detail={"via": "page", "long": "x" * 200})
    client.force_login(cast.audrey)
    response = client.get(reverse(LIST), {"action": "read_personal"})
    (obj, cells), = response.context["rows"]
    assert obj == event
    texts = [text for _column, text in cells]
    assert texts[:5] == [timezone.localtime(event.time).strftime("%Y-%m-%d %H:%M"), "alice", "仁里派出所",
                         "10.9.8.7", "Personal data read"]
    assert texts[5] == f"person {cast.officer_a}"
    assert texts[6] == "Succeeded"
    assert texts[7].startswith('{"long": "xxx') and len(texts[7]) <= 80
    assert f'href="{event.get_absolute_url()}"' in response.content.decode()


def test_a_row_in_full(cast, client):
    event = audit_record(action=AuditAction.CHANGE, request=request_from(cast.alice), obj=cast.school_a,
                         detail={"fields": ["name"]})
    client.force_login(cast.audrey)
    response = client.get(event.get_absolute_url())
    assert response.status_code == 200
    fields = dict(response.context["field_rows"])
    assert fields["object type"] == "posts.school"
    assert fields["object id"] == str(cast.school_a.pk)
    assert fields["user agent"] == "Firefox"
    assert fields["detail"] == '{"fields": ["name"]}'
    assert fields["hash"] == event.hash and fields["previous hash"] == event.prev_hash


@pytest.fixture
def trail(cast, time_machine):
    """Rows of every kind the filters tell apart, two days apart."""
    start = timezone.make_aware(datetime.datetime(2026, 9, 7, 8, 0))
    rows = {}
    for name, kwargs in (
        ("alice_login", {"action": AuditAction.LOGIN, "request": request_from(cast.alice)}),
        ("bob_login", {"action": AuditAction.LOGIN, "request": request_from(cast.bob)}),
        ("failed", {"action": AuditAction.LOGIN_FAILED, "username": "mallory", "result": AuditResult.FAILED}),
        ("school_change", {"action": AuditAction.CHANGE, "request": request_from(cast.alice),
                           "obj": cast.school_a}),
        ("refused", {"action": AuditAction.REFUSED, "request": request_from(cast.bob), "obj": cast.post_a,
                     "result": AuditResult.REFUSED}),
    ):
        time_machine.move_to(start, tick=False)
        rows[name] = audit_record(**kwargs)
        start += datetime.timedelta(days=2)
    time_machine.move_to(start, tick=False)
    return rows


def shown(client, **params) -> set[str]:
    response = client.get(reverse(LIST), params)
    assert response.status_code == 200, response.context["filter_form"].errors
    assert not response.context["filter_form"].errors
    return {obj.pk for obj, _cells in response.context["rows"]}


@pytest.mark.parametrize(("params", "expected"), [
    ({"time_from": "2026-09-09T00:00", "time_to": "2026-09-11T23:59"}, {"bob_login", "failed"}),
    ({"time_from": "2026-09-13T08:01"}, {"refused"}),
    ({"time_to": "2026-09-07 08:00"}, {"alice_login"}),
    ({"username": "MALL"}, {"failed"}),
    ({"action": "login"}, {"alice_login", "bob_login"}),
    ({"object_type": "posts.school"}, {"school_change"}),
    ({"result": "refused"}, {"refused"}),
    ({"action": "change", "object_type": "posts.school", "result": "ok"}, {"school_change"}),
])
def test_each_filter_narrows_the_trail(cast, client, trail, params, expected):
    client.force_login(cast.audrey)
    ids = shown(client, **params) & {row.pk for row in trail.values()}
    assert ids == {trail[name].pk for name in expected}


def test_filter_by_user_unit_and_object_id(cast, client, trail):
    client.force_login(cast.audrey)
    mine = {row.pk for row in trail.values()}
    assert shown(client, user=cast.alice.pk) & mine == {trail["alice_login"].pk, trail["school_change"].pk}
    assert shown(client, unit=cast.station_b.pk) & mine == {trail["bob_login"].pk, trail["refused"].pk}
    assert shown(client, object_type="posts.post", object_id=str(cast.post_a.pk)) & mine == {trail["refused"].pk}


def test_a_bad_filter_is_a_form_error_not_a_failure(cast, client):
    client.force_login(cast.audrey)
    response = client.get(reverse(LIST), {"time_from": "yesterday", "action": "steal", "user": "abc"})
    assert response.status_code == 200
    assert set(response.context["filter_form"].errors) == {"time_from", "action", "user"}


def workbook_rows(response) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return list(sheet.iter_rows(min_row=2, values_only=True))


def test_the_export_of_the_filtered_trail_is_itself_audited_and_does_not_export_itself(cast, client, trail):
    client.force_login(cast.audrey)
    before = AuditEvent.objects.count()
    logins = AuditEvent.objects.filter(action=AuditAction.LOGIN).count()
    first = client.get(reverse(LIST), {"export": "xlsx", "action": "login"})
    assert first.status_code == 200
    assert len(workbook_rows(first)) == logins  # not the export's own row
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("seq")
    assert (event.action, event.user_id, event.result) == (AuditAction.EXPORT, cast.audrey.pk, "ok")
    assert event.detail["model"] == "audit.auditevent"
    assert (event.detail["filters"], event.detail["rows"]) == ({"action": "login"}, logins)
    # The next export of exports holds the first export's row, once, and adds its own.
    second = client.get(reverse(LIST), {"export": "xlsx", "action": "export"})
    rows = workbook_rows(second)
    assert len(rows) == 1 and rows[0][1] == "audrey" and rows[0][4] == "Export"
    assert AuditEvent.objects.count() == before + 2
    assert audit_verify()[1] is None


def test_the_auditor_finds_the_trail_first_in_his_menu_and_no_one_else_finds_it(cast, client):
    for role in ROLES:
        client.force_login(cast.user(role))
        response = client.get(reverse("duty:notifications"))
        urls = [item["url"] for item in response.context["nav_items"] + response.context["nav_more"]]
        if role == "auditor":
            assert response.context["nav_items"][0]["url"] == reverse(LIST)
        else:
            assert reverse(LIST) not in urls, role
