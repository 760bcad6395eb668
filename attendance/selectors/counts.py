"""Attendance counted over a range and a unit (what a bulletin reports; reports/ reads the
same counts for its figures, so their numbers agree)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from duty.models import Assignment, AttendanceStatus
from org.models import Unit, User


@dataclass(frozen=True)
class Scope:
    """Whose figures: what the user may see, narrowed to a unit's subtree if given."""

    user: User
    start: datetime.date
    end: datetime.date
    unit: Unit | None = None

    def assignments(self) -> QuerySet:
        queryset = Assignment.objects.visible_to(self.user).filter(
            active=True, shift__date__range=(self.start, self.end)
        )
        if self.unit is not None:
            queryset = queryset.filter(station_id__in=Unit.objects.subtree_ids(self.unit.pk))
        return queryset


# The attendance rate (到岗率) = shifts stood on time / shifts assigned, where "assigned" counts
# the active, not excused assignments of shifts that have ended.
def _rate(on_time: int, assigned: int) -> float | None:
    return round(on_time / assigned, 4) if assigned else None


def _decided(scope: Scope) -> QuerySet:
    now = timezone.now()
    return scope.assignments().filter(ends_at__lte=now).exclude(attendance=AttendanceStatus.EXCUSED)


def _attendance_counts() -> dict:
    return {
        "assigned": Count("id"),
        "on_time": Count("id", filter=Q(attendance=AttendanceStatus.ON_TIME)),
        "late": Count("id", filter=Q(attendance=AttendanceStatus.LATE)),
        "absent": Count("id", filter=Q(attendance=AttendanceStatus.ABSENT)),
        "left_early": Count("id", filter=Q(attendance=AttendanceStatus.LEFT_EARLY)),
    }


def attendance_rows(scope: Scope, *group_by: str) -> list[dict]:
    """The decided assignments of the scope grouped by `group_by` (fields of Assignment), each
    row counted (assigned, on time, late, absent, left early) with its rate. One query."""
    rows = _decided(scope).values(*group_by).annotate(**_attendance_counts()).order_by(*group_by)
    result = []
    for row in rows:
        row["rate"] = _rate(row["on_time"], row["assigned"])
        result.append(row)
    return result


def attendance_by_station(scope: Scope) -> list[dict]:
    return attendance_rows(scope, "station_id", "station__name")


def attendance_breakdown(scope: Scope) -> dict:
    """The whole scope as one row of the attendance tables (their total row): assigned, on
    time, late, absent, left early, and the rate."""
    totals = _decided(scope).aggregate(**_attendance_counts())
    totals["rate"] = _rate(totals["on_time"], totals["assigned"])
    return totals
