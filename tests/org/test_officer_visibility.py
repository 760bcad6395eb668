"""What an officer sees of other people's duty: on his own shifts, who stands with him; never
anyone's check-in or check-out but his own. The rule is AssignmentQuerySet.visible_to and
Assignment.attendance_visible_to (duty/models.py); the API, the shift page and the roster
read through it.

The morning of Monday 7 September 2026 at station A (the cast of tests/fixtures.py):
- 正门 (post_a), published: Oscar and the auxiliary 李辅, both checked in and out;
- 东门, published: the policeman 王警, checked in; Oscar is not on it;
- 正门 on Tuesday, a draft: Oscar on it, not yet published;
- station B's gate, published: 赵警."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from duty.models import Assignment
from org.models import PersonKind
from tests.factories import PersonFactory, PostFactory, ShiftFactory

TZ = ZoneInfo("Asia/Shanghai")
MONDAY = datetime.date(2026, 9, 7)
ASSIGNMENTS = "/api/v1/assignments/"


def at(day, hour, minute) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def assign(shift, person, checked_in=False) -> Assignment:
    return Assignment.objects.create(
        shift=shift, person=person, station=shift.station, starts_at=shift.starts_at, ends_at=shift.ends_at,
        checked_in_at=at(shift.date, 7, 20) if checked_in else None,
        checked_out_at=at(shift.date, 8, 12) if checked_in else None,
    )


@pytest.fixture
def morning(cast, time_machine):
    time_machine.move_to(at(MONDAY, 9, 0), tick=False)
    gate = ShiftFactory(post=cast.post_a, published=True)
    east = ShiftFactory(post=PostFactory(school=cast.school_a, name="东门护学岗"), published=True)
    cast.own = assign(gate, cast.officer_a, checked_in=True)
    cast.colleague = assign(gate, PersonFactory(name="李辅", unit=cast.station_a, kind=PersonKind.AUXILIARY),
                            checked_in=True)
    cast.elsewhere = assign(east, PersonFactory(name="王警", unit=cast.station_a), checked_in=True)
    cast.draft = assign(ShiftFactory(post=cast.post_a, date=MONDAY + datetime.timedelta(days=1), published=False),
                        cast.officer_a)
    cast.station_b_row = assign(ShiftFactory(post=cast.post_b, published=True),
                                PersonFactory(name="赵警", unit=cast.station_b), checked_in=True)
    cast.gate, cast.east = gate, east
    return cast


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def test_an_officer_lists_his_own_assignments_and_who_stands_with_him(morning):
    rows = api_for(morning.oscar).get(ASSIGNMENTS).json()["results"]
    assert {row["id"] for row in rows} == {morning.own.pk, morning.colleague.pk}


def test_an_officer_sees_his_own_check_in_and_not_his_colleagues(morning):
    client = api_for(morning.oscar)
    rows = {row["id"]: row for row in client.get(ASSIGNMENTS).json()["results"]}
    own, colleague = rows[morning.own.pk], rows[morning.colleague.pk]
    assert own["checked_in_at"] and own["checked_out_at"]
    assert colleague["person_name"] == "李辅" and colleague["person_kind"] == "auxiliary"
    assert colleague["checked_in_at"] is None and colleague["checked_out_at"] is None
    detail = client.get(f"{ASSIGNMENTS}{morning.colleague.pk}/").json()
    assert detail["checked_in_at"] is None and detail["checked_out_at"] is None


def test_other_shifts_drafts_and_other_stations_are_not_found_for_an_officer(morning):
    client = api_for(morning.oscar)
    for row in (morning.elsewhere, morning.draft, morning.station_b_row):
        assert client.get(f"{ASSIGNMENTS}{row.pk}/").status_code == 404, row.person.name


def test_those_who_watch_attendance_still_see_every_row_of_their_scope_with_its_times(morning):
    rows = {row["id"]: row for row in api_for(morning.alice).get(ASSIGNMENTS).json()["results"]}
    assert set(rows) == {morning.own.pk, morning.colleague.pk, morning.elsewhere.pk, morning.draft.pk}
    assert rows[morning.colleague.pk]["checked_in_at"] and rows[morning.elsewhere.pk]["checked_out_at"]
    for user in (morning.sam, morning.henry):
        rows = {row["id"]: row for row in api_for(user).get(ASSIGNMENTS, {"page_size": 500}).json()["results"]}
        assert morning.station_b_row.pk in rows and rows[morning.colleague.pk]["checked_in_at"], user


def test_the_shift_page_shows_an_officer_his_colleagues_without_their_times(morning, client):
    client.force_login(morning.oscar)
    html = client.get(reverse("duty:shift_detail", args=[morning.gate.pk])).content.decode()
    assert "李辅" in html and "张斌" in html
    # His own check-in (07:20) is there once; his colleague's, at the same minute, is not.
    assert html.count("2026-09-07 07:20") == 1
    html = client.get(reverse("duty:shift_detail", args=[morning.east.pk])).content.decode()
    assert "王警" not in html and "2026-09-07 07:20" not in html
    client.force_login(morning.alice)
    html = client.get(reverse("duty:shift_detail", args=[morning.gate.pk])).content.decode()
    assert html.count("2026-09-07 07:20") == 2


def test_the_roster_shows_an_officer_the_people_of_his_own_shifts_only(morning):
    week = {"station": morning.station_a.pk, "week": MONDAY.isoformat()}
    rows = api_for(morning.oscar).get("/api/v1/roster/", week).json()["rows"]
    people = {
        person["name"]: person["checked_in"]
        for row in rows for cell in row["cells"] if cell["shift"] for person in cell["shift"]["people"]
    }
    assert people == {"张斌": True, "李辅": None}
    rows = api_for(morning.alice).get("/api/v1/roster/", week).json()["rows"]
    names = {p["name"] for row in rows for cell in row["cells"] if cell["shift"] for p in cell["shift"]["people"]}
    assert names == {"张斌", "李辅", "王警"}
