"""Shift generation: "on-duty time follows the school's time".

For every active post, school day and period, one shift whose window is the school's
timetable window for that date, opened earlier by the post's lead minutes. A re-run re-times,
cancels or restores the future shifts nobody has checked in to, and leaves started ones alone.

The clock is frozen at 2026-08-20 09:00 (Asia/Shanghai) unless a test moves it: generation
never creates a shift that has already started."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from duty.models import (
    Assignment, AssignmentSource, GenerationRun, Leave, Notification, RosterWeek, Shift, ShiftStatus,
    StandingAssignment,
)
from duty.services import generation
from duty.services.assignments import assignment_create
from duty.services.generation import shift_generate
from posts.models import Timetable, weekdays_to_mask
from tests.factories import CalendarOverrideFactory, TermFactory, TimetableFactory

TZ = ZoneInfo("Asia/Shanghai")
D = datetime.date
T = datetime.time
WEEKDAYS = weekdays_to_mask([1, 2, 3, 4, 5])
# The first full school week of the autumn term: Monday 7 to Friday 11 September 2026.
WEEK = (D(2026, 9, 7), D(2026, 9, 13))


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=TZ)


def local_window(shift) -> tuple[str, str]:
    start, end = timezone.localtime(shift.starts_at, TZ), timezone.localtime(shift.ends_at, TZ)
    return f"{start:%Y-%m-%d %H:%M}", f"{end:%H:%M}"


def timetable(school, period, start, end, weekdays=WEEKDAYS, valid_from=D(2026, 9, 1), valid_to=None):
    return TimetableFactory(school=school, period=period, weekdays=weekdays, start=start, end=end,
                            valid_from=valid_from, valid_to=valid_to)


@pytest.fixture
def term(cast, time_machine):
    """The district's autumn term, the clock before it starts, no timetables yet."""
    time_machine.move_to(at(2026, 8, 20, 9, 0), tick=False)
    TermFactory(school=None, start=D(2026, 9, 1), end=D(2027, 1, 20))
    return cast


@pytest.fixture
def year(term):
    """Both schools arrive 07:40-08:10 and leave 16:30-17:10 on weekdays; posts open 15
    minutes early."""
    cast = term
    for school in (cast.school_a, cast.school_b):
        timetable(school, "am", T(7, 40), T(8, 10))
        timetable(school, "pm", T(16, 30), T(17, 10))
    return cast


def shift(post, day, period="am") -> Shift:
    return Shift.objects.get(post=post, date=day, period=period)


def test_it_makes_one_shift_per_post_school_day_and_period_opened_early_by_the_lead_time(year):
    cast = year
    cast.post_b.lead_minutes = 30
    cast.post_b.save()
    result = shift_generate(start=WEEK[0], end=WEEK[1])
    assert result.created == 2 * 5 * 2  # posts × school days × periods
    assert Shift.objects.filter(date__in=[D(2026, 9, 12), D(2026, 9, 13)]).count() == 0  # the weekend
    monday_a = shift(cast.post_a, D(2026, 9, 7))
    assert local_window(monday_a) == ("2026-09-07 07:25", "08:10")
    assert local_window(shift(cast.post_a, D(2026, 9, 7), "pm")) == ("2026-09-07 16:15", "17:10")
    assert local_window(shift(cast.post_b, D(2026, 9, 7))) == ("2026-09-07 07:10", "08:10")
    assert timezone.is_aware(monday_a.starts_at)
    assert monday_a.starts_at == datetime.datetime(2026, 9, 6, 23, 25, tzinfo=datetime.UTC)
    assert monday_a.station == cast.station_a
    assert monday_a.status == ShiftStatus.SCHEDULED and not monday_a.published and not monday_a.calendar_guess


