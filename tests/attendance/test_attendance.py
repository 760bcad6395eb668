"""Attendance at the post, through the services every path uses (the phone page, the API,
the dispatcher's radio roll-call, the Celery jobs): the geofence, the one status rule at
each of its boundaries, the check-in window, retries, whose assignment it is, the kit, the
job that marks absences and the one that reminds people.

The clock is frozen wherever "now" matters. The shift is Monday 7 September 2026 at station
A's gate, 07:25-08:10 (Asia/Shanghai); check-in opens CHECK_IN_OPENS_MINUTES (30) before the
start. Messages are checked in English (the msgids)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from attendance import tasks as attendance_tasks
from attendance.geo import distance_m, within
from attendance.models import CheckIn, CheckInMethod
from attendance.services import (
    assignment_check_in,
    assignment_check_out,
    assignment_excuse,
    attendance_status,
    close_ended_shifts,
)
from duty import tasks
from duty.models import Assignment, AttendanceStatus, Notification, Shift
from duty.services.reminders import remind_upcoming
from org.models import PersonKind, Role
from org.services import user_create
from tests.factories import PersonFactory, ShiftFactory
from tests.fixtures import PASSWORD
from tests.scenes import ALL_KIT, END, MINUTE, START, put_on, refusal

pytestmark = pytest.mark.usefixtures("english")

SECOND = datetime.timedelta(seconds=1)
OPENS = START - 30 * MINUTE  # 06:55
METRES_PER_DEGREE_OF_LATITUDE = 111_195  # on the mean Earth radius attendance.geo uses


def north_of(lat, lng, metres) -> tuple[Decimal, Decimal]:
    """A point `metres` due north, to the 6 decimal places a phone sends (about 0.1 m)."""
    return (Decimal(f"{float(lat) + metres / METRES_PER_DEGREE_OF_LATITUDE:.6f}"), Decimal(f"{float(lng):.6f}"))


@pytest.fixture
def duty(cast, clock):
    """Oscar (police, station A) on the published Monday-morning shift at station A's gate."""
    cast.shift = ShiftFactory(post=cast.post_a, published=True)
    cast.mine = put_on(cast.shift, cast.officer_a)
    cast.gate = (cast.post_a.lat, cast.post_a.lng)
    return cast


def check_in(cast, assignment=None, user=None, metres=0, **extra):
    """Check in `metres` north of the gate, with the full kit unless told otherwise."""
    lat, lng = north_of(*cast.gate, metres)
    extra.setdefault("equipment", ALL_KIT)
    return assignment_check_in(assignment=assignment or cast.mine, user=user or cast.oscar, lat=lat, lng=lng,
                               **extra)


# --- the geofence ----------------------------------------------------------------------------


def test_distance_m_measures_a_point_moved_north_by_a_known_distance(cast):
    lat, lng = float(cast.post_a.lat), float(cast.post_a.lng)
    for metres in (10, 150, 1000):
        assert distance_m(lat, lng, lat + metres / METRES_PER_DEGREE_OF_LATITUDE, lng) == pytest.approx(metres,
                                                                                                        abs=0.05)
    assert distance_m(lat, lng, lat, lng) == 0


def test_the_edge_of_the_fence_counts_as_inside(cast):
    lat, lng = float(cast.post_a.lat), float(cast.post_a.lng)
    edge = distance_m(lat, lng, lat + 150 / METRES_PER_DEGREE_OF_LATITUDE, lng)
    assert within(edge, radius_m=edge)
    assert within(150, radius_m=150)
    assert within(149.99, radius_m=150)
    assert not within(150.01, radius_m=150)
    assert not within(edge, radius_m=edge - 0.001)


def test_a_check_in_inside_the_fence_is_kept_unflagged_with_its_distance(duty):
    duty.post_a.radius_m = 150
    duty.post_a.save()
    check, created = check_in(duty, metres=100)
    assert created
    assert check.inside_geofence is True and check.flagged is False
    assert check.distance_m == 100
    assert check.outside_reason == ""
    assert (check.lat, check.lng) == north_of(*duty.gate, 100)


