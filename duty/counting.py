"""The rules the duty figures count assignments by, each once: the kept counts of closed days
(duty.tallies) and the figures counted afresh (attendance.selectors.counts,
reports.selectors.duty) both build on them, so they cannot drift apart.

- person-times deployed (出动警力人次): police and auxiliaries who stood a shift (checked in);
- the attendance rate (到岗率) = on time / assigned, where "assigned" counts the active, not
  excused assignments of shifts that have ended.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Q

from duty.models import DEPLOYED_KINDS, AttendanceStatus

__all__ = ["ATTENDANCE_COUNTS", "STOOD", "attendance_counts", "decided_q"]

# An assignment the person-times count.
STOOD = Q(person__kind__in=DEPLOYED_KINDS, checked_in_at__isnull=False)
ATTENDANCE_COUNTS = ("assigned", "on_time", "late", "absent", "left_early")


def decided_q(now: datetime.datetime) -> Q:
    """The assignments the attendance rate counts at `now`: their shift has ended, and they
    are not excused."""
    return Q(ends_at__lte=now) & ~Q(attendance=AttendanceStatus.EXCUSED)


def attendance_counts(among: Q | None = None) -> dict:
    """assigned, on time, late, absent, left early as aggregates: of the rows, or of those
    `among` selects (decided_q, when the rows are not filtered by it already)."""
    among = among or Q()
    return {
        "assigned": Count("id", filter=among) if among else Count("id"),
        "on_time": Count("id", filter=among & Q(attendance=AttendanceStatus.ON_TIME)),
        "late": Count("id", filter=among & Q(attendance=AttendanceStatus.LATE)),
        "absent": Count("id", filter=among & Q(attendance=AttendanceStatus.ABSENT)),
        "left_early": Count("id", filter=among & Q(attendance=AttendanceStatus.LEFT_EARLY)),
    }
