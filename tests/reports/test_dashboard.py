"""The HQ dashboard (reports:dashboard, /api/v1/stats/dashboard/), against a hand count of a
small fixture at the cast's two stations over two ISO weeks: the range is Tuesday 8 to
Wednesday 16 September 2026 (week 37 from the 8th to the 13th, week 38 from the 14th), and
the clock is frozen on the 16th at 10:00, in the morning peak.

By hand (A = 仁里派出所, B = 凯旋路派出所):
- attendance (ended shifts): A 甲 on time, 乙 (auxiliary) late, 丙 absent on the 8th, 丁 on
  time on the 15th: 2 of 4; B 戊 absent, 己 and 庚 on time on the 15th: 2 of 3. District 4 of
  7 (57.1%, not the 58.3% an average of the two rates would give). Someone on time on the
  7th is outside the range.
- the peak now: A's 东门 staffed (1 of 1 there), A's 西门 short (1 of 2), B's 北门 nobody
  there, B's 南门 not started (10:30).
- person-times (police and auxiliaries checked in): week 37 A 2; week 38 A 丁 and the two
  at the gates now (3), B 己 and 庚 (2). 7 in all.
- findings: A 2 (a check on the 8th), B 1 (the 15th).
- incidents: A help (8th) and alarm (13th, 23:30: still week 37), A emergency (14th, 00:10:
  week 38), B assistance (15th); A's help on the 7th and a draft count nowhere.
- hazards: found in the range A traffic (8th, verified on the 15th), A fire (10th, open,
  deadline the 13th: overdue), B food (15th, open); before it A public order (1st, verified
  on the 9th), B security (2nd, open, overdue). Opened 2 + 1, closed 1 + 1; overdue A 1, B 1.
- key persons: A one followed up on the 9th (due again the 16th: not overdue), A one never
  followed up (overdue); B one followed up on the 8th and the 15th, B one overdue.
  Follow-ups: week 37 2 (A 1, B 1), week 38 1 (B).
- "135" pulls: A on the 9th all three stages met, on the 15th two of three; B on the 10th
  none of three. A 2 pulls 5/6, B 1 pull 0/3, district 3 pulls 5/9.
"""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditAction, AuditEvent
from duty.models import AttendanceStatus
from duty.tallies import tally_days
from incidents.services import incident_create
from inspections.services import hazard_create, hazard_transition
from keypersons.idnumber import with_check_character
from keypersons.services import followup_create, keyperson_create
from org.models import PersonKind, Role, Unit, UnitKind
from org.services import user_create
from outreach.models import Drill
from reports.selectors.dashboard import dashboard_data
from reports.selectors.duty import Scope, person_times
from reports.selectors.summary import SUMMARY_KEYS, stats_summary
from supervision.models import FindingIssue
from supervision.services import spot_check_create
from tests.contracts import count_queries
from tests.factories import PersonFactory, ShiftFactory
from tests.fixtures import PASSWORD
from tests.scenes import TZ, client_for, moment, post_at, put_on, radio_in, shift_at

pytestmark = pytest.mark.usefixtures("english_pages")

D = datetime.date
NOW = moment(2026, 9, 16, 10, 0)
TODAY = NOW.date()
START, END = D(2026, 9, 8), TODAY
W37, W38 = D(2026, 9, 7), D(2026, 9, 14)
_serial = iter(range(100, 999))
# The page's queries: the session, the menu, and dashboard_data's grouped counts (and the live
# board's two), however many stations, posts and weeks.
QUERY_CEILING = 66


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def stood(shift, name, status, *, kind=PersonKind.POLICE, day=None):
    person = PersonFactory(name=name, unit=shift.station, kind=kind)
    checked_in = None
    if status in (AttendanceStatus.ON_TIME, AttendanceStatus.LATE):
        checked_in = shift.starts_at + datetime.timedelta(minutes=-5 if status == AttendanceStatus.ON_TIME else 10)
    return put_on(shift, person, attendance=status, checked_in_at=checked_in)


