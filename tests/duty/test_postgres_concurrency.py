"""Two things at once, on the production database: two generation runs over the same range,
two dispatchers booking one person at the same moment, and the exclusion constraint that
refuses an overlapping booking even when the service is bypassed.

These need PostgreSQL (real concurrent transactions, row locks, the constraint added by
duty migration 0002); CI runs the suite on PostgreSQL. Each thread works on its own database
connection and closes it when done; the tests commit for real (transaction=True); the flush
after each puts back the migrations' data (holidays, role groups) through post_migrate."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from duty.models import Assignment, GenerationRun, Shift
from duty.services.assignments import assignment_create
from duty.services.generation import shift_generate
from org.models import Role
from org.services import user_create
from posts.models import Post
from tests.factories import PersonFactory, TermFactory, TimetableFactory
from tests.fixtures import PASSWORD
from tests.scenes import run_together

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (concurrent transactions and the assignment exclusion constraint); "
           "run with DATABASE_URL=postgres://…",
)
committed = pytest.mark.django_db(transaction=True)

TZ = ZoneInfo("Asia/Shanghai")
D = datetime.date
T = datetime.time


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=TZ)


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(at(2026, 8, 20, 9, 0), tick=False)


@committed
def test_two_generation_runs_at_once_create_each_shift_once(cast, frozen):
    TermFactory(school=None, start=D(2026, 9, 1), end=D(2027, 1, 20))
    for school in (cast.school_a, cast.school_b):
        TimetableFactory(school=school, period="am", start=T(7, 40), end=T(8, 10))
        TimetableFactory(school=school, period="pm", start=T(16, 30), end=T(17, 10))
    for n in range(78):
        Post.objects.create(school=cast.school_a if n % 2 else cast.school_b, name=f"{n}号护学岗",
                            station=cast.station_a if n % 2 else cast.station_b)
    # 15 school days: three weeks less the Mid-autumn Friday, plus the make-up Sunday 20th.
    start, end = D(2026, 9, 7), D(2026, 9, 25)
    expected = Post.objects.count() * 15 * 2

    (first, first_error), (second, second_error) = run_together(
        lambda: shift_generate(start=start, end=end), lambda: shift_generate(start=start, end=end))

    assert first_error is None and second_error is None, (first_error, second_error)
    assert Shift.objects.count() == expected
    assert Shift.objects.values("post_id", "date", "period").distinct().count() == expected
    assert first.created + second.created == expected
    assert GenerationRun.objects.count() == 2


@committed
def test_two_dispatchers_booking_one_person_onto_overlapping_shifts_at_once_one_wins(cast, frozen):
    carol = user_create(username="carol", password=PASSWORD, role=Role.DISPATCHER, unit=cast.station_a,
                        full_name="柯萝")
    side = Post.objects.create(school=cast.school_a, name="侧门护学岗", station=cast.station_a)
    starts = at(2026, 9, 7, 7, 25)
    gate_shift, side_shift = (
        Shift.objects.create(post=post, station=cast.station_a, date=D(2026, 9, 7), period="am",
                             starts_at=starts, ends_at=starts + datetime.timedelta(minutes=45))
        for post in (cast.post_a, side)
    )
    labels = {gate_shift.pk: "圣莲岛小学·正门护学岗 2026-09-07 07:25-08:10",
              side_shift.pk: "圣莲岛小学·侧门护学岗 2026-09-07 07:25-08:10"}

    outcomes = run_together(
        lambda: assignment_create(shift=gate_shift, person=cast.officer_a, user=cast.alice),
        lambda: assignment_create(shift=side_shift, person=cast.officer_a, user=carol),
    )

    won = [value for value, error in outcomes if error is None]
    lost = [error for value, error in outcomes if error is not None]
    assert len(won) == 1 and len(lost) == 1, outcomes
    (winner,) = Assignment.objects.filter(person=cast.officer_a)
    assert winner.pk == won[0].pk
    assert isinstance(lost[0], ValidationError), repr(lost[0])
    (message,) = lost[0].message_dict["person"]
    assert "张斌" in message
    assert labels[winner.shift_id] in message  # the post and time that got there first


@committed
def test_even_without_the_service_the_database_lets_one_of_two_overlapping_bookings_through(cast, frozen):
    side = Post.objects.create(school=cast.school_a, name="侧门护学岗", station=cast.station_a)
    starts = at(2026, 9, 7, 7, 25)
    shifts = [
        Shift.objects.create(post=post, station=cast.station_a, date=D(2026, 9, 7), period="am",
                             starts_at=starts, ends_at=starts + datetime.timedelta(minutes=45))
        for post in (cast.post_a, side)
    ]

    def book(shift):
        return lambda: Assignment.objects.create(shift=shift, person=cast.officer_a, station=cast.station_a,
                                                 starts_at=shift.starts_at, ends_at=shift.ends_at)

    outcomes = run_together(book(shifts[0]), book(shifts[1]))

    errors = [error for _value, error in outcomes if error is not None]
    assert len(errors) == 1, outcomes
    # PostgreSQL refuses the second either as a constraint violation or, when both inserts
    # wait on each other while checking the constraint, as a deadlock it breaks; either way
    # exactly one booking stands. (The service locks the person first, so it never sees the
    # deadlock.)
    assert isinstance(errors[0], IntegrityError) or "deadlock detected" in str(errors[0])
    assert Assignment.objects.filter(person=cast.officer_a).count() == 1


@pytest.mark.django_db
def test_the_exclusion_constraint_refuses_an_overlapping_insert_that_bypasses_the_service(cast):
    person = PersonFactory(unit=cast.station_a)
    side = Post.objects.create(school=cast.school_a, name="侧门护学岗", station=cast.station_a)
    starts = at(2026, 9, 7, 7, 25)

    def shift_for(post, start, period="am"):
        return Shift.objects.create(post=post, station=cast.station_a, date=start.date(), period=period,
                                    starts_at=start, ends_at=start + datetime.timedelta(minutes=45))

    def book(shift, **extra):
        return Assignment.objects.create(shift=shift, person=person, station=cast.station_a,
                                         starts_at=shift.starts_at, ends_at=shift.ends_at, **extra)

    book(shift_for(cast.post_a, starts))
    overlapping = shift_for(side, starts + datetime.timedelta(minutes=30))
    with pytest.raises(IntegrityError, match="assignment_no_overlap"), transaction.atomic():
        book(overlapping)
    # An inactive booking (its shift cancelled) blocks nobody; a window that starts as the
    # other ends does not overlap it.
    book(overlapping, active=False)
    book(shift_for(side, starts + datetime.timedelta(minutes=45), period="pm"))
    assert Assignment.objects.filter(person=person).count() == 3
