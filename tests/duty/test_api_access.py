"""Who may do what through the duty API, across roles and stations, and what it costs.

standing-assignments/, leaves/, shifts/ (read-only: shifts are generated) and assignments/
(create, delete and `move`, no update) get the shared contract (tests/contracts.py);
`generate`, what `move` does, officers' narrower view and the roster endpoints are checked by
hand in the same spirit: anonymous 401, a role without the permission 403, another station's
object 404 (and unchanged), the allowed role 200/201/204, and query counts that do not grow
with the rows.

Permissions come from org/roles.py: dispatchers read and write the roster; supervisors and
HQ read it; officers read shifts and assignments, published
ones only; administrators manage accounts and see no roster."""

import datetime
import itertools
from zoneinfo import ZoneInfo

import pytest
from rest_framework.test import APIClient

from duty.models import Assignment, Leave, RosterWeek, Shift, StandingAssignment
from posts.models import Post, weekdays_to_mask
from org.models import Role
from org.services import user_create
from tests.contracts import APIContract, count_queries, snapshot
from tests.factories import (
    AssignmentFactory,
    PersonFactory,
    PostFactory,
    SchoolFactory,
    ShiftFactory,
    TermFactory,
    TimetableFactory,
)
from tests.fixtures import PASSWORD

TZ = ZoneInfo("Asia/Shanghai")
D = datetime.date
MONDAY = D(2026, 9, 7)
_n = itertools.count(1)


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=TZ)


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(at(2026, 8, 20, 9, 0), tick=False)


@pytest.fixture
def shifts(cast, frozen):
    """Monday 7 September 2026, morning, at each station's gate: drafts, nobody on them yet."""
    cast.shift_a = ShiftFactory(post=cast.post_a)
    cast.shift_b = ShiftFactory(post=cast.post_b)
    return cast


# --- standing-assignments/ and leaves/: the shared contract --------------------------------------


class StandingAssignmentResource:
    model = StandingAssignment
    may_read = {"dispatcher", "supervisor", "hq"}
    may_write = {"dispatcher"}

    def make_object(self, cast, station):
        post = PostFactory(school=SchoolFactory(station=station))
        return StandingAssignment.objects.create(
            person=PersonFactory(unit=station), post=post, station=station, weekdays=weekdays_to_mask([1, 3, 5]),
            periods=StandingAssignment.Periods.AM, start_date=D(2026, 9, 1), end_date=D(2026, 12, 31),
        )


class TestStandingAssignmentsAPI(StandingAssignmentResource, APIContract):
    url = "/api/v1/standing-assignments/"

    def create_payload(self, cast):
        return {"person": cast.officer_a.pk, "post": cast.post_a.pk, "weekdays": [1, 2, 3, 4, 5], "periods": "am",
                "start_date": "2026-09-01", "end_date": "2026-12-31"}

    def update_payload(self, cast, obj):
        return {"periods": "both"}

    def test_it_refuses_a_range_that_ends_before_it_starts_or_no_weekdays(self, cast):
        client = client_for(cast.alice)
        backwards = {**self.create_payload(cast), "start_date": "2026-12-31", "end_date": "2026-09-01"}
        response = client.post(self.url, backwards, format="json")
        assert response.status_code == 400 and "end_date" in response.json(), response.json()
        response = client.post(self.url, {**self.create_payload(cast), "weekdays": []}, format="json")
        assert response.status_code == 400 and "weekdays" in response.json(), response.json()
        assert not StandingAssignment.objects.exists()

    def test_a_post_of_another_station_is_not_there_for_bob(self, cast):
        response = client_for(cast.bob).post(self.url, {**self.create_payload(cast), "person": PersonFactory(
            unit=cast.station_b).pk}, format="json")
        assert response.status_code == 400
        assert "post" in response.json()
        assert not StandingAssignment.objects.exists()


class LeaveResource:
    model = Leave
    may_read = {"dispatcher", "supervisor", "hq"}
    may_write = {"dispatcher"}

    def make_object(self, cast, station):
        return Leave.objects.create(person=PersonFactory(unit=station), station=station, start_date=D(2026, 9, 8),
                                    end_date=D(2026, 9, 9), reason="病假")


