"""`there_q` (who the live board counts as at the post, as a condition on assignments) agrees
with the rule itself, `attendance_status` as LivePerson.is_there reads it, for every way an
assignment can stand: checked in or not, before or after the start, after the end; checked
out before or after the end; excused; with or without its CheckIn row; at moments before,
during and after the shift."""

import datetime
import itertools
from zoneinfo import ZoneInfo

from attendance.models import CheckIn
from attendance.selectors.live import LivePerson
from attendance.services import attendance_status, there_q
from duty.models import Assignment, AttendanceStatus
from org.models import PersonKind
from tests.factories import AssignmentFactory, PersonFactory, ShiftFactory

TZ = ZoneInfo("Asia/Shanghai")
MINUTE = datetime.timedelta(minutes=1)


def test_there_q_is_the_board_s_rule(cast):
    shift = ShiftFactory(post=cast.post_a, date=datetime.date(2026, 9, 7))
    start, end = shift.starts_at, shift.ends_at
    checked_in = [None, start - 5 * MINUTE, start + 5 * MINUTE, end, end + MINUTE]
    checked_out = [None, end - 10 * MINUTE, end, end + 10 * MINUTE]
    cases = []
    for n, (came, left, excused, row) in enumerate(itertools.product(checked_in, checked_out, (False, True),
                                                                       (True, False))):
        if left is not None and came is None:
            continue  # nobody checks out who never checked in
        person = PersonFactory(kind=PersonKind.POLICE, unit=cast.station_a, name=f"人{n}")
        assignment = AssignmentFactory(
            shift=shift, person=person, checked_in_at=came, checked_out_at=left,
            attendance=AttendanceStatus.EXCUSED if excused else AttendanceStatus.PENDING,
            excuse_reason="病假" if excused else "")
        check_in = CheckIn.objects.create(assignment=assignment, at=came) if row and came is not None else None
        cases.append((assignment, check_in))
    counted = set(Assignment.objects.filter(there_q()).values_list("pk", flat=True))
    for now in (start - 10 * MINUTE, start + 10 * MINUTE, end + 30 * MINUTE):
        by_rule = {
            a.pk for a, check_in in cases
            if LivePerson(assignment=a, check_in=check_in, status=attendance_status(
                starts_at=a.starts_at, ends_at=a.ends_at, checked_in_at=a.checked_in_at,
                checked_out_at=a.checked_out_at, now=now, excused=a.attendance == AttendanceStatus.EXCUSED,
            )).is_there
        }
        assert counted == by_rule
    assert 0 < len(counted) < len(cases)