def test_a_phone_measured_exactly_at_the_radius_is_inside(duty, monkeypatch):
    # A real pair of 6-decimal points is never exactly 150.000 m apart; the service's rule
    # for the boundary value itself is checked by having the measurement return it.
    monkeypatch.setattr("attendance.services.distance_m", lambda *points: 150.0)
    check, created = check_in(duty, metres=150)
    assert created and check.inside_geofence is True and check.flagged is False
    assert check.distance_m == 150


def test_a_few_centimetres_either_side_of_the_edge(duty):
    """0.001348° north is 149.89 m from the gate, 0.001349° is 150.002 m: inside and outside
    a 150 m fence."""
    lat, lng = duty.gate
    just_inside = (lat + Decimal("0.001348"), lng)
    just_outside = (lat + Decimal("0.001349"), lng)
    assert 149.8 < distance_m(*map(float, duty.gate), *map(float, just_inside)) < 150
    assert 150 < distance_m(*map(float, duty.gate), *map(float, just_outside)) < 150.01

    field, message = refusal(lambda: assignment_check_in(assignment=duty.mine, user=duty.oscar, lat=just_outside[0],
                                                         lng=just_outside[1], equipment=ALL_KIT))
    assert field == "outside_reason"
    check, _ = assignment_check_in(assignment=duty.mine, user=duty.oscar, lat=just_inside[0], lng=just_inside[1],
                                   equipment=ALL_KIT)
    assert check.inside_geofence is True


def test_outside_the_fence_without_a_reason_is_refused_naming_the_distance(duty):
    field, message = refusal(lambda: check_in(duty, metres=300))
    assert field == "outside_reason"
    assert "300 m from the post" in message and "150 m" in message
    assert not CheckIn.objects.exists()
    duty.mine.refresh_from_db()
    assert duty.mine.checked_in_at is None and duty.mine.attendance == AttendanceStatus.PENDING


def test_outside_the_fence_with_a_reason_is_kept_and_flagged(duty):
    check, created = check_in(duty, metres=300, outside_reason="  路口疏导交通  ")
    assert created
    assert check.inside_geofence is False and check.flagged is True
    assert check.distance_m == 300
    assert check.outside_reason == "路口疏导交通"
    assert CheckIn.objects.get().pk == check.pk


def test_a_phone_check_in_needs_the_location(duty):
    field, message = refusal(lambda: assignment_check_in(assignment=duty.mine, user=duty.oscar, equipment=ALL_KIT))
    assert field == "lat" and "location" in message
    assert not CheckIn.objects.exists()


# --- the status rule at its boundaries -------------------------------------------------------


def status(checked_in=None, checked_out=None, now=END + MINUTE, excused=False) -> str:
    return attendance_status(starts_at=START, ends_at=END, checked_in_at=checked_in, checked_out_at=checked_out,
                             now=now, excused=excused)


@pytest.mark.parametrize(("checked_in", "checked_out", "now", "expected"), [
    (START, None, START, AttendanceStatus.ON_TIME),
    (START - 20 * MINUTE, None, START, AttendanceStatus.ON_TIME),
    (START + SECOND, None, START + SECOND, AttendanceStatus.LATE),
    (None, None, END - SECOND, AttendanceStatus.PENDING),
    (None, None, END, AttendanceStatus.ABSENT),
    (END, None, END, AttendanceStatus.ABSENT),  # "in" only when the shift was over
    (START, END - SECOND, END - SECOND, AttendanceStatus.LEFT_EARLY),
    (START, END, END, AttendanceStatus.ON_TIME),
    (START + SECOND, END, END, AttendanceStatus.LATE),
    (START + SECOND, END - SECOND, END, AttendanceStatus.LEFT_EARLY),  # leaving early outweighs lateness
])
def test_the_status_rule(checked_in, checked_out, now, expected):
    assert status(checked_in, checked_out, now) == expected


def test_an_excuse_outweighs_everything():
    assert status(None, None, END, excused=True) == AttendanceStatus.EXCUSED
    assert status(START, END - SECOND, END, excused=True) == AttendanceStatus.EXCUSED