class TestLeavesAPI(LeaveResource, APIContract):
    url = "/api/v1/leaves/"

    def create_payload(self, cast):
        return {"person": cast.officer_a.pk, "start_date": "2026-09-08", "end_date": "2026-09-09", "reason": "培训"}

    def update_payload(self, cast, obj):
        return {"reason": "年休假"}

    def test_it_refuses_leave_that_ends_before_it_starts_or_has_no_reason(self, cast):
        client = client_for(cast.alice)
        response = client.post(self.url, {**self.create_payload(cast), "end_date": "2026-09-01"}, format="json")
        assert response.status_code == 400 and "end_date" in response.json()
        response = client.post(self.url, {**self.create_payload(cast), "reason": "  "}, format="json")
        assert response.status_code == 400 and "reason" in response.json()
        assert not Leave.objects.exists()


# --- shifts/ ---------------------------------------------------------------------------------------

SHIFTS = "/api/v1/shifts/"
GENERATE = "/api/v1/shifts/generate/"
WEEK = {"start": "2026-09-07", "end": "2026-09-13"}


@pytest.fixture
def timetables(cast, frozen):
    TermFactory(school=None)
    for school in (cast.school_a, cast.school_b):
        TimetableFactory(school=school, period="am")
    return cast


def test_shifts_answer_401_to_anonymous_requests(shifts):
    client = APIClient()
    assert client.get(SHIFTS).status_code == 401
    assert client.get(f"{SHIFTS}{shifts.shift_a.pk}/").status_code == 401
    response = client.post(GENERATE, WEEK, format="json")
    assert response.status_code == 401
    assert "detail" in response.json()


class ShiftResource:
    """Generated, never written by hand: every write is refused (405 to a dispatcher for POST,
    as she holds duty.add_shift to generate; 403 for the rest: nobody holds change or delete)."""

    model = Shift
    may_read = {"dispatcher", "officer", "supervisor", "hq"}  # officers: published shifts only
    may_write: set[str] = set()
    writable_actions: set[str] = set()

    def make_object(self, cast, station):
        # Published, so that the officer reads it; a post of its own, so no two collide.
        return ShiftFactory(post=PostFactory(school=SchoolFactory(station=station)), published=True)


class TestShiftsAPI(ShiftResource, APIContract):
    url = SHIFTS


def test_bob_does_not_see_station_as_shifts(shifts):
    client = client_for(shifts.bob)
    assert client.get(f"{SHIFTS}{shifts.shift_a.pk}/").status_code == 404
    ids = [row["id"] for row in client.get(SHIFTS, {"page_size": 500}).json()["results"]]
    assert ids == [shifts.shift_b.pk]


def test_officers_see_published_shifts_only(shifts):
    draft = shifts.shift_a
    published = ShiftFactory(post=shifts.post_a, date=D(2026, 9, 8), published=True)
    client = client_for(shifts.oscar)
    assert [row["id"] for row in client.get(SHIFTS).json()["results"]] == [published.pk]
    assert client.get(f"{SHIFTS}{draft.pk}/").status_code == 404
    assert client.get(f"{SHIFTS}{published.pk}/").status_code == 200
    assert {row["id"] for row in client_for(shifts.alice).get(SHIFTS).json()["results"]} == {draft.pk, published.pk}


def test_only_dispatchers_generate_shifts(timetables):
    cast = timetables
    # HQ reads every station and writes nothing: generating can cancel staffed shifts.
    for user in (cast.oscar, cast.sam, cast.henry, cast.ada):
        assert client_for(user).post(GENERATE, WEEK, format="json").status_code == 403, user
    assert not Shift.objects.exists()
    response = client_for(cast.alice).post(GENERATE, WEEK, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["created"], response.json()["existing"]) == (5, 0)
    assert set(Shift.objects.values_list("station_id", flat=True)) == {cast.station_a.pk}  # her scope
    root = user_create(username="root", password=PASSWORD, role=Role.ADMIN, unit=cast.bureau, is_superuser=True)
    response = client_for(root).post(GENERATE, WEEK, format="json")
    assert response.status_code == 200
    assert (response.json()["created"], response.json()["existing"]) == (5, 5)  # the whole bureau


