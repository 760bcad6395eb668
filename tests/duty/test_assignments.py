"""Putting people on shifts: the rules every path goes through (the board, the API, standing
assignments, copying a week), and what a refusal tells the dispatcher.

Messages are checked in English (the msgids) so that the tests say what each refusal names:
the person, the reason, and for a clash the other post and its time."""

import datetime

import pytest
from django.utils import timezone

from duty.models import Assignment, AssignmentSource, Leave, Notification, RosterWeek, Shift
from duty.services.assignments import (
    assignment_create, assignment_delete, assignment_move, week_copy, week_publish,
)
from duty.services.generation import shift_generate
from org.models import PersonKind
from posts.models import Post
from tests.factories import CalendarOverrideFactory, PersonFactory, TermFactory, TimetableFactory
from tests.scenes import moment, refusal

pytestmark = pytest.mark.usefixtures("english")

D = datetime.date
T = datetime.time
GATE = "圣莲岛小学·正门护学岗"
SIDE = "圣莲岛小学·侧门护学岗"


@pytest.fixture
def roster(cast, time_machine):
    """Three weeks of shifts from 7 September 2026 (Friday 25th is the Mid-autumn Festival),
    generated on 20 August. School A has a second post, the side gate. Windows: mornings
    07:25-08:10, afternoons 16:15-17:10."""
    time_machine.move_to(moment(2026, 8, 20, 9, 0), tick=False)
    TermFactory(school=None, start=D(2026, 9, 1), end=D(2027, 1, 20))
    for school in (cast.school_a, cast.school_b):
        TimetableFactory(school=school, period="am", start=T(7, 40), end=T(8, 10))
        TimetableFactory(school=school, period="pm", start=T(16, 30), end=T(17, 10))
    cast.side_a = Post.objects.create(school=cast.school_a, name="侧门护学岗", station=cast.station_a)
    shift_generate(start=D(2026, 9, 7), end=D(2026, 9, 27))
    return cast


def shift(post, day, period="am") -> Shift:
    return Shift.objects.get(post=post, date=day, period=period)


def test_it_puts_a_person_on_a_shift_with_the_shifts_window(roster):
    cast = roster
    monday = shift(cast.post_a, D(2026, 9, 7))
    assignment = assignment_create(shift=monday, person=cast.officer_a, user=cast.alice)
    assert (assignment.shift, assignment.person, assignment.station) == (monday, cast.officer_a, cast.station_a)
    assert (assignment.starts_at, assignment.ends_at) == (monday.starts_at, monday.ends_at)
    assert assignment.active and assignment.source == AssignmentSource.MANUAL and assignment.created_by == cast.alice
    assert not Notification.objects.exists()  # a draft week tells nobody


def test_a_dismissed_person_is_refused(roster):
    cast = roster
    person = PersonFactory(name="李退", unit=cast.station_a, active=False, dismissed_reason="辞职",
                           dismissed_on=D(2026, 8, 1))
    field, message = refusal(lambda: assignment_create(shift=shift(cast.post_a, D(2026, 9, 7)), person=person,
                                                       user=cast.alice))
    assert field == "person"
    assert "李退" in message and "dismissed" in message
    assert not Assignment.objects.exists()


def test_alice_cannot_put_a_person_of_another_station_on_her_shift(roster):
    cast = roster
    outsider = PersonFactory(name="王乙", unit=cast.station_b)
    field, message = refusal(lambda: assignment_create(shift=shift(cast.post_a, D(2026, 9, 7)), person=outsider,
                                                       user=cast.alice))
    assert field == "person"
    assert "王乙" in message and "not in your scope" in message


def test_alice_cannot_staff_another_stations_shift(roster):
    cast = roster
    field, message = refusal(lambda: assignment_create(shift=shift(cast.post_b, D(2026, 9, 7)),
                                                       person=cast.officer_a, user=cast.alice))
    assert field == "shift"
    assert "not in your scope" in message


def test_a_person_on_leave_that_day_is_refused(roster):
    cast = roster
    Leave.objects.create(person=cast.officer_a, station=cast.station_a, start_date=D(2026, 9, 8),
                         end_date=D(2026, 9, 9), reason="病假")
    field, message = refusal(lambda: assignment_create(shift=shift(cast.post_a, D(2026, 9, 8), "pm"),
                                                       person=cast.officer_a, user=cast.alice))
    assert field == "person"
    assert "张斌" in message and "on leave" in message and "2026-09-08" in message and "病假" in message
    assignment_create(shift=shift(cast.post_a, D(2026, 9, 10)), person=cast.officer_a, user=cast.alice)


def test_a_person_already_on_an_overlapping_shift_is_refused_naming_that_shift(roster):
    cast = roster
    assignment_create(shift=shift(cast.post_a, D(2026, 9, 8)), person=cast.officer_a, user=cast.alice)
    field, message = refusal(lambda: assignment_create(shift=shift(cast.side_a, D(2026, 9, 8)),
                                                       person=cast.officer_a, user=cast.alice))
    assert field == "person"
    assert "张斌" in message
    assert f"{GATE} 2026-09-08 07:25-08:10" in message
    assert "overlaps" in message
    assert Assignment.objects.count() == 1