def test_checking_in_exactly_at_the_start_is_on_time(duty, clock):
    clock(START)
    check, _ = check_in(duty)
    duty.mine.refresh_from_db()
    assert check.at == START == duty.mine.checked_in_at
    assert duty.mine.attendance == AttendanceStatus.ON_TIME


def test_checking_in_one_second_after_the_start_is_late(duty, clock):
    clock(START + SECOND)
    check_in(duty)
    duty.mine.refresh_from_db()
    assert duty.mine.attendance == AttendanceStatus.LATE


def test_without_a_check_in_it_is_pending_until_the_end_and_absent_from_the_end(duty, clock):
    clock(END - SECOND)
    assert close_ended_shifts() == 0
    duty.mine.refresh_from_db()
    assert duty.mine.attendance == AttendanceStatus.PENDING and duty.mine.closed_at is None

    clock(END)
    assert close_ended_shifts() == 1
    duty.mine.refresh_from_db()
    assert duty.mine.attendance == AttendanceStatus.ABSENT and duty.mine.closed_at == END


def test_checking_out_one_second_before_the_end_is_leaving_early(duty, clock):
    clock(START)
    check_in(duty)
    clock(END - SECOND)
    out = assignment_check_out(assignment=duty.mine, user=duty.oscar)
    assert out.checked_out_at == END - SECOND
    assert out.attendance == AttendanceStatus.LEFT_EARLY
    clock(END)
    close_ended_shifts()
    duty.mine.refresh_from_db()
    assert duty.mine.attendance == AttendanceStatus.LEFT_EARLY


def test_checking_out_exactly_at_the_end_is_on_time(duty, clock):
    clock(START)
    check_in(duty)
    clock(END)
    out = assignment_check_out(assignment=duty.mine, user=duty.oscar, lat=duty.gate[0], lng=duty.gate[1])
    assert out.attendance == AttendanceStatus.ON_TIME
    assert out.check_out_distance_m == 0


def test_a_late_arrival_stays_late_after_a_full_check_out(duty, clock):
    clock(START + 5 * MINUTE)
    check_in(duty)
    clock(END + MINUTE)
    assert assignment_check_out(assignment=duty.mine, user=duty.oscar).attendance == AttendanceStatus.LATE


def test_a_repeated_check_out_returns_the_first(duty, clock):
    clock(START)
    check_in(duty)
    clock(END - 10 * MINUTE)
    assignment_check_out(assignment=duty.mine, user=duty.oscar)
    clock(END + MINUTE)
    again = assignment_check_out(assignment=duty.mine, user=duty.oscar)
    assert again.checked_out_at == END - 10 * MINUTE
    assert again.attendance == AttendanceStatus.LEFT_EARLY


def test_checking_out_before_checking_in_is_refused(duty, clock):
    clock(START)
    field, message = refusal(lambda: assignment_check_out(assignment=duty.mine, user=duty.oscar))
    assert field == "assignment" and "Check in first" in message


def test_the_dispatcher_excuses_an_absence_with_a_reason(duty, clock):
    field, message = refusal(lambda: assignment_excuse(assignment=duty.mine, user=duty.alice, reason="   "))
    assert field == "reason"
    duty.mine.refresh_from_db()
    assert duty.mine.attendance == AttendanceStatus.PENDING

    excused = assignment_excuse(assignment=duty.mine, user=duty.alice, reason=" 抽调处置警情 ")
    assert excused.attendance == AttendanceStatus.EXCUSED
    assert excused.excuse_reason == "抽调处置警情" and excused.excused_by == duty.alice

    clock(END)
    close_ended_shifts()
    duty.mine.refresh_from_db()
    assert duty.mine.attendance == AttendanceStatus.EXCUSED and duty.mine.closed_at == END
    clock(START)
    field, message = refusal(lambda: check_in(duty))
    assert field == "assignment" and "excused" in message


def test_only_a_dispatcher_of_the_station_may_excuse(duty):
    with pytest.raises(PermissionDenied):
        assignment_excuse(assignment=duty.mine, user=duty.oscar, reason="病假")
    with pytest.raises(PermissionDenied):
        assignment_excuse(assignment=duty.mine, user=duty.bob, reason="病假")
    with pytest.raises(PermissionDenied):
        assignment_excuse(assignment=duty.mine, user=duty.sam, reason="病假")
    duty.mine.refresh_from_db()
    assert duty.mine.attendance == AttendanceStatus.PENDING and duty.mine.excuse_reason == ""


