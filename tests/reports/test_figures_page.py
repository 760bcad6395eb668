"""The HQ figures page (reports:figures) through the test client: a small known dataset
counted, the attendance rate, the default range and a refused one, the finer tables and the
Excel export, and a query count that does not grow with the data.

The clock is frozen on Wednesday 2 September 2026 at 07:50; Tuesday's shifts have ended."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from duty.models import AttendanceStatus, Shift
from supervision.models import Bulletin, FindingIssue
from supervision.services import bulletin_create, bulletin_issue, spot_check_create
from tests.contracts import count_queries
from tests.factories import GuardFactory, PersonFactory, PostFactory, ShiftFactory
from tests.scenes import TZ, at, put_on

pytestmark = pytest.mark.usefixtures("english_pages")

NOW = datetime.datetime(2026, 9, 2, 7, 50, tzinfo=TZ)
TODAY = NOW.date()
YESTERDAY = TODAY - datetime.timedelta(days=1)


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def draft(cast, title="九月督察通报", **fields) -> Bulletin:
    return bulletin_create(unit=cast.bureau, title=title, period_start=YESTERDAY, period_end=TODAY,
                           user=cast.sam, **fields)


# -- the figures page ----------------------------------------------------------------------


def figures(client, **params):
    query = {"start": YESTERDAY.isoformat(), "end": TODAY.isoformat(), **params}
    return client.get(reverse("reports:figures"), query)


def test_the_figures_page_counts_a_small_known_dataset(findings_yesterday, client):
    cast = findings_yesterday
    # A guard who stood the shift is not a police person-time; neither is anyone not checked in.
    guard = GuardFactory(name="保安甲", school=cast.school_a)
    put_on(Shift.objects.get(post=cast.post_a, date=YESTERDAY), guard, attendance=AttendanceStatus.ON_TIME,
           checked_in_at=at(7, 20, YESTERDAY))
    bulletin_issue(bulletin=draft(cast, "一期"), user=cast.sam)
    client.force_login(cast.henry)
    response = figures(client, unit=cast.station_a.pk)
    assert response.status_code == 200
    context = response.context
    assert context["summary"]["person_times"] == 2  # 甲 on time, 乙 late; 丙 absent; the guard is no police
    assert context["summary"]["attendance"] == {"assigned": 4, "on_time": 2, "rate": 0.5}
    assert context["station_rows"] == [["仁里派出所", 4, 2, 1, 1, 0, "50.0%"]]
    assert dict(context["kind_rows"])["Absent from the post"] == 2
    assert context["finding_station_rows"][0][:4] == ["仁里派出所", 1, 2, 2]
    assert context["summary"]["spot_checks"] == 1
    html = response.content.decode()
    assert 'id="fig-person-times">2<' in html and 'id="fig-rate">50.0%<' in html


def test_the_figures_page_shows_the_attendance_rate_of_three_assignments(findings_yesterday, client):
    client.force_login(findings_yesterday.sam)
    response = figures(client, unit=findings_yesterday.station_a.pk)
    assert response.context["rate"] == "33.3%"
    assert response.context["summary"]["person_times"] == 2
    whole = figures(client)
    assert whole.context["station_rows"] == [
        ["仁里派出所", 3, 1, 1, 1, 0, "33.3%"], ["凯旋路派出所", 1, 1, 0, 0, 0, "100.0%"]]
    assert whole.context["summary"]["person_times"] == 3


def test_the_figures_page_defaults_to_the_month_to_date_and_refuses_a_bad_range(findings_yesterday, client):
    client.force_login(findings_yesterday.henry)
    response = client.get(reverse("reports:figures"))
    assert (response.context["form"].cleaned_data["start"], response.context["form"].cleaned_data["end"]) == (
        datetime.date(2026, 9, 1), TODAY)
    assert response.context["summary"]["person_times"] == 3
    response = figures(client, start=TODAY.isoformat(), end=YESTERDAY.isoformat())
    assert response.context["form"].errors["end"] == ["The end date is before the start date."]
    assert "summary" not in response.context
    # A unit out of scope is not a choice.
    client.force_login(findings_yesterday.bob)
    response = figures(client, unit=findings_yesterday.station_a.pk)
    assert "unit" in response.context["form"].errors and "summary" not in response.context


def test_the_figures_page_details_by_post_and_person_and_exports_stations(findings_yesterday, client):
    client.force_login(findings_yesterday.alice)
    by_post = figures(client, detail="post")
    assert by_post.context["detail_rows"] == [["圣莲岛小学·正门护学岗", 3, 1, 1, 1, 0, "33.3%"]]
    by_person = figures(client, detail="person")
    assert ["丙（Police officer）", 1, 0, 0, 1, 0, "0.0%"] in by_person.context["detail_rows"]
    export = figures(client, export="xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows == [
        ("police station", "assigned", "on time", "late", "absent", "left early", "attendance rate"),
        ("仁里派出所", 3, 1, 1, 1, 0, "33.3%"),  # Alice sees her own station only
        ("Total", 3, 1, 1, 1, 0, "33.3%"),  # the table's total row, as on the page
    ]


def test_the_figures_page_query_count_does_not_grow_with_the_data(findings_yesterday, client):
    cast = findings_yesterday
    client.force_login(cast.henry)
    figures(client, unit=cast.bureau.pk, detail="person")
    few = count_queries(lambda: figures(client, unit=cast.bureau.pk, detail="person"))
    for index in range(6):
        post = PostFactory(school=cast.school_b, name=f"侧门{index}")
        shift = ShiftFactory(post=post, date=YESTERDAY, published=True)
        for name in ("甲", "乙"):
            put_on(shift, PersonFactory(name=f"{name}{index}", unit=cast.station_b),
                   attendance=AttendanceStatus.LATE, checked_in_at=at(7, 30, YESTERDAY))
        spot_check_create(post=post, method="video", checked_at=at(7, 40, YESTERDAY), supervisor=cast.sam,
                          findings=[{"issue": FindingIssue.KIT_MISSING}])
    many = count_queries(lambda: figures(client, unit=cast.bureau.pk, detail="person"))
    assert few == many, (few, many)
    response = figures(client, unit=cast.bureau.pk)
    assert response.context["summary"]["person_times"] == 3 + 12
    assert re.search(r'id="fig-spot-checks">7<', response.content.decode())


# -- the first address ---------------------------------------------------------------------


def test_the_first_address_redirects_permanently_with_its_query(client):
    response = client.get("/duty/figures/?start=2026-09-01&end=2026-09-02&detail=post")
    assert response.status_code == 301
    assert response["Location"] == reverse("reports:figures") + "?start=2026-09-01&end=2026-09-02&detail=post"
    assert reverse("reports:figures") == "/reports/figures/"
    bare = client.get("/duty/figures/")
    assert (bare.status_code, bare["Location"]) == (301, "/reports/figures/")