def test_the_morning_and_the_afternoon_of_one_day_do_not_clash(roster):
    cast = roster
    assignment_create(shift=shift(cast.post_a, D(2026, 9, 8)), person=cast.officer_a, user=cast.alice)
    assignment_create(shift=shift(cast.side_a, D(2026, 9, 8), "pm"), person=cast.officer_a, user=cast.alice)
    assert Assignment.objects.filter(person=cast.officer_a).count() == 2


def test_a_person_cannot_be_on_one_shift_twice(roster):
    cast = roster
    monday = shift(cast.post_a, D(2026, 9, 7))
    assignment_create(shift=monday, person=cast.officer_a, user=cast.alice)
    field, message = refusal(lambda: assignment_create(shift=monday, person=cast.officer_a, user=cast.alice))
    assert field == "person"
    assert "张斌" in message and "already on this shift" in message


def test_a_cancelled_shift_is_refused(roster):
    cast = roster
    CalendarOverrideFactory(school=cast.school_a, date=D(2026, 9, 9), is_school_day=False, reason="运动会")
    shift_generate(start=D(2026, 9, 7), end=D(2026, 9, 13))
    field, message = refusal(lambda: assignment_create(shift=shift(cast.post_a, D(2026, 9, 9)),
                                                       person=cast.officer_a, user=cast.alice))
    assert field == "shift"
    assert "cancelled" in message


def test_a_shift_that_is_over_is_refused_and_one_under_way_is_not(roster, time_machine):
    cast = roster
    time_machine.move_to(moment(2026, 9, 8, 9, 0), tick=False)
    field, message = refusal(lambda: assignment_create(shift=shift(cast.post_a, D(2026, 9, 8)),
                                                       person=cast.officer_a, user=cast.alice))
    assert field == "shift"
    assert "over" in message
    time_machine.move_to(moment(2026, 9, 8, 16, 30), tick=False)  # the afternoon began at 16:15
    assignment_create(shift=shift(cast.post_a, D(2026, 9, 8), "pm"), person=cast.officer_a, user=cast.alice)


def test_a_move_takes_the_new_shifts_window(roster):
    cast = roster
    assignment = assignment_create(shift=shift(cast.post_a, D(2026, 9, 8)), person=cast.officer_a, user=cast.alice)
    target = shift(cast.side_a, D(2026, 9, 8))  # overlaps only the booking being moved
    moved = assignment_move(assignment=assignment, to_shift=target, user=cast.alice)
    moved.refresh_from_db()
    assert moved.shift == target
    assert (moved.starts_at, moved.ends_at) == (target.starts_at, target.ends_at)
    assert Assignment.objects.count() == 1


def test_a_move_is_checked_by_the_same_rules(roster):
    cast = roster
    assignment = assignment_create(shift=shift(cast.post_a, D(2026, 9, 8)), person=cast.officer_a, user=cast.alice)
    assignment_create(shift=shift(cast.post_a, D(2026, 9, 10)), person=cast.officer_a, user=cast.alice)
    Leave.objects.create(person=cast.officer_a, station=cast.station_a, start_date=D(2026, 9, 9),
                         end_date=D(2026, 9, 9), reason="家中有事")

    _, on_leave = refusal(lambda: assignment_move(assignment=assignment, to_shift=shift(cast.post_a, D(2026, 9, 9)),
                                                  user=cast.alice))
    assert "张斌" in on_leave and "家中有事" in on_leave
    _, clash = refusal(lambda: assignment_move(assignment=assignment, to_shift=shift(cast.side_a, D(2026, 9, 10)),
                                               user=cast.alice))
    assert "张斌" in clash and f"{GATE} 2026-09-10 07:25-08:10" in clash
    _, scope = refusal(lambda: assignment_move(assignment=assignment, to_shift=shift(cast.post_b, D(2026, 9, 8)),
                                               user=cast.alice))
    assert "not in your scope" in scope
    assignment.refresh_from_db()
    assert assignment.shift == shift(cast.post_a, D(2026, 9, 8))


def test_an_assignment_can_be_removed_until_the_person_checks_in(roster):
    cast = roster
    first = assignment_create(shift=shift(cast.post_a, D(2026, 9, 7)), person=cast.officer_a, user=cast.alice)
    assignment_delete(assignment=first, user=cast.alice)
    assert not Assignment.objects.exists()

    second = assignment_create(shift=shift(cast.post_a, D(2026, 9, 8)), person=cast.officer_a, user=cast.alice)
    Assignment.objects.filter(pk=second.pk).update(checked_in_at=timezone.now())
    field, message = refusal(lambda: assignment_delete(assignment=second, user=cast.alice))
    assert field == "assignment"
    assert "张斌" in message and "checked in" in message
    _, moving = refusal(lambda: assignment_move(assignment=second, to_shift=shift(cast.side_a, D(2026, 9, 8)),
                                                user=cast.alice))
    assert "张斌" in moving and "checked in" in moving
    assert Assignment.objects.filter(pk=second.pk, shift__post=cast.post_a).exists()