# --- the check-in window ---------------------------------------------------------------------


def test_check_in_opens_thirty_minutes_before_the_start(duty, clock, settings):
    assert settings.CHECK_IN_OPENS_MINUTES == 30
    clock(OPENS - SECOND)
    field, message = refusal(lambda: check_in(duty))
    assert field == "assignment"
    assert "opens at 06:55" in message and "30 minutes" in message
    assert not CheckIn.objects.exists()

    clock(OPENS)
    check, created = check_in(duty)
    assert created and check.at == OPENS
    duty.mine.refresh_from_db()
    assert duty.mine.attendance == AttendanceStatus.ON_TIME


def test_the_opening_follows_the_setting(duty, clock, settings):
    settings.CHECK_IN_OPENS_MINUTES = 10
    clock(START - 10 * MINUTE - SECOND)
    field, message = refusal(lambda: check_in(duty))
    assert "opens at 07:15" in message
    clock(START - 10 * MINUTE)
    assert check_in(duty)[1]


def test_check_in_closes_at_the_end(duty, clock):
    clock(END)
    field, message = refusal(lambda: check_in(duty))
    assert field == "assignment"
    assert "ended at 08:10" in message and "closed" in message
    assert not CheckIn.objects.exists()

    clock(END - SECOND)
    check_in(duty)
    duty.mine.refresh_from_db()
    assert duty.mine.attendance == AttendanceStatus.LATE


def test_a_cancelled_shift_takes_no_check_in(duty, clock):
    clock(START)
    Assignment.objects.filter(pk=duty.mine.pk).update(active=False)
    field, message = refusal(lambda: check_in(duty))
    assert field == "assignment" and "cancelled" in message


# --- retries, whose assignment, the radio roll-call -----------------------------------------


def test_a_retried_check_in_returns_the_first_unchanged(duty, clock):
    clock(START - 5 * MINUTE)
    first, created = check_in(duty, metres=20, equipment=["cap"])
    assert created
    clock(START + 2 * MINUTE)
    again, created_again = check_in(duty, metres=120, equipment=ALL_KIT)
    assert not created_again
    assert again.pk == first.pk
    stored = CheckIn.objects.get()
    assert (stored.lat, stored.lng, stored.distance_m) == (*north_of(*duty.gate, 20), 20)
    assert stored.at == START - 5 * MINUTE and stored.kit == ["cap"]
    duty.mine.refresh_from_db()
    assert duty.mine.checked_in_at == START - 5 * MINUTE and duty.mine.attendance == AttendanceStatus.ON_TIME


def test_an_officer_cannot_check_in_someone_elses_assignment(duty, clock):
    clock(START)
    colleague = PersonFactory(name="李同", unit=duty.station_a)
    theirs = put_on(duty.shift, colleague)
    with pytest.raises(PermissionDenied, match="李同"):
        check_in(duty, assignment=theirs)
    assert not CheckIn.objects.exists()


def test_an_officer_cannot_read_or_redo_someone_elses_check_in(duty, clock):
    """Once the colleague has checked in, a "retry" by someone else is still refused: it
    would hand over the colleague's location."""
    clock(START)
    colleague = PersonFactory(name="李同", unit=duty.station_a)
    user_create(username="li", password=PASSWORD, role=Role.OFFICER, unit=duty.station_a, person=colleague)
    colleague.refresh_from_db()
    theirs = put_on(duty.shift, colleague)
    check_in(duty, assignment=theirs, user=colleague.user)
    with pytest.raises(PermissionDenied):
        check_in(duty, assignment=theirs)
    with pytest.raises(PermissionDenied):
        assignment_check_out(assignment=theirs, user=duty.oscar)


def test_the_dispatcher_records_a_radio_roll_call(duty, clock):
    clock(START + 3 * MINUTE)
    check, created = assignment_check_in(assignment=duty.mine, user=duty.alice, method=CheckInMethod.RADIO,
                                         equipment=ALL_KIT)
    assert created
    assert check.method == CheckInMethod.RADIO and check.recorded_by == duty.alice
    assert check.lat is None and check.inside_geofence is None and check.flagged is False
    duty.mine.refresh_from_db()
    assert duty.mine.checked_in_at == START + 3 * MINUTE and duty.mine.attendance == AttendanceStatus.LATE