def key_person(cast, station, *, risk, registered_on):
    officer = PersonFactory(unit=station)
    number = with_check_character(f"510903{D(1985, 3, 12):%Y%m%d}{next(_serial):03d}")
    person = keyperson_create(
        user=None, name=f"测试人员{number[-4:]}", id_number=number, phone="13812345678", address="遂宁市船山区仁里街8号",
        basis="社区排查发现", categories=["petitioner"], risk=risk, station=station, officer=officer,
        registered_on=registered_on)
    person.test_officer = officer
    return person


def follow_up(person, day):
    return followup_create(person=person, user=None, date=day, officer=person.test_officer, method="visit",
                           observed="在家，情绪稳定", status_after="stable")


def pull(school, day, *seconds):
    alarm = datetime.datetime.combine(day, datetime.time(8), tzinfo=TZ)
    school_s, police_s, reinforcement_s = (datetime.timedelta(seconds=s) for s in seconds)
    return Drill.objects.create(
        school=school, station=school.station, kind="rapid_response", date=day, alarm_at=alarm, source="pull",
        school_response_at=alarm + school_s, police_arrival_at=alarm + police_s,
        reinforcement_at=alarm + reinforcement_s, closed_at=alarm + datetime.timedelta(hours=1))


def build(cast):
    """The fixture the module's docstring counts."""
    a, b = cast.post_a, cast.post_b
    # Attendance and person-times.
    shift = ShiftFactory(post=a, date=D(2026, 9, 7), published=True)
    stood(shift, "早", AttendanceStatus.ON_TIME)  # outside the range
    shift = ShiftFactory(post=a, date=D(2026, 9, 8), published=True)
    people_a = [stood(shift, "甲", AttendanceStatus.ON_TIME), stood(shift, "乙", AttendanceStatus.LATE,
                                                                   kind=PersonKind.AUXILIARY),
                stood(shift, "丙", AttendanceStatus.ABSENT)]
    stood(ShiftFactory(post=a, date=D(2026, 9, 15), published=True), "丁", AttendanceStatus.ON_TIME)
    shift = ShiftFactory(post=b, date=D(2026, 9, 15), published=True)
    people_b = [stood(shift, "戊", AttendanceStatus.ABSENT), stood(shift, "己", AttendanceStatus.ON_TIME),
                stood(shift, "庚", AttendanceStatus.ON_TIME)]
    # The peak now.
    east = shift_at(post_at(cast.station_a, "东门", police=1), (9, 30), (11, 0), day=TODAY)
    radio_in(put_on(east, PersonFactory(unit=cast.station_a)), cast.alice, now=moment(2026, 9, 16, 9, 35))
    west = shift_at(post_at(cast.station_a, "西门", police=2), (9, 30), (11, 0), day=TODAY)
    radio_in(put_on(west, PersonFactory(unit=cast.station_a)), cast.alice, now=moment(2026, 9, 16, 9, 36))
    put_on(west, PersonFactory(unit=cast.station_a))
    north = shift_at(post_at(cast.station_b, "北门", police=1), (9, 30), (11, 0), day=TODAY)
    put_on(north, PersonFactory(unit=cast.station_b))
    south = shift_at(post_at(cast.station_b, "南门", police=1), (10, 30), (11, 30), day=TODAY)
    put_on(south, PersonFactory(unit=cast.station_b))
    # Findings.
    spot_check_create(post=a, method="onsite", checked_at=moment(2026, 9, 8, 7, 50), supervisor=cast.sam,
                      findings=[{"person": people_a[2].person, "issue": FindingIssue.ABSENT, "note": "未到岗"},
                                {"person": people_a[0].person, "issue": FindingIssue.ABSENT, "note": "不在岗"}])
    spot_check_create(post=b, method="video", checked_at=moment(2026, 9, 15, 7, 50), supervisor=cast.sam,
                      findings=[{"person": people_b[0].person, "issue": FindingIssue.ABSENT, "note": "未到岗"}])
    # Incidents.
    for user, post, kind, when, count, report in [
        (cast.alice, a, "help", moment(2026, 9, 8, 8, 0), 3, True),
        (cast.alice, a, "alarm", moment(2026, 9, 13, 23, 30), 2, True),
        (cast.alice, a, "emergency", moment(2026, 9, 14, 0, 10), 1, True),
        (cast.bob, b, "assistance", moment(2026, 9, 15, 8, 0), 1, True),
        (cast.alice, a, "help", moment(2026, 9, 7, 8, 0), 5, True),  # outside the range
        (cast.alice, a, "help", moment(2026, 9, 15, 8, 0), 4, False),  # a draft
    ]:
        incident_create(user=user, report=report, kind=kind, post=post, people_count=count, occurred_at=when,
                        summary=f"{kind}")
    # Hazards.
    def hazard(user, school, category, found_on, verified_on=None):
        found = hazard_create(user=user, school=school, category=category, description=f"{category} 隐患",
                              severity="high", found_on=found_on)
        if verified_on is not None:
            at = datetime.datetime.combine(verified_on, datetime.time(9), tzinfo=TZ)
            hazard_transition(hazard=found, user=user, action="rectify", note="已整改", at=at)
            hazard_transition(hazard=found, user=cast.sam, action="verify", at=at + datetime.timedelta(hours=1))
        return found

    hazard(cast.alice, cast.school_a, "traffic", D(2026, 9, 8), verified_on=D(2026, 9, 15))
    hazard(cast.alice, cast.school_a, "fire", D(2026, 9, 10))
    hazard(cast.bob, cast.school_b, "food", D(2026, 9, 15))
    hazard(cast.alice, cast.school_a, "public_order", D(2026, 9, 1), verified_on=D(2026, 9, 9))
    hazard(cast.bob, cast.school_b, "security", D(2026, 9, 2))
    # Key persons and their follow-ups.
    follow_up(key_person(cast, cast.station_a, risk="high", registered_on=D(2026, 9, 1)), D(2026, 9, 9))
    key_person(cast, cast.station_a, risk="high", registered_on=D(2026, 9, 1))
    watched = key_person(cast, cast.station_b, risk="medium", registered_on=D(2026, 8, 20))
    follow_up(watched, D(2026, 9, 8))
    follow_up(watched, D(2026, 9, 15))
    key_person(cast, cast.station_b, risk="high", registered_on=D(2026, 9, 5))
    # "135" pulls.
    pull(cast.school_a, D(2026, 9, 9), 60, 180, 300)
    pull(cast.school_a, D(2026, 9, 15), 30, 181, 200)
    pull(cast.school_b, D(2026, 9, 10), 61, 181, 301)
    return cast