def test_a_second_run_creates_nothing_and_finds_what_the_first_created(year):
    first = shift_generate(start=WEEK[0], end=WEEK[1])
    second = shift_generate(start=WEEK[0], end=WEEK[1])
    assert first.created == 20
    assert second.created == 0
    assert second.existing == first.created
    assert (second.retimed, second.cancelled, second.restored, second.left) == (0, 0, 0, 0)
    assert Shift.objects.count() == 20
    runs = GenerationRun.objects.order_by("started_at", "pk")
    assert [(r.created, r.existing) for r in runs] == [(20, 0), (0, 20)]


def test_it_writes_nothing_when_it_fails_half_way(year, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(generation, "_apply_standing_assignments", explode)
    with pytest.raises(RuntimeError):
        shift_generate(start=WEEK[0], end=WEEK[1])
    assert Shift.objects.count() == 0
    assert GenerationRun.objects.count() == 0


def test_it_never_creates_a_shift_that_has_already_started(year, time_machine):
    time_machine.move_to(at(2026, 9, 7, 7, 30), tick=False)
    result = shift_generate(start=WEEK[0], end=WEEK[1])
    assert not Shift.objects.filter(date=D(2026, 9, 7), period="am").exists()
    assert Shift.objects.filter(date=D(2026, 9, 7), period="pm").count() == 2
    assert result.created == 18


def test_a_timetable_change_re_times_future_shifts_and_the_assignments_on_them(year):
    cast = year
    shift_generate(start=WEEK[0], end=WEEK[1])
    tuesday = shift(cast.post_a, D(2026, 9, 8))
    assignment = assignment_create(shift=tuesday, person=cast.officer_a, user=cast.alice)
    Timetable.objects.filter(school=cast.school_a, period="am").update(start=T(7, 50), end=T(8, 20))

    result = shift_generate(start=WEEK[0], end=WEEK[1])

    assert result.retimed == 5  # school A's mornings
    assert result.existing == 15
    assert result.created == 0
    tuesday.refresh_from_db()
    assert local_window(tuesday) == ("2026-09-08 07:35", "08:20")
    assignment.refresh_from_db()
    assert (assignment.starts_at, assignment.ends_at) == (tuesday.starts_at, tuesday.ends_at)
    assert local_window(shift(cast.post_b, D(2026, 9, 8))) == ("2026-09-08 07:25", "08:10")


def test_re_timing_a_published_shift_tells_the_people_on_it(year):
    cast = year
    shift_generate(start=WEEK[0], end=WEEK[1])
    assignment_create(shift=shift(cast.post_a, D(2026, 9, 8)), person=cast.officer_a, user=cast.alice)
    Shift.objects.update(published=True)
    Timetable.objects.filter(school=cast.school_a, period="am").update(start=T(7, 50), end=T(8, 20))
    shift_generate(start=WEEK[0], end=WEEK[1])
    note = Notification.objects.get(recipient=cast.oscar)
    assert "07:35-08:20" in note.title


def test_a_date_that_stops_being_a_school_day_cancels_its_shifts_and_removing_the_override_restores_them(year):
    cast = year
    shift_generate(start=WEEK[0], end=WEEK[1])
    wednesday = D(2026, 9, 9)
    assignment = assignment_create(shift=shift(cast.post_a, wednesday), person=cast.officer_a, user=cast.alice)
    override = CalendarOverrideFactory(school=cast.school_a, date=wednesday, is_school_day=False, reason="运动会")

    cancelled = shift_generate(start=WEEK[0], end=WEEK[1])

    assert cancelled.cancelled == 2
    assert set(Shift.objects.filter(status=ShiftStatus.CANCELLED).values_list("post_id", "date", "period")) == {
        (cast.post_a.pk, wednesday, "am"), (cast.post_a.pk, wednesday, "pm")}
    assignment.refresh_from_db()
    assert not assignment.active  # a cancelled shift blocks nobody
    assert shift_generate(start=WEEK[0], end=WEEK[1]).cancelled == 0  # and stays cancelled, once

    override.delete()
    restored = shift_generate(start=WEEK[0], end=WEEK[1])

    assert restored.restored == 2
    assert not Shift.objects.filter(status=ShiftStatus.CANCELLED).exists()
    assignment.refresh_from_db()
    assert assignment.active
    assert Shift.objects.count() == 20


def test_a_shift_that_has_started_keeps_its_window(year, time_machine):
    cast = year
    shift_generate(start=WEEK[0], end=WEEK[1])
    monday = shift(cast.post_a, D(2026, 9, 7))
    time_machine.move_to(at(2026, 9, 7, 7, 30), tick=False)  # inside Monday morning's 07:25-08:10
    Timetable.objects.filter(period="am").update(start=T(8, 0), end=T(8, 30))

    result = shift_generate(start=WEEK[0], end=WEEK[1])

    monday.refresh_from_db()
    assert local_window(monday) == ("2026-09-07 07:25", "08:10")
    assert result.left == 2  # both posts' Monday mornings
    assert result.retimed == 8  # the mornings still ahead
    assert local_window(shift(cast.post_a, D(2026, 9, 8))) == ("2026-09-08 07:45", "08:30")


def test_a_started_shift_is_not_cancelled_either(year, time_machine):
    cast = year
    shift_generate(start=WEEK[0], end=WEEK[1])
    time_machine.move_to(at(2026, 9, 7, 7, 30), tick=False)
    CalendarOverrideFactory(school=cast.school_a, date=D(2026, 9, 7), is_school_day=False, reason="临时停课")
    result = shift_generate(start=WEEK[0], end=WEEK[1])
    assert shift(cast.post_a, D(2026, 9, 7)).status == ShiftStatus.SCHEDULED
    assert shift(cast.post_a, D(2026, 9, 7), "pm").status == ShiftStatus.CANCELLED
    assert (result.left, result.cancelled) == (2, 1)


def test_a_shift_someone_has_checked_in_to_is_left_alone(year):
    cast = year
    shift_generate(start=WEEK[0], end=WEEK[1])
    tuesday = shift(cast.post_a, D(2026, 9, 8))
    assignment = assignment_create(shift=tuesday, person=cast.officer_a, user=cast.alice)
    Assignment.objects.filter(pk=assignment.pk).update(checked_in_at=timezone.now())
    Timetable.objects.filter(school=cast.school_a, period="am").update(start=T(7, 50), end=T(8, 20))
    CalendarOverrideFactory(school=cast.school_b, date=D(2026, 9, 8), is_school_day=False, reason="运动会")

    result = shift_generate(start=WEEK[0], end=WEEK[1])

    tuesday.refresh_from_db()
    assert local_window(tuesday) == ("2026-09-08 07:25", "08:10")
    assert tuesday.status == ShiftStatus.SCHEDULED
    assert result.left == 1
    assert result.retimed == 4


def test_summer_and_winter_timetables_each_apply_on_their_own_dates(term):
    cast = term
    timetable(cast.school_a, "am", T(7, 30), T(8, 0), valid_from=D(2026, 5, 1), valid_to=D(2026, 9, 30))
    timetable(cast.school_a, "am", T(7, 50), T(8, 20), valid_from=D(2026, 10, 1))
    shift_generate(start=D(2026, 9, 28), end=D(2026, 10, 16), unit=cast.station_a)
    assert local_window(shift(cast.post_a, D(2026, 9, 30))) == ("2026-09-30 07:15", "08:00")
    assert local_window(shift(cast.post_a, D(2026, 10, 8))) == ("2026-10-08 07:35", "08:20")
    assert local_window(shift(cast.post_a, D(2026, 10, 16))) == ("2026-10-16 07:35", "08:20")


def test_a_friday_only_timetable_makes_friday_shifts_only(term):
    cast = term
    timetable(cast.school_a, "am", T(7, 40), T(8, 10))
    timetable(cast.school_a, "pm", T(15, 0), T(15, 40), weekdays=weekdays_to_mask([5]))
    result = shift_generate(start=WEEK[0], end=WEEK[1], unit=cast.station_a)
    assert result.created == 5 + 1
    (friday,) = Shift.objects.filter(period="pm")
    assert friday.date == D(2026, 9, 11)
    assert local_window(friday) == ("2026-09-11 14:45", "15:40")


def test_national_day_has_no_shifts_and_its_make_up_saturday_follows_monday(term):
    cast = term
    timetable(cast.school_a, "am", T(7, 20), T(7, 50), weekdays=weekdays_to_mask([1]))
    timetable(cast.school_a, "am", T(7, 40), T(8, 10), weekdays=weekdays_to_mask([2, 3, 4, 5]))
    shift_generate(start=D(2026, 9, 28), end=D(2026, 10, 11), unit=cast.station_a)
    dates = list(Shift.objects.order_by("date").values_list("date", flat=True))
    assert dates == [D(2026, 9, 28), D(2026, 9, 29), D(2026, 9, 30), D(2026, 10, 8), D(2026, 10, 9),
                     D(2026, 10, 10)]
    assert local_window(shift(cast.post_a, D(2026, 10, 10))) == ("2026-10-10 07:05", "07:50")
    assert local_window(shift(cast.post_a, D(2026, 10, 9))) == ("2026-10-09 07:25", "08:10")


def test_a_saturday_make_up_class_uses_the_timetable_of_the_weekday_it_follows(term):
    cast = term
    timetable(cast.school_a, "pm", T(16, 30), T(17, 10), weekdays=weekdays_to_mask([1, 2, 4, 5]))
    timetable(cast.school_a, "pm", T(15, 0), T(15, 40), weekdays=weekdays_to_mask([3]))
    CalendarOverrideFactory(school=cast.school_a, date=D(2026, 11, 21), is_school_day=True, follows_weekday=3,
                            reason="周六补课")
    shift_generate(start=D(2026, 11, 21), end=D(2026, 11, 22), unit=cast.station_a)
    (saturday,) = Shift.objects.all()
    assert local_window(saturday) == ("2026-11-21 14:45", "15:40")


def test_shifts_in_a_year_without_holiday_rows_say_the_calendar_is_a_guess(year):
    result = shift_generate(start=D(2027, 1, 4), end=D(2027, 1, 10))
    assert result.guessed_days == 5
    assert Shift.objects.count() == 20
    assert not Shift.objects.filter(calendar_guess=False).exists()
    shift_generate(start=WEEK[0], end=WEEK[1])
    assert not Shift.objects.filter(date__lte=WEEK[1], calendar_guess=True).exists()


def test_standing_assignments_put_people_on_the_new_shifts_except_on_their_leave(year):
    cast = year
    StandingAssignment.objects.create(
        person=cast.officer_a, post=cast.post_a, station=cast.station_a, weekdays=WEEKDAYS,
        periods=StandingAssignment.Periods.AM, start_date=D(2026, 9, 1), end_date=D(2026, 12, 31),
    )
    Leave.objects.create(person=cast.officer_a, station=cast.station_a, start_date=D(2026, 9, 9),
                         end_date=D(2026, 9, 9), reason="参加培训")

    result = shift_generate(start=WEEK[0], end=WEEK[1])

    assert result.standing_assigned == 4
    on = Assignment.objects.filter(person=cast.officer_a)
    assert sorted(a.shift.date.day for a in on) == [7, 8, 10, 11]
    assert {(a.shift.period, a.source, a.shift.post_id) for a in on} == {("am", AssignmentSource.STANDING, cast.post_a.pk)}
    assert all((a.starts_at, a.ends_at) == (a.shift.starts_at, a.shift.ends_at) for a in on)
    (skipped,) = result.standing_skipped
    assert "张斌" in skipped and "参加培训" in skipped and "2026-09-09" in skipped
    assert shift_generate(start=WEEK[0], end=WEEK[1]).standing_assigned == 0  # applied to new shifts only


def test_a_standing_assignment_does_not_put_someone_on_two_overlapping_shifts(year):
    cast = year
    gate = cast.post_a
    side = type(gate).objects.create(school=cast.school_a, name="侧门护学岗", station=cast.station_a)
    for post in (gate, side):
        StandingAssignment.objects.create(
            person=cast.officer_a, post=post, station=cast.station_a, weekdays=weekdays_to_mask([1]),
            periods=StandingAssignment.Periods.AM, start_date=D(2026, 9, 1), end_date=D(2026, 12, 31),
        )
    result = shift_generate(start=WEEK[0], end=WEEK[1])
    assert result.standing_assigned == 1
    (skipped,) = result.standing_skipped
    assert "张斌" in skipped and "07:25-08:10" in skipped


def test_shifts_generated_into_a_published_week_are_published(year):
    cast = year
    RosterWeek.objects.create(station=cast.station_a, week_start=WEEK[0], published_at=timezone.now())
    shift_generate(start=WEEK[0], end=D(2026, 9, 20))
    assert Shift.objects.filter(post=cast.post_a, date__lte=WEEK[1]).count() == 10
    assert not Shift.objects.filter(post=cast.post_a, date__lte=WEEK[1], published=False).exists()
    assert not Shift.objects.filter(post=cast.post_b, published=True).exists()  # another station's week
    assert not Shift.objects.filter(date__gt=WEEK[1], published=True).exists()  # the next week


def test_a_dispatcher_generates_the_posts_of_his_own_station(year):
    cast = year
    result = shift_generate(start=WEEK[0], end=WEEK[1], user=cast.alice)
    assert result.created == 10
    assert set(Shift.objects.values_list("station_id", flat=True)) == {cast.station_a.pk}
    with pytest.raises(ValidationError) as excinfo:
        shift_generate(start=WEEK[0], end=WEEK[1], unit=cast.station_b, user=cast.alice)
    assert "unit" in excinfo.value.message_dict


def test_an_inactive_post_gets_no_shifts(year):
    cast = year
    cast.post_b.active = False
    cast.post_b.save()
    shift_generate(start=WEEK[0], end=WEEK[1])
    assert set(Shift.objects.values_list("post_id", flat=True)) == {cast.post_a.pk}


def test_a_range_that_ends_before_it_starts_is_an_error_on_end(year):
    with pytest.raises(ValidationError) as excinfo:
        shift_generate(start=D(2026, 9, 11), end=D(2026, 9, 7))
    assert list(excinfo.value.message_dict) == ["end"]
    with pytest.raises(ValidationError) as excinfo:
        shift_generate(start=D(2026, 9, 1), end=D(2027, 12, 31))
    assert list(excinfo.value.message_dict) == ["end"]
    assert not Shift.objects.exists()


def test_re_timing_that_would_double_book_someone_is_refused_naming_the_person(year):
    """张斌 stands school A's gate at 07:25-08:10 and school B's at 08:45-09:40; school B
    moves its morning to overlap A's. The run is refused before anything changes, and says
    whom to move (on SQLite as on PostgreSQL)."""
    cast = year
    shift_generate(start=WEEK[0], end=WEEK[1])
    monday_a = shift(cast.post_a, D(2026, 9, 7))
    Timetable.objects.filter(school=cast.school_b, period="am").update(start=T(9, 0), end=T(9, 40))
    shift_generate(start=WEEK[0], end=WEEK[1])
    monday_b = shift(cast.post_b, D(2026, 9, 7))
    assignment_create(shift=monday_a, person=cast.officer_a, user=None)
    assignment_create(shift=monday_b, person=cast.officer_a, user=None)
    Timetable.objects.filter(school=cast.school_b, period="am").update(start=T(7, 50), end=T(8, 20))

    with pytest.raises(ValidationError) as refused:
        shift_generate(start=WEEK[0], end=WEEK[1])

    message = refused.value.messages[0]
    assert "张斌" in message and "凯旋路小学·正门护学岗" in message and "圣莲岛小学·正门护学岗" in message
    monday_b.refresh_from_db()
    assert local_window(monday_b) == ("2026-09-07 08:45", "09:40")  # unchanged