def test_a_phone_check_in_is_recorded_by_its_owner(duty, clock):
    clock(START)
    check, _ = check_in(duty)
    assert check.method == CheckInMethod.PHONE and check.recorded_by == duty.oscar


def test_a_dispatcher_cannot_check_someone_in_by_phone_nor_another_station_by_radio(duty, clock):
    clock(START)
    with pytest.raises(PermissionDenied):
        check_in(duty, user=duty.alice)
    # Another station's assignment does not exist for bob (the API answers 404).
    with pytest.raises(Assignment.DoesNotExist):
        assignment_check_in(assignment=duty.mine, user=duty.bob, method=CheckInMethod.RADIO)
    with pytest.raises(PermissionDenied):
        assignment_check_in(assignment=duty.mine, user=duty.oscar, method=CheckInMethod.RADIO)
    assert not CheckIn.objects.exists()


# --- the kit ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [PersonKind.POLICE, PersonKind.AUXILIARY])
def test_missing_kit_is_recorded_and_flagged_for_police_and_auxiliaries(duty, clock, kind):
    clock(START)
    person = PersonFactory(kind=kind, unit=duty.station_a)
    assignment = put_on(duty.shift, person)
    check, _ = assignment_check_in(assignment=assignment, user=duty.alice, method=CheckInMethod.RADIO,
                                   equipment=["police_kit", "cap", "radio", "cap"])
    assert check.kit == ["police_kit", "cap", "radio"]
    assert check.kit_missing == ["shoulder_light", "body_camera"]
    assert check.flagged is True


def test_the_full_kit_is_not_flagged(duty, clock):
    clock(START)
    check, _ = check_in(duty, equipment=list(reversed(ALL_KIT)))
    assert check.kit_missing == [] and check.flagged is False


@pytest.mark.parametrize("kind", [PersonKind.VOLUNTEER, PersonKind.GUARD, PersonKind.SCHOOL_SECURITY])
def test_kit_is_not_asked_of_volunteers_and_school_people(duty, clock, kind):
    clock(START)
    assignment = put_on(duty.shift, PersonFactory(kind=kind, unit=duty.station_a))
    check, _ = assignment_check_in(assignment=assignment, user=duty.alice, method=CheckInMethod.RADIO)
    assert check.kit == [] and check.kit_missing == [] and check.flagged is False


def test_an_unknown_kit_item_is_refused_by_name(duty, clock):
    clock(START)
    field, message = refusal(lambda: check_in(duty, equipment=["cap", "umbrella"]))
    assert field == "equipment" and "umbrella" in message
    assert not CheckIn.objects.exists()


# --- the absence job -------------------------------------------------------------------------


@pytest.fixture
def morning(duty, clock):
    """Six people on the Monday-morning shift, one of each outcome, plus a later shift."""
    people = {name: PersonFactory(name=name, unit=duty.station_a) for name in
              ("准时", "迟到", "早退", "缺岗", "请假", "撤销")}
    rows = {name: put_on(duty.shift, person) for name, person in people.items()}
    later = ShiftFactory(post=duty.post_b, starts_at=END + 6 * 60 * MINUTE, ends_at=END + 7 * 60 * MINUTE,
                         published=True)
    rows["下午"] = put_on(later, PersonFactory(name="下午", unit=duty.station_b))
    clock(START)
    for name in ("准时", "早退"):
        assignment_check_in(assignment=rows[name], user=duty.alice, method=CheckInMethod.RADIO, equipment=ALL_KIT)
    clock(START + 4 * MINUTE)
    assignment_check_in(assignment=rows["迟到"], user=duty.alice, method=CheckInMethod.RADIO, equipment=ALL_KIT)
    clock(START + 20 * MINUTE)
    assignment_check_out(assignment=rows["早退"], user=duty.alice)
    assignment_excuse(assignment=rows["请假"], user=duty.alice, reason="病假")
    Assignment.objects.filter(pk=rows["撤销"].pk).update(active=False)
    return rows