@pytest.fixture
def scene(cast, frozen):
    return build(cast)


def data_for(user, **params):
    return dashboard_data(user=user, start=params.pop("start", START), end=params.pop("end", END), now=NOW, **params)


def league_row(row):
    return (row["assigned"], row["on_time"], row["rate"], row["findings"], row["overdue_hazards"],
            row["overdue_follow_ups"], row["pulls"], row["stages_met"], row["stages_decided"])


def week_row(row):
    return (row["week"], row["from"], row["to"], row["person_times"], row["incidents_total"], row["hazards_opened"],
            row["hazards_closed"], row["follow_ups"])


# -- the numbers ------------------------------------------------------------------------------


def test_the_dashboard_data_equal_the_hand_count(scene):
    data = data_for(scene.henry)
    assert data["person_times"] == 7
    assert data["duty_now"]["counts"] == {"staffed": 1, "short": 1, "nobody": 1, "not_started": 1}
    assert (data["duty_now"]["day"], data["duty_now"]["period"], data["duty_now"]["posts"]) == (TODAY, "am", 4)
    assert [(s["name"], s["counts"]) for s in data["duty_now"]["stations"]] == [
        ("仁里派出所", {"nobody": 0, "short": 1, "staffed": 1, "not_started": 0}),
        ("凯旋路派出所", {"nobody": 1, "short": 0, "staffed": 0, "not_started": 1})]

    assert [week_row(w) for w in data["weeks"]] == [
        (W37, START, D(2026, 9, 13), 2, 2, 2, 1, 2),
        (W38, W38, TODAY, 5, 2, 1, 1, 1),
    ]
    by_week = [{k: n for k, n in w["incidents"].items() if n} for w in data["weeks"]]
    assert by_week == [{"help": 1, "alarm": 1}, {"emergency": 1, "assistance": 1}]

    league = data["league"]
    assert [(row["name"], league_row(row)) for row in league["stations"]] == [
        ("仁里派出所", (4, 2, 0.5, 2, 1, 1, 2, 5, 6)),
        ("凯旋路派出所", (3, 2, 0.6667, 1, 1, 1, 1, 0, 3)),
    ]
    # The total row is counted over the whole scope: 4 of 7, not the mean of the rates.
    assert league_row(league["total"]) == (7, 4, 0.5714, 3, 2, 2, 3, 5, 9)

    kinds = {row["kind"]: (row["incidents"], row["person_times"]) for row in data["incidents_by_kind"]}
    assert kinds == {"help": (1, 3), "alarm": (1, 2), "assistance": (1, 1), "suspicious": (0, 0),
                     "emergency": (1, 1), "dispute": (0, 0), "good_deed": (0, 0)}
    hazards = data["hazards"]
    assert {row["category"]: row["hazards"] for row in hazards["by_category"] if row["hazards"]} == {
        "traffic": 1, "fire": 1, "food": 1}
    assert {row["status"]: row["hazards"] for row in hazards["by_status"]} == {
        "open": 2, "notified": 0, "rectified": 0, "verified": 1}
    matrix = {row["category"]: {s: n for s, n in row["by_status"].items() if n}
              for row in hazards["by_category_and_status"]}
    assert matrix == {"public_order": {}, "fire": {"open": 1}, "traffic": {"verified": 1}, "food": {"open": 1},
                      "chemicals": {}, "security": {}}


