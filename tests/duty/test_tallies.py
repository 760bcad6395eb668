"""The kept counts of closed days (duty.tallies): closing the shifts tallies the days it closed,
every write path that can change a tallied day counts it again, and the figures read from the
tallies equal the figures counted afresh from the assignments. `tally_check()` (behind
`manage.py tally_days --check`) is the fresh count every test compares the kept rows with."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.admin.sites import site
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from attendance.selectors.counts import Scope, attendance_breakdown, attendance_by_station
from attendance.services import assignment_check_out, assignment_excuse, close_ended_shifts
from duty.models import Assignment, DayTally, Shift, TalliedDay
from duty.services.assignments import assignment_delete, assignment_move
from duty.tallies import tally_check, tally_days
from org.models import PersonKind
from reports.selectors.dashboard import _person_times_by_week
from reports.selectors.duty import person_times
from tests.factories import AssignmentFactory, PersonFactory, ShiftFactory

TZ = ZoneInfo("Asia/Shanghai")
D = datetime.date
MON, TUE, THU = D(2026, 9, 7), D(2026, 9, 8), D(2026, 9, 10)
NOW = datetime.datetime(2026, 9, 10, 9, 0, tzinfo=TZ)  # Thursday morning: Monday and Tuesday are over
MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def week(cast, time_machine):
    """Monday and Tuesday at two stations, closed on Thursday morning.

    Station A, Monday: police on time (the officer Oscar), auxiliary absent, guard on time.
    Station A, Tuesday: police absent, auxiliary late. Station B, Tuesday: police on time.
    A shift at station A on Thursday afternoon is still to come."""
    time_machine.move_to(NOW, tick=False)
    mon_a = ShiftFactory(post=cast.post_a, date=MON, published=True)
    tue_a = ShiftFactory(post=cast.post_a, date=TUE, published=True)
    tue_b = ShiftFactory(post=cast.post_b, date=TUE, published=True)
    later = ShiftFactory(post=cast.post_a, date=THU, period="pm", published=True)

    def put(shift, kind, checked_in=None, person=None):
        person = person or PersonFactory(kind=kind, unit=shift.station)
        at = None if checked_in is None else shift.starts_at + checked_in * MINUTE
        return AssignmentFactory(shift=shift, person=person, checked_in_at=at)

    rows = {
        "mon_police": put(mon_a, PersonKind.POLICE, -5, person=cast.officer_a),
        "mon_auxiliary": put(mon_a, PersonKind.AUXILIARY),
        "mon_guard": put(mon_a, PersonKind.GUARD, -10),
        "tue_police": put(tue_a, PersonKind.POLICE),
        "tue_auxiliary": put(tue_a, PersonKind.AUXILIARY, 12),
        "tue_b_police": put(tue_b, PersonKind.POLICE, -1),
    }
    close_ended_shifts(now=NOW)
    for assignment in rows.values():
        assignment.refresh_from_db()
    rows["later"] = later
    return rows


def kept(station, day) -> dict:
    row = DayTally.objects.filter(station=station, date=day).values(
        "stood", "assigned", "on_time", "late", "absent", "left_early").first()
    return row or {}


def figures(scope: Scope) -> dict:
    return {"person_times": person_times(scope), "attendance": attendance_breakdown(scope),
            "by_station": attendance_by_station(scope), "weeks": _person_times_by_week(scope)}


def afresh(scope: Scope) -> dict:
    """The same figures counted from the assignments alone (no day tallied for this scope)."""
    scope.__dict__["tallied_days"] = []
    return figures(scope)


def same_either_way(user, unit=None, start=D(2026, 9, 1), end=D(2026, 9, 30)) -> dict:
    read = figures(Scope(user, start, end, unit))
    assert read == afresh(Scope(user, start, end, unit))
    return read


def test_closing_the_shifts_tallies_the_closed_days(cast, week):
    assert list(TalliedDay.objects.values_list("date", flat=True)) == [MON, TUE, D(2026, 9, 9)]
    assert kept(cast.station_a, MON) == {"stood": 1, "assigned": 3, "on_time": 2, "late": 0, "absent": 1,
                                          "left_early": 0}
    assert kept(cast.station_a, TUE) == {"stood": 1, "assigned": 2, "on_time": 0, "late": 1, "absent": 1,
                                          "left_early": 0}
    assert kept(cast.station_b, TUE) == {"stood": 1, "assigned": 1, "on_time": 1, "late": 0, "absent": 0,
                                          "left_early": 0}
    assert DayTally.objects.count() == 3
    assert tally_check() == []


def test_the_figures_read_the_tallies_and_equal_a_fresh_count(cast, week):
    for unit in (None, cast.bureau, cast.station_a, cast.station_b):
        same_either_way(cast.henry, unit)
    same_either_way(cast.alice)
    read = same_either_way(cast.henry, start=TUE, end=THU)  # two days tallied, today counted
    assert read["person_times"] == 2
    assert read["attendance"]["assigned"] == 3
    # The tallies are what is read: a kept count changed by hand changes the figure.
    DayTally.objects.filter(station=cast.station_a, date=MON).update(stood=40)
    assert person_times(Scope(cast.henry, MON, THU)) == 42
    assert tally_check() == [f"{MON} station {cast.station_a.pk}: kept "
                             "{'stood': 40, 'assigned': 3, 'on_time': 2, 'late': 0, 'absent': 1, 'left_early': 0}, "
                             "counted {'stood': 1, 'assigned': 3, 'on_time': 2, 'late': 0, 'absent': 1, "
                             "'left_early': 0}"]
    with pytest.raises(CommandError, match="1 kept counts differ"):
        call_command("tally_days", "--check")
    call_command("tally_days", "--rebuild")
    assert tally_check() == []
    assert person_times(Scope(cast.henry, MON, THU)) == 3


def test_a_day_with_an_assignment_still_open_is_not_tallied(cast, time_machine):
    time_machine.move_to(NOW, tick=False)
    AssignmentFactory(shift=ShiftFactory(post=cast.post_a, date=MON))
    shift = ShiftFactory(post=cast.post_a, date=TUE)
    AssignmentFactory(shift=shift, ends_at=NOW + 60 * MINUTE)  # runs on past its shift's day
    close_ended_shifts(now=NOW)
    assert TUE not in set(TalliedDay.objects.values_list("date", flat=True))
    assert MON in set(TalliedDay.objects.values_list("date", flat=True))


def test_an_officer_reads_no_tallies(cast, week):
    scope = Scope(cast.oscar, D(2026, 9, 1), D(2026, 9, 30))
    assert scope.tallied_days == []
    assert person_times(scope) == 1  # his own Monday


def test_an_excuse_counts_the_day_again(cast, week):
    assignment_excuse(assignment=week["mon_auxiliary"], user=cast.alice, reason="病假")
    assert kept(cast.station_a, MON)["assigned"] == 2
    assert kept(cast.station_a, MON)["absent"] == 0
    assert tally_check() == []
    same_either_way(cast.henry)


def test_taking_someone_off_a_tallied_day_counts_it_again(cast, week):
    assignment_delete(assignment=week["tue_police"], user=cast.alice)
    assert kept(cast.station_a, TUE)["assigned"] == 1
    assert tally_check() == []
    same_either_way(cast.henry)


def test_moving_someone_off_a_tallied_day_counts_it_again(cast, week):
    assignment_move(assignment=week["tue_police"], to_shift=week["later"], user=cast.alice)
    assert kept(cast.station_a, TUE)["assigned"] == 1
    assert tally_check() == []
    same_either_way(cast.henry)


def test_a_late_check_out_counts_the_day_again(cast, week):
    assignment_check_out(assignment=week["mon_police"], user=cast.oscar, now=NOW)
    assert tally_check() == []
    same_either_way(cast.henry)


def test_a_person_s_kind_changed_counts_his_days_again(cast, week):
    person = week["tue_auxiliary"].person
    person.kind = PersonKind.VOLUNTEER
    person.save()
    assert kept(cast.station_a, TUE)["stood"] == 0
    assert tally_check() == []
    same_either_way(cast.henry)
    # A save that does not touch the kind counts nothing again (and needs no query for it).
    DayTally.objects.filter(station=cast.station_a, date=TUE).update(stood=7)
    person.save(update_fields=["name"])
    assert kept(cast.station_a, TUE)["stood"] == 7


def test_deleting_in_the_admin_counts_the_days_again(cast, week, admin_user):
    request = RequestFactory().post("/")
    request.user = admin_user
    model_admin = site._registry[Assignment]
    model_admin.delete_queryset(request, Assignment.objects.filter(pk=week["mon_guard"].pk))
    assert kept(cast.station_a, MON)["assigned"] == 2
    model_admin.delete_model(request, Assignment.objects.get(pk=week["tue_b_police"].pk))
    assert kept(cast.station_b, TUE) == {}
    site._registry[Shift].delete_queryset(request, Shift.objects.filter(pk=week["tue_police"].shift_id))
    assert kept(cast.station_a, TUE) == {}
    assert tally_check() == []
    same_either_way(cast.henry)


def test_tallying_again_writes_the_same_rows(cast, week):
    before = sorted(DayTally.objects.values_list("date", "station_id", "stood", "assigned", "on_time", "absent"))
    tally_days([MON, TUE])
    call_command("tally_days")
    after = sorted(DayTally.objects.values_list("date", "station_id", "stood", "assigned", "on_time", "absent"))
    assert after == before


def test_the_nightly_check_mends_a_day_that_differs(cast, week):
    from django_celery_beat.models import PeriodicTask

    from duty.tasks import check_tallies

    assert check_tallies() == []
    DayTally.objects.filter(station=cast.station_b, date=TUE).update(on_time=0)
    assert check_tallies() == [TUE.isoformat()]
    assert tally_check() == []
    assert kept(cast.station_b, TUE)["on_time"] == 1
    task = PeriodicTask.objects.get(task="duty.check_tallies")
    assert task.enabled and (task.crontab.hour, task.crontab.minute) == ("3", "20")