def test_generate_answers_400_with_the_field_for_bad_input(timetables):
    client = client_for(timetables.alice)
    response = client.post(GENERATE, {"start": "2026-09-13", "end": "2026-09-07"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["end"]
    response = client.post(GENERATE, {"end": "2026-09-07"}, format="json")
    assert response.status_code == 400 and "start" in response.json()
    response = client.post(GENERATE, {"start": "2026-09-07", "end": "7 Sept"}, format="json")
    assert response.status_code == 400 and "end" in response.json()
    response = client.post(GENERATE, {**WEEK, "unit": timetables.station_b.pk}, format="json")
    assert response.status_code == 400 and "unit" in response.json()
    assert not Shift.objects.exists()


# --- assignments/ ----------------------------------------------------------------------------------

ASSIGNMENTS = "/api/v1/assignments/"


@pytest.fixture
def booked(shifts):
    """Oscar's person on station A's Monday morning; a second station-A shift to move to."""
    cast = shifts
    cast.assignment_a = AssignmentFactory(shift=cast.shift_a, person=cast.officer_a)
    cast.shift_a_tuesday = ShiftFactory(post=cast.post_a, date=D(2026, 9, 8))
    return cast


class AssignmentResource:
    """People are put on shifts, moved and taken off; an assignment is never edited (a PATCH
    is 405 to the dispatcher, who holds duty.change_assignment for `move`)."""

    model = Assignment
    may_read = {"dispatcher", "officer", "supervisor", "hq"}  # officers: their own, published
    may_write = {"dispatcher"}
    writable_actions = {"create", "delete"}
    detail_actions = ("move",)

    def a_shift(self, station, **fields) -> Shift:
        # A post of its own and a day of its own: one person's shifts never overlap.
        day = MONDAY + datetime.timedelta(days=next(_n))
        return ShiftFactory(post=PostFactory(school=SchoolFactory(station=station)), date=day, **fields)

    def make_object(self, cast, station):
        # At station A Oscar's own, on a published shift, so that the officer reads it.
        person = cast.officer_a if station == cast.station_a else PersonFactory(unit=station)
        return AssignmentFactory(shift=self.a_shift(station, published=True), person=person)


@pytest.mark.usefixtures("frozen")
class TestAssignmentsAPI(AssignmentResource, APIContract):
    url = ASSIGNMENTS

    def create_payload(self, cast):
        return {"shift": self.a_shift(cast.station_a).pk, "person": PersonFactory(unit=cast.station_a).pk}

    def action_data(self, cast, action, obj):
        return {"shift": self.a_shift(cast.station_a).pk}


def test_alice_assigns_moves_and_removes(booked):
    cast = booked
    client = client_for(cast.alice)
    other = PersonFactory(name="李四", unit=cast.station_a)
    response = client.post(ASSIGNMENTS, {"shift": cast.shift_a_tuesday.pk, "person": other.pk}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["shift"], body["person"], body["person_name"], body["source"]) == (
        cast.shift_a_tuesday.pk, other.pk, "李四", "manual")
    created = Assignment.objects.get(pk=body["id"])
    assert created.created_by == cast.alice

    response = client.post(f"{ASSIGNMENTS}{cast.assignment_a.pk}/move/", {"shift": cast.shift_a_tuesday.pk},
                           format="json")
    assert response.status_code == 200, response.content
    assert response.json()["shift"] == cast.shift_a_tuesday.pk
    assert Assignment.objects.get(pk=cast.assignment_a.pk).shift_id == cast.shift_a_tuesday.pk

    assert client.delete(f"{ASSIGNMENTS}{created.pk}/").status_code == 204
    assert not Assignment.objects.filter(pk=created.pk).exists()


def test_a_refused_assignment_is_a_400_naming_the_field_and_the_reason(booked):
    cast = booked
    Leave.objects.create(person=cast.officer_a, station=cast.station_a, start_date=D(2026, 9, 8),
                         end_date=D(2026, 9, 8), reason="病假")
    response = client_for(cast.alice).post(
        ASSIGNMENTS, {"shift": cast.shift_a_tuesday.pk, "person": cast.officer_a.pk}, format="json")
    assert response.status_code == 400
    (message,) = response.json()["person"]
    assert "张斌" in message and "病假" in message
    Assignment.objects.filter(pk=cast.assignment_a.pk).update(checked_in_at=at(2026, 8, 20, 9, 0))
    response = client_for(cast.alice).delete(f"{ASSIGNMENTS}{cast.assignment_a.pk}/")
    assert response.status_code == 400
    assert "张斌" in response.json()["assignment"][0]
    assert Assignment.objects.filter(pk=cast.assignment_a.pk).exists()


def test_bob_cannot_put_anyone_on_a_station_a_shift(booked):
    cast = booked
    response = client_for(cast.bob).post(
        ASSIGNMENTS, {"shift": cast.shift_a_tuesday.pk, "person": PersonFactory(unit=cast.station_b).pk},
        format="json")
    assert response.status_code == 400
    assert "shift" in response.json()
    assert not Assignment.objects.filter(shift=cast.shift_a_tuesday).exists()


def test_alice_cannot_move_someone_to_a_station_b_shift(booked):
    cast = booked
    before = snapshot(cast.assignment_a)
    response = client_for(cast.alice).post(f"{ASSIGNMENTS}{cast.assignment_a.pk}/move/", {"shift": cast.shift_b.pk},
                                           format="json")
    assert response.status_code == 400
    assert "shift" in response.json()
    assert snapshot(cast.assignment_a) == before


def test_officers_see_assignments_on_published_shifts_only(booked):
    cast = booked
    published = AssignmentFactory(shift=ShiftFactory(post=cast.post_a, date=D(2026, 9, 9), published=True),
                                  person=cast.officer_a)
    # A colleague's assignment on a published shift Oscar does not stand is none of his business.
    stranger = AssignmentFactory(shift=ShiftFactory(post=cast.post_a, date=D(2026, 9, 10), published=True))
    client = client_for(cast.oscar)
    assert [row["id"] for row in client.get(ASSIGNMENTS).json()["results"]] == [published.pk]
    assert client.get(f"{ASSIGNMENTS}{cast.assignment_a.pk}/").status_code == 404
    assert client.get(f"{ASSIGNMENTS}{stranger.pk}/").status_code == 404


# --- the roster endpoints --------------------------------------------------------------------------

ROSTER = "/api/v1/roster/"
CANDIDATES = "/api/v1/roster/candidates/"
PUBLISH = "/api/v1/roster/publish/"
COPY_WEEK = "/api/v1/roster/copy-week/"


def week_of(cast) -> dict:
    return {"station": cast.station_a.pk, "week": MONDAY.isoformat()}


def test_roster_endpoints_answer_401_to_anonymous_requests(booked):
    client = APIClient()
    assert client.get(ROSTER, week_of(booked)).status_code == 401
    assert client.get(CANDIDATES, {"shift": booked.shift_a.pk}).status_code == 401
    assert client.post(PUBLISH, week_of(booked), format="json").status_code == 401
    assert client.post(COPY_WEEK, week_of(booked), format="json").status_code == 401
    assert not Shift.objects.filter(published=True).exists()


def test_the_board_is_read_by_roster_roles_and_officers_see_the_published_part(booked):
    cast = booked
    published = ShiftFactory(post=cast.post_a, date=D(2026, 9, 9), published=True)
    for user in (cast.alice, cast.sam, cast.henry):
        response = client_for(user).get(ROSTER, week_of(cast))
        assert response.status_code == 200, user
        (row,) = response.json()["rows"]
        assert {c["shift"]["id"] for c in row["cells"] if c["shift"]} == {
            cast.shift_a.pk, cast.shift_a_tuesday.pk, published.pk}
    response = client_for(cast.oscar).get(ROSTER, week_of(cast))
    assert response.status_code == 200
    (row,) = response.json()["rows"]
    assert [c["shift"]["id"] for c in row["cells"] if c["shift"]] == [published.pk]
    assert client_for(cast.ada).get(ROSTER, week_of(cast)).status_code == 403


def test_the_board_answers_404_for_another_station_and_400_for_a_bad_week(booked):
    cast = booked
    assert client_for(cast.bob).get(ROSTER, week_of(cast)).status_code == 404
    response = client_for(cast.alice).get(ROSTER, {"station": "", "week": MONDAY.isoformat()})
    assert response.status_code == 400 and "station" in response.json()
    response = client_for(cast.alice).get(ROSTER, {"station": cast.station_a.pk, "week": "2026-09-08"})
    assert response.status_code == 400 and "week" in response.json()
    response = client_for(cast.alice).get(ROSTER, {"station": cast.station_a.pk})
    assert response.status_code == 400 and "week" in response.json()


def test_the_board_is_read_only(booked):
    client = client_for(booked.alice)
    assert client.post(ROSTER, week_of(booked), format="json").status_code == 405
    assert client.delete(ROSTER).status_code == 405
    assert client.post(CANDIDATES, {"shift": booked.shift_a.pk}, format="json").status_code == 405


def test_candidates_are_for_dispatchers_and_not_for_officers(booked):
    # The list names people: an officer, who may not read the people register, gets 403
    # even for a published shift he can see.
    cast = booked
    response = client_for(cast.alice).get(CANDIDATES, {"shift": cast.shift_a_tuesday.pk})
    assert response.status_code == 200
    assert "张斌" in [c["name"] for c in response.json()]
    cast.shift_a_tuesday.published = True
    cast.shift_a_tuesday.save()
    assert client_for(cast.oscar).get(CANDIDATES, {"shift": cast.shift_a_tuesday.pk}).status_code == 403
    assert client_for(cast.ada).get(CANDIDATES, {"shift": cast.shift_a_tuesday.pk}).status_code == 403
    # Supervisors and HQ read the board but do not assign: the picker's list of names is not theirs.
    assert client_for(cast.sam).get(CANDIDATES, {"shift": cast.shift_a_tuesday.pk}).status_code == 403
    assert client_for(cast.henry).get(CANDIDATES, {"shift": cast.shift_a_tuesday.pk}).status_code == 403


def test_candidates_answer_404_for_another_stations_shift_and_400_without_one(booked):
    assert client_for(booked.bob).get(CANDIDATES, {"shift": booked.shift_a.pk}).status_code == 404
    response = client_for(booked.alice).get(CANDIDATES)
    assert response.status_code == 400 and "shift" in response.json()


def test_only_dispatchers_publish_and_copy_weeks(booked):
    cast = booked
    for user in (cast.oscar, cast.sam, cast.henry, cast.ada):
        client = client_for(user)
        assert client.post(PUBLISH, week_of(cast), format="json").status_code == 403, user
        assert client.post(COPY_WEEK, week_of(cast), format="json").status_code == 403, user
    assert not RosterWeek.objects.exists() and not Shift.objects.filter(published=True).exists()
    client = client_for(cast.alice)
    response = client.post(PUBLISH, week_of(cast), format="json")
    assert response.status_code == 200, response.content
    assert response.json()["published_at"]
    assert set(Shift.objects.filter(published=True).values_list("pk", flat=True)) == {
        cast.shift_a.pk, cast.shift_a_tuesday.pk}
    response = client.post(COPY_WEEK, {"station": cast.station_a.pk, "week": "2026-09-14"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["copied"] == 0
    assert len(response.json()["skipped"]) == 1  # next Monday has no shift yet


def test_bob_cannot_publish_or_copy_station_as_week(booked):
    cast = booked
    client = client_for(cast.bob)
    for url in (PUBLISH, COPY_WEEK):
        response = client.post(url, week_of(cast), format="json")
        assert response.status_code == 400, url
        assert "station" in response.json()
    assert not RosterWeek.objects.exists() and not Shift.objects.filter(published=True).exists()


def test_the_board_query_count_does_not_grow_with_posts(cast, frozen):
    client = client_for(cast.alice)
    client.get(ROSTER, week_of(cast))

    def add_posts(count):
        for _ in range(count):
            post = Post.objects.create(school=cast.school_a, name=f"{next(_n)}号门护学岗", station=cast.station_a)
            for day in range(5):
                shift = ShiftFactory(post=post, date=MONDAY + datetime.timedelta(days=day))
                AssignmentFactory(shift=shift)

    AssignmentFactory(shift=ShiftFactory(post=cast.post_a))
    add_posts(1)
    few = count_queries(lambda: client.get(ROSTER, week_of(cast)))
    assert len(client.get(ROSTER, week_of(cast)).json()["rows"]) == 2
    add_posts(10)
    many = count_queries(lambda: client.get(ROSTER, week_of(cast)))
    assert len(client.get(ROSTER, week_of(cast)).json()["rows"]) == 12
    assert few == many, (few, many)


def test_through_the_api_leave_and_standing_assignments_take_their_station_from_person_and_post(cast):
    from org.models import Unit, UnitKind

    team = Unit.objects.create(name="仁里派出所社区中队", kind=UnitKind.TEAM, parent=cast.station_a)
    member = PersonFactory(name="中队民警", unit=team)
    client = client_for(cast.alice)
    response = client.post("/api/v1/leaves/", {"person": member.pk, "start_date": "2026-09-08",
                                               "end_date": "2026-09-09", "reason": "培训"}, format="json")
    assert response.status_code == 201, response.json()
    assert Leave.objects.get(pk=response.json()["id"]).station == team
    response = client.patch(f"/api/v1/leaves/{response.json()['id']}/", {"person": cast.officer_a.pk}, format="json")
    assert response.status_code == 200
    assert Leave.objects.get(pk=response.json()["id"]).station == cast.station_a
    response = client.post("/api/v1/standing-assignments/", {
        "person": member.pk, "post": cast.post_a.pk, "weekdays": [1, 2], "periods": "am",
        "start_date": "2026-09-01", "end_date": "2026-12-31"}, format="json")
    assert response.status_code == 201, response.json()
    assert StandingAssignment.objects.get(pk=response.json()["id"]).station == cast.station_a