def test_the_same_data_with_the_closed_days_tallied(scene):
    """The days before today read from their kept counts (duty.tallies) give the same
    dashboard, for the bureau and for a station."""
    counted = [data_for(scene.henry), data_for(scene.henry, unit=scene.station_a)]
    days = [START + datetime.timedelta(days=n) for n in range((TODAY - START).days)]
    assert tally_days(days) > 0
    assert [data_for(scene.henry), data_for(scene.henry, unit=scene.station_a)] == counted


def test_the_weeks_and_the_headline_figures_agree_with_their_selectors(scene):
    data = data_for(scene.henry)
    assert sum(w["person_times"] for w in data["weeks"]) == person_times(Scope(scene.henry, START, END))
    summary = {item["key"]: item for item in data["summary"]}
    figures = stats_summary(user=scene.henry, start=START, end=END)
    for key in SUMMARY_KEYS:
        if isinstance(figures[key], dict):
            for part, n in figures[key].items():
                assert summary[f"{key}.{part}"]["value"] == n
        else:
            assert summary[key]["value"] == figures[key], key
    assert (summary["person_times"]["value"], summary["help_and_alarms"]["value"],
            summary["emergencies_handled"]["value"], summary["hazards_found"]["value"]) == (7, 5, 1, 3)
    assert summary["hazards_found"]["url"].startswith(reverse("inspections:hazard_list"))


def test_a_unit_narrows_every_part_to_its_subtree(scene):
    data = data_for(scene.henry, unit=scene.station_b)
    assert [row["name"] for row in data["league"]["stations"]] == ["凯旋路派出所"]
    assert league_row(data["league"]["total"]) == (3, 2, 0.6667, 1, 1, 1, 1, 0, 3)
    assert data["duty_now"]["counts"] == {"staffed": 0, "short": 0, "nobody": 1, "not_started": 1}
    assert [week_row(w)[3:] for w in data["weeks"]] == [(0, 0, 0, 0, 1), (2, 1, 1, 0, 1)]


def test_a_station_dispatcher_sees_his_station_only(scene, client):
    data = data_for(scene.alice)
    assert [row["name"] for row in data["league"]["stations"]] == ["仁里派出所"]
    assert league_row(data["league"]["total"])[:6] == (4, 2, 0.5, 2, 1, None)
    assert data["duty_now"]["counts"] == {"staffed": 1, "short": 1, "nobody": 0, "not_started": 0}
    assert [week_row(w)[3:7] for w in data["weeks"]] == [(2, 2, 2, 1), (3, 1, 0, 1)]
    # The key-person register is not his to read (he does not keep it).
    assert data["weeks"][0]["follow_ups"] is None and data["league"]["stations"][0]["overdue_follow_ups"] is None

    client.force_login(scene.alice)
    response = client.get(reverse("reports:dashboard"), {"start": START, "end": END})
    assert response.status_code == 200
    html = response.content.decode()
    assert "仁里派出所" in html and "凯旋路派出所" not in html and "北门" not in html
    # Another station's unit is not one he may choose: a form error, no figures.
    response = client.get(reverse("reports:dashboard"), {"start": START, "end": END, "unit": scene.station_b.pk})
    assert response.status_code == 200 and "data" not in response.context
    assert response.context["form"].errors["unit"]