def test_copying_last_week_copies_what_it_can_and_says_why_it_skipped_the_rest(roster):
    cast = roster
    li = PersonFactory(name="李四", unit=cast.station_a, kind=PersonKind.AUXILIARY)
    wang = PersonFactory(name="王五", unit=cast.station_a)
    for person, post, day, period in [
        (cast.officer_a, cast.post_a, D(2026, 9, 14), "am"),
        (cast.officer_a, cast.post_a, D(2026, 9, 18), "am"),  # next Friday is the Mid-autumn Festival
        (li, cast.side_a, D(2026, 9, 15), "pm"),
        (wang, cast.post_a, D(2026, 9, 16), "am"),  # on leave next Wednesday
    ]:
        assignment_create(shift=shift(post, day, period), person=person, user=cast.alice)
    Leave.objects.create(person=wang, station=cast.station_a, start_date=D(2026, 9, 23), end_date=D(2026, 9, 23),
                         reason="年休假")

    result = week_copy(station=cast.station_a, week_start=D(2026, 9, 21), user=cast.alice)

    assert result.copied == 2
    copied = Assignment.objects.filter(source=AssignmentSource.COPIED)
    assert {(a.person.name, a.shift.post_id, a.shift.date, a.shift.period) for a in copied} == {
        ("张斌", cast.post_a.pk, D(2026, 9, 21), "am"), ("李四", cast.side_a.pk, D(2026, 9, 22), "pm")}
    assert len(result.skipped) == 2
    holiday = next(s for s in result.skipped if "张斌" in s)
    assert "2026-09-25" in holiday and "no shift that day" in holiday
    leave = next(s for s in result.skipped if "王五" in s)
    assert "年休假" in leave and "on leave" in leave
    again = week_copy(station=cast.station_a, week_start=D(2026, 9, 21), user=cast.alice)
    assert again.copied == 0
    assert any("already on this shift" in s for s in again.skipped)


def test_a_week_starts_on_a_monday_and_belongs_to_the_dispatchers_station(roster):
    cast = roster
    assert refusal(lambda: week_copy(station=cast.station_a, week_start=D(2026, 9, 22), user=cast.alice))[0] == "week"
    assert refusal(lambda: week_publish(station=cast.station_a, week_start=D(2026, 9, 22), user=cast.alice))[0] == "week"
    assert refusal(lambda: week_copy(station=cast.station_a, week_start=D(2026, 9, 21), user=cast.bob))[0] == "station"
    assert refusal(lambda: week_publish(station=cast.station_a, week_start=D(2026, 9, 21), user=cast.bob))[0] == "station"
    assert not Shift.objects.filter(published=True).exists()


def test_publishing_a_week_publishes_its_shifts_and_tells_each_person_with_an_account(roster):
    cast = roster
    li = PersonFactory(name="李四", unit=cast.station_a)  # no login account
    assignment_create(shift=shift(cast.post_a, D(2026, 9, 14)), person=cast.officer_a, user=cast.alice)
    assignment_create(shift=shift(cast.side_a, D(2026, 9, 16), "pm"), person=cast.officer_a, user=cast.alice)
    assignment_create(shift=shift(cast.post_a, D(2026, 9, 15)), person=li, user=cast.alice)

    week = week_publish(station=cast.station_a, week_start=D(2026, 9, 14), user=cast.alice)

    assert week.published_at == timezone.now() and week.published_by == cast.alice
    assert RosterWeek.objects.get(station=cast.station_a, week_start=D(2026, 9, 14)).is_published
    this_week = Shift.objects.filter(station=cast.station_a, date__range=(D(2026, 9, 14), D(2026, 9, 20)))
    assert this_week.count() == 2 * 6 * 2  # Sunday the 20th is a make-up working day
    assert not this_week.filter(published=False).exists()
    assert not Shift.objects.filter(station=cast.station_b, published=True).exists()
    assert not Shift.objects.filter(date__gt=D(2026, 9, 20), published=True).exists()
    (note,) = Notification.objects.all()
    assert note.recipient == cast.oscar
    assert "(2)" in note.title
    assert "正门护学岗" in note.body and "侧门护学岗" in note.body and "07:25-08:10" in note.body


def test_a_change_to_a_published_week_tells_the_person(roster):
    cast = roster
    week_publish(station=cast.station_a, week_start=D(2026, 9, 14), user=cast.alice)
    assignment = assignment_create(shift=shift(cast.post_a, D(2026, 9, 15)), person=cast.officer_a, user=cast.alice)
    (assigned,) = Notification.objects.filter(recipient=cast.oscar)
    assert assigned.title.startswith("New shift") and GATE in assigned.title
    assert assigned.shift_id == assignment.shift_id
    assignment_delete(assignment=assignment, user=cast.alice)
    removed = Notification.objects.filter(recipient=cast.oscar).exclude(pk=assigned.pk).get()
    assert removed.title.startswith("Removed from shift")
