"""outreach.selectors: the figures reports/ reads, counted by hand on a small fixture of
known rows over two months and two stations; the drills planned against those done; each
station's "135" record by month. A station's dispatcher counts his own rows only; HQ and
supervisors the bureau; `unit` narrows to a station."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from outreach.models import Activity, Drill, DrillPlan, Training
from outreach.selectors import FIGURE_KEYS, drill_plan_progress, outreach_figures, rapid_response_record
from posts.models import Term
from tests.factories import SchoolFactory

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 12, 2, 10, 0, tzinfo=TZ)
OCT, NOV = datetime.date(2026, 10, 15), datetime.date(2026, 11, 10)
ALL = (datetime.date(2026, 9, 1), datetime.date(2026, 12, 2))


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def alarm(day, hour=8) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=TZ)


def pull(school, day, school_s, police_s, reinforcement_s) -> Drill:
    at = alarm(day)
    return Drill.objects.create(
        school=school, station=school.station, kind="rapid_response", date=day, alarm_at=at, source="pull",
        school_response_at=at + datetime.timedelta(seconds=school_s),
        police_arrival_at=at + datetime.timedelta(seconds=police_s),
        reinforcement_at=at + datetime.timedelta(seconds=reinforcement_s), closed_at=at + datetime.timedelta(hours=1))


@pytest.fixture
def rows(cast):
    """Station A: October 2 talks (300 + 200 people, 100 + 50 leaflets), November 1 talk (100,
    0) and 1 leaflet drive (0, 1000); an open day at the station in November (250, 80).
    Station B: October 1 talk (400, 300).
    Trainings: the bureau's police batch in October (200), station A's in November (180);
    security sessions at station A in October (15) and November (17), station B in November (20).
    Drills: A fire in October and November, anti-terror in November; B fire in October.
    Pulls: A October met/met/met (60/180/300 exactly) and missed/met/missed (61/100/301);
    A November met/missed/met (30/181/200); B November 50/170/290, all met."""
    a, b = cast.school_a, cast.school_b
    for school, day, kind, audience, materials in [
        (a, OCT, "talk", 300, 100), (a, OCT, "talk", 200, 50), (a, NOV, "talk", 100, 0), (a, NOV, "leaflets", 0, 1000),
        (b, OCT, "talk", 400, 300),
    ]:
        Activity.objects.create(school=school, station=school.station, kind=kind, topic="drugs", date=day,
                                audience=audience, materials=materials)
    Activity.objects.create(station=cast.station_a, kind="open_day", topic="telecom_fraud", date=NOV, audience=250,
                            materials=80)
    for unit, kind, day, n in [
        (cast.bureau, "police", OCT, 200), (cast.station_a, "police", NOV, 180),
        (cast.station_a, "security_staff", OCT, 15), (cast.station_a, "security_staff", NOV, 17),
        (cast.station_b, "security_staff", NOV, 20),
    ]:
        Training.objects.create(unit=unit, kind=kind, date=day, trainees=n)
    for school, kind, day in [(a, "fire", OCT), (a, "fire", NOV), (a, "anti_terror", NOV), (b, "fire", OCT)]:
        Drill.objects.create(school=school, station=school.station, kind=kind, date=day, participants=500,
                             closed_at=alarm(day))
    pull(a, OCT, 60, 180, 300)
    pull(a, OCT + datetime.timedelta(days=1), 61, 100, 301)
    pull(a, NOV, 30, 181, 200)
    pull(b, NOV, 50, 170, 290)
    return cast


def test_the_bureau_s_figures_equal_the_hand_count(rows):
    figures = outreach_figures(rows.henry, *ALL)
    assert {key: figures[key] for key in FIGURE_KEYS} == {
        "talks": 4, "open_days": 1, "leaflets": 100 + 50 + 0 + 1000 + 300 + 80,
        "people_reached": 300 + 200 + 100 + 0 + 400 + 250,
        "police_trained": 380, "police_training_batches": 2, "security_trainings": 3, "security_trained": 52,
        "drills": 4, "rapid_response_pulls": 4,
    }
    assert figures["rapid_response_stages"] == {
        "school": {"met": 3, "missed": 1}, "police": {"met": 3, "missed": 1}, "reinforcement": {"met": 3, "missed": 1},
    }
    assert figures["activities_by_kind"]["talk"] == 4 and figures["activities_by_kind"]["leaflets"] == 1
    assert figures["activities_by_topic"]["drugs"] == {"activities": 5, "audience": 1000}
    assert figures["drills_by_kind"] == {"fire": 3, "anti_terror": 1, "evacuation": 0, "rapid_response": 4}
    months = {row["month"]: row for row in figures["by_month"]}
    assert (months["2026-10"]["activities"], months["2026-10"]["audience"], months["2026-10"]["rapid_response_pulls"]) \
        == (3, 900, 2)
    assert (months["2026-11"]["trainings"], months["2026-11"]["trainees"], months["2026-11"]["drills"]) == (3, 217, 2)
    stations = {row["station"]: row for row in figures["by_station"]}
    assert stations["仁里派出所"]["materials"] == 1230 and stations["凯旋路派出所"]["audience"] == 400
    assert stations["船山分局"]["trainees"] == 200


def test_a_range_and_a_unit_narrow_the_figures(rows):
    november = outreach_figures(rows.henry, datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))
    assert (november["talks"], november["open_days"], november["leaflets"], november["people_reached"]) == (1, 1, 1080, 350)
    assert (november["drills"], november["rapid_response_pulls"]) == (2, 2)
    only_b = outreach_figures(rows.henry, *ALL, unit=rows.station_b)
    assert (only_b["talks"], only_b["people_reached"], only_b["security_trained"], only_b["police_trained"]) \
        == (1, 400, 20, 0)
    assert only_b["rapid_response_stages"]["police"] == {"met": 1, "missed": 0}


def test_a_station_counts_its_own_rows_only(rows):
    alice = outreach_figures(rows.alice, *ALL)
    assert (alice["talks"], alice["open_days"], alice["people_reached"], alice["leaflets"]) == (3, 1, 850, 1230)
    # The bureau's police batch is above station A: not in its figures.
    assert (alice["police_trained"], alice["police_training_batches"], alice["security_trained"]) == (180, 1, 32)
    assert (alice["drills"], alice["rapid_response_pulls"]) == (3, 3)
    assert alice["rapid_response_stages"]["school"] == {"met": 2, "missed": 1}
    bob = outreach_figures(rows.bob, *ALL)
    assert (bob["talks"], bob["rapid_response_pulls"], bob["security_trainings"]) == (1, 1, 1)


def test_the_figures_take_the_same_number_of_queries_however_many_rows(rows):
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            outreach_figures(rows.henry, *ALL)
        return len(ctx.captured_queries)

    queries()  # the user's scope is then cached on him, as within a request
    few = queries()
    for _ in range(5):
        school = SchoolFactory(station=rows.station_b)
        Activity.objects.create(school=school, station=school.station, kind="film", topic="traffic", date=NOV,
                                audience=30)
        pull(school, NOV, 20, 90, 200)
    assert queries() == few


def test_the_135_record_by_station_and_month(rows):
    record = {(row["station"], row["month"]): row for row in rapid_response_record(rows.henry, *ALL)}
    october = record[("仁里派出所", "2026-10")]
    assert october["pulls"] == 2
    assert october["stages"]["school"] == {"met": 1, "missed": 1, "share": 50, "median": 60}
    assert october["stages"]["police"] == {"met": 2, "missed": 0, "share": 100, "median": 140}
    assert record[("仁里派出所", "2026-11")]["stages"]["police"]["share"] == 0
    assert record[("凯旋路派出所", "2026-11")]["stages"]["reinforcement"]["median"] == 290
    assert {row["station"] for row in rapid_response_record(rows.alice, *ALL)} == {"仁里派出所"}


def test_the_record_page_shows_each_station_s_months(rows, client):
    client.force_login(rows.henry)
    response = client.get(reverse("outreach:rapid_response_record"), {"start": "2026-09-01", "end": "2026-12-02"})
    assert response.status_code == 200
    assert len(response.context["rows"]) == 3
    assert "50%" in response.content.decode()


@pytest.fixture
def plans(rows):
    """This term: school A plans 2 fire drills (2 done), 2 anti-terror (1 done), 1 evacuation
    (none); school B plans 1 fire (1 done) and 2 pulls (1 done). A drill of last term's dates
    does not count."""
    term = Term.objects.create(name="2026-2027学年第一学期", start=datetime.date(2026, 9, 1),
                               end=datetime.date(2027, 1, 20))
    a, b = rows.school_a, rows.school_b
    for school, kind, planned in [(a, "fire", 2), (a, "anti_terror", 2), (a, "evacuation", 1), (b, "fire", 1),
                                  (b, "rapid_response", 2)]:
        DrillPlan.objects.create(school=school, station=school.station, term=term, kind=kind, planned=planned)
    Drill.objects.create(school=a, station=rows.station_a, kind="evacuation", date=datetime.date(2026, 6, 1))
    rows.term = term
    return rows


def test_plans_against_drills_performed(plans):
    progress = {(row["school"].name, row["plan"].kind): row for row in drill_plan_progress(plans.henry, term=plans.term)}
    assert {key: (row["planned"], row["done"], row["left"], row["complete"]) for key, row in progress.items()} == {
        ("圣莲岛小学", "fire"): (2, 2, 0, True),
        ("圣莲岛小学", "anti_terror"): (2, 1, 1, False),
        ("圣莲岛小学", "evacuation"): (1, 0, 1, False),
        ("凯旋路小学", "fire"): (1, 1, 0, True),
        ("凯旋路小学", "rapid_response"): (2, 1, 1, False),
    }
    assert len(drill_plan_progress(plans.alice, term=plans.term)) == 3
    figures = outreach_figures(plans.henry, *ALL)
    assert figures["drill_plan"] == {"planned": 8, "done": 5}
    assert outreach_figures(plans.bob, *ALL)["drill_plan"] == {"planned": 3, "done": 2}


def test_the_plan_page_shows_planned_against_done(plans, client):
    client.force_login(plans.alice)
    response = client.get(reverse("outreach:drill_plan_progress"), {"term": plans.term.pk})
    assert response.status_code == 200
    assert (response.context["planned"], response.context["done"]) == (5, 3)
    assert response.content.decode().count('data-complete="true"') == 1


def test_the_drill_list_filters_pulls_met_and_missed_on_the_api_and_the_page(rows, client):
    api = APIClient()
    api.force_login(rows.henry)
    met = api.get("/api/v1/drills/", {"met": "true"}).json()["results"]
    missed = api.get("/api/v1/drills/", {"met": "false", "station": rows.station_a.pk}).json()["results"]
    assert sorted((d["school"], d["date"]) for d in met) == sorted(
        [(rows.school_a.pk, OCT.isoformat()), (rows.school_b.pk, NOV.isoformat())])
    assert len(missed) == 2 and all(d["kind"] == "rapid_response" for d in missed)
    client.force_login(rows.alice)
    page = client.get(reverse("outreach:drill_list"), {"met": "false", "date_from": "2026-11-01"})
    assert [d.date for d in page.context["object_list"]] == [NOV]
    export = client.get(reverse("outreach:drill_list"), {"met": "true", "export": "xlsx"})
    assert export.status_code == 200