# -- the page -----------------------------------------------------------------------------------


def test_the_page_shows_the_numbers_and_the_charts_data(scene, client):
    client.force_login(scene.henry)
    response = client.get(reverse("reports:dashboard"), {"start": START, "end": END})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="now-staffed">1<' in html and 'id="now-nobody">1<' in html
    tables = response.context["tables"]
    assert tables["league"].total == ["District total", 7, 4, "57.1%", 3, 2, 2, 3, "5/9"]
    assert tables["league"].rows[1] == ["凯旋路派出所", 3, 2, "66.7%", 1, 1, 1, 1, "0/3"]
    assert [row[2:] for row in tables["weeks"].rows] == [[2, 2, 2, 1, 2], [5, 2, 1, 1, 1]]
    charts = response.context["charts"]
    assert charts["league"]["series"][0]["data"] == [50.0, 66.7]
    assert charts["trend"]["series"][0]["data"] == [2, 5]
    assert [s["data"] for s in charts["hazards"]["series"]] == [[0, 1, 0, 1, 0, 0], [0] * 6, [0] * 6,
                                                                [0, 0, 1, 0, 0, 0]]
    for name in ("trend", "league", "incidents", "hazards"):
        assert f'id="chart-{name}"' in html
    assert 'id="dashboard-charts"' in html and "echarts.min.js" in html and "js/dashboard.js" in html
    # Each headline figure links to the list that counts it.
    assert f'href="{reverse("inspections:hazard_list")}?found_on_from=2026-09-08' in html


def test_the_page_opens_on_this_month_by_default(scene, client):
    client.force_login(scene.sam)
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    assert (response.context["data"]["start"], response.context["data"]["end"]) == (D(2026, 9, 1), TODAY)


@pytest.mark.parametrize(("params", "field"), [
    ({"start": "2026-09-16", "end": "2026-09-08"}, "end"),
    ({"start": "2026-13-45"}, "start"),
    ({"end": "yesterday"}, "end"),
    ({"unit": "9999"}, "unit"),
])
def test_a_bad_range_or_unit_is_a_form_error_not_a_500(scene, client, params, field):
    client.force_login(scene.henry)
    response = client.get(reverse("reports:dashboard"), params)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert f'data-field="{field}"' in response.content.decode()
    # An export with a bad range is no file either.
    response = client.get(reverse("reports:dashboard"), {**params, "export": "league"})
    assert response.status_code == 200 and "xlsx" not in response.get("Content-Type", "")


def test_only_those_who_read_the_figures_open_it(scene, client):
    client.force_login(scene.oscar)
    assert client.get(reverse("reports:dashboard")).status_code == 403
    client.force_login(scene.ada)
    assert client.get(reverse("reports:dashboard")).status_code == 403
    client.logout()
    assert client.get(reverse("reports:dashboard")).status_code == 302


def test_the_query_count_does_not_grow_with_the_stations_or_the_weeks(cast, frozen, client,
                                                                       django_assert_max_num_queries):
    build(cast)
    client.force_login(cast.henry)

    seen = {}

    def page(start):
        response = client.get(reverse("reports:dashboard"), {"start": start, "end": END})
        assert response.status_code == 200
        seen["data"] = response.context["data"]

    page(START)  # warm the caches a first request fills (the unit tree, the content types)
    before = count_queries(lambda: page(START))
    # A third station with a post, a shift stood now and one last week, an incident, a hazard and a pull;
    # and a range three weeks longer.
    station = Unit.objects.create(name="南津路派出所", kind=UnitKind.STATION, parent=cast.bureau)
    post = post_at(station, "正门", police=1)
    user_c = user_create(username="carl", password=PASSWORD, role=Role.DISPATCHER, unit=station)
    stood(ShiftFactory(post=post, date=D(2026, 9, 1), published=True), "辛", AttendanceStatus.ON_TIME)
    radio_in(put_on(shift_at(post, (9, 30), (11, 0), day=TODAY), PersonFactory(unit=station)), user_c,
             now=moment(2026, 9, 16, 9, 40))
    incident_create(user=user_c, kind="help", post=post, people_count=2, occurred_at=moment(2026, 8, 20, 8),
                    summary="help")
    hazard_create(user=user_c, school=post.school, category="fire", description="消防通道堵塞", severity="low",
                  found_on=D(2026, 8, 25))
    pull(post.school, D(2026, 8, 26), 50, 100, 200)
    with django_assert_max_num_queries(QUERY_CEILING):
        after = count_queries(lambda: page(D(2026, 8, 17)))
    data = seen["data"]
    assert (len(data["league"]["stations"]), len(data["weeks"]), data["duty_now"]["posts"]) == (3, 5, 5)
    new = next(row for row in data["league"]["stations"] if row["name"] == "南津路派出所")
    assert (new["assigned"], new["pulls"]) == (1, 1)
    assert after == before, (before, after)