def attendance_rows() -> list[tuple]:
    return list(Assignment.objects.order_by("pk").values_list("pk", "attendance", "closed_at"))


def test_the_absence_job_decides_each_ended_assignment_once(morning, clock):
    clock(END)
    assert close_ended_shifts() == 6  # oscar's and five of the six; the inactive one is left
    decided = {a.person.name: (a.attendance, a.closed_at) for a in Assignment.objects.select_related("person")}
    assert decided == {
        "张斌": (AttendanceStatus.ABSENT, END),
        "准时": (AttendanceStatus.ON_TIME, END),
        "迟到": (AttendanceStatus.LATE, END),
        "早退": (AttendanceStatus.LEFT_EARLY, END),
        "缺岗": (AttendanceStatus.ABSENT, END),
        "请假": (AttendanceStatus.EXCUSED, END),
        "撤销": (AttendanceStatus.PENDING, None),
        "下午": (AttendanceStatus.PENDING, None),
    }
    first = attendance_rows()

    clock(END + 30 * MINUTE)
    assert close_ended_shifts() == 0
    assert attendance_rows() == first


def test_the_absence_task_run_twice_changes_nothing_the_second_time(morning, clock):
    clock(END + MINUTE)
    assert attendance_tasks.close_ended_shifts() == 6
    first = attendance_rows()
    assert Assignment.objects.filter(attendance=AttendanceStatus.ABSENT).count() == 2

    clock(END + 2 * MINUTE)
    assert attendance_tasks.close_ended_shifts() == 0
    assert attendance_rows() == first


def test_the_absence_job_works_in_batches(morning, clock):
    clock(END)
    assert close_ended_shifts(batch=2) == 6
    assert not Assignment.objects.filter(active=True, closed_at__isnull=True, ends_at__lte=END).exists()


# --- reminders -------------------------------------------------------------------------------


@pytest.fixture
def assignees(duty):
    """Oscar and Olga (both with accounts) and 王五 (no account) on the published shift."""
    olga = PersonFactory(name="欧佳", unit=duty.station_a)
    duty.olga = user_create(username="olga", password=PASSWORD, role=Role.OFFICER, unit=duty.station_a, person=olga)
    put_on(duty.shift, olga)
    put_on(duty.shift, PersonFactory(name="王五", unit=duty.station_a))
    return duty


def test_reminders_are_sent_once_per_assignee(assignees, clock):
    clock(START - 20 * MINUTE)
    assert remind_upcoming() == 3
    assert remind_upcoming() == 0
    clock(START - 10 * MINUTE)
    assert remind_upcoming() == 0
    notes = Notification.objects.order_by("recipient__username")
    assert [n.recipient for n in notes] == [assignees.olga, assignees.oscar]
    assert all(n.shift == assignees.shift and "Reminder" in n.title and "正门护学岗" in n.title for n in notes)
    assert not Assignment.objects.filter(reminded_at__isnull=True).exists()


def test_the_reminder_task_run_twice_sends_once(assignees, clock):
    clock(START - 30 * MINUTE)
    assert tasks.send_reminders() == 3
    assert tasks.send_reminders() == 0
    assert Notification.objects.filter(recipient=assignees.oscar).count() == 1


def test_reminders_start_remind_before_minutes_before_the_shift(assignees, clock, settings):
    assert settings.REMIND_BEFORE_MINUTES == 30
    clock(START - 30 * MINUTE - SECOND)
    assert remind_upcoming() == 0
    assert not Notification.objects.exists()
    clock(START - 30 * MINUTE)
    assert remind_upcoming() == 3


def test_no_reminder_for_a_draft_a_started_shift_or_someone_already_in(duty, clock):
    draft = ShiftFactory(post=duty.post_b, published=False)
    put_on(draft, PersonFactory(unit=duty.station_b))
    clock(START - 10 * MINUTE)
    check_in(duty)
    assert remind_upcoming() == 0
    clock(START)
    Shift.objects.filter(pk=draft.pk).update(published=True)
    assert remind_upcoming() == 0
    assert not Notification.objects.exists()