# -- Excel -------------------------------------------------------------------------------------


def test_each_table_exports_as_excel_with_its_rows_and_is_audited(scene, client):
    client.force_login(scene.henry)
    response = client.get(reverse("reports:dashboard"), {"start": START, "end": END, "export": "league"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:4] == ["police station", "assigned", "on time", "attendance rate"]
    assert rows[1:] == [["仁里派出所", 4, 2, "50.0%", 2, 1, 1, 2, "5/6"],
                        ["凯旋路派出所", 3, 2, "66.7%", 1, 1, 1, 1, "0/3"],
                        ["District total", 7, 4, "57.1%", 3, 2, 2, 3, "5/9"]]
    event = AuditEvent.objects.filter(action=AuditAction.EXPORT).latest("seq")
    assert event.detail["rows"] == 3 and event.detail["list"] == "Station league"
    assert event.detail["filters"] == {"start": "2026-09-08", "end": "2026-09-16"}

    for table in ("now", "weeks", "incidents_weekly", "incidents", "hazards", "summary"):
        response = client.get(reverse("reports:dashboard"), {"start": START, "end": END, "export": table})
        assert response.status_code == 200, table
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        assert len(rows) > 2, table
    weeks = list(load_workbook(io.BytesIO(client.get(reverse("reports:dashboard"), {
        "start": START, "end": END, "export": "weeks"}).content)).active.iter_rows(values_only=True))
    assert [list(row[2:]) for row in weeks[1:]] == [[2, 2, 2, 1, 2], [5, 2, 1, 1, 1], [7, 4, 3, 2, 3]]
    assert client.get(reverse("reports:dashboard"), {"export": "everything"}).status_code == 400


# -- the API -----------------------------------------------------------------------------------


def test_the_api_answers_the_same_data(scene):
    api = client_for(scene.henry)
    response = api.get("/api/v1/stats/dashboard/", {"start": START, "end": END, "unit": scene.station_a.pk})
    assert response.status_code == 200
    body = response.json()
    assert body["unit"] == {"id": scene.station_a.pk, "name": "仁里派出所"}
    assert body["person_times"] == 5
    assert [(w["week"], w["person_times"]) for w in body["weeks"]] == [("2026-09-07", 2), ("2026-09-14", 3)]
    assert body["league"]["total"]["rate"] == 0.5
    assert body["duty_now"]["counts"]["short"] == 1


@pytest.mark.parametrize(("params", "field"), [
    ({"start": "2026-09-16", "end": "2026-09-08"}, "end"),
    ({"start": "not-a-date"}, "start"),
    ({"end": "2026-02-30"}, "end"),
    ({"station": "1"}, "station"),
])
def test_the_api_answers_400_naming_the_field(scene, params, field):
    response = client_for(scene.henry).get("/api/v1/stats/dashboard/", params)
    assert response.status_code == 400
    assert field in response.json()


def test_the_api_refuses_another_station_s_unit_and_an_officer(scene):
    response = client_for(scene.alice).get("/api/v1/stats/dashboard/", {"unit": scene.station_b.pk})
    assert response.status_code == 400 and "unit" in response.json()
    assert client_for(scene.oscar).get("/api/v1/stats/dashboard/").status_code == 403
