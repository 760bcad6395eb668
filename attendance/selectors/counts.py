"""Attendance counted over a range and a unit (what a bulletin reports; reports/ reads the
same counts for its figures, so their numbers agree).

The days of a range already closed and tallied (duty.tallies) are read from their DayTally
rows, a row per station and day; the others (today, a day not closed yet) are counted from
the assignments. The sum is the same figure either way (tests/duty/test_tallies.py)."""

from __future__ import annotations

import datetime
from functools import cached_property

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from duty.counting import ATTENDANCE_COUNTS, STOOD, attendance_counts, decided_q
from duty.models import Assignment, DayTally, TalliedDay, sees_everyones_attendance
from org.models import Unit, User
from org.scope import scope_is_everywhere, scope_unit_ids


class Scope:
    """Whose figures: what the user may see, narrowed to a unit's subtree if given, over the
    days `start` to `end` (both included)."""

    def __init__(self, user: User, start: datetime.date, end: datetime.date, unit: Unit | None = None):
        self.user, self.start, self.end, self.unit = user, start, end, unit

    def __repr__(self) -> str:
        return f"Scope(user={self.user.pk}, start={self.start}, end={self.end}, unit={getattr(self.unit, 'pk', None)})"

    def assignments(self) -> QuerySet:
        """Every active assignment of the range in scope: what the lists show."""
        queryset = Assignment.objects.visible_to(self.user).filter(
            active=True, shift__date__range=(self.start, self.end)
        )
        if self.unit is not None:
            queryset = queryset.filter(station_id__in=self.unit.subtree_ids())
        return queryset

    @cached_property
    def tallied_days(self) -> list[datetime.date]:
        """The range's days kept in DayTally (one query, once). Tallies count a station's
        whole day, so they serve those who read every assignment of their scope; an officer,
        who sees his own, gets none."""
        if not sees_everyones_attendance(self.user) or self.start > self.end:
            return []
        return list(TalliedDay.objects.filter(date__range=(self.start, self.end)).values_list("date", flat=True))

    def untallied_assignments(self) -> QuerySet:
        """`assignments()` of the days not tallied, to be counted afresh."""
        tallied = set(self.tallied_days)
        if not tallied:
            return self.assignments()
        days = [self.start + datetime.timedelta(days=n) for n in range((self.end - self.start).days + 1)]
        rest = [day for day in days if day not in tallied]
        return self.assignments().filter(shift__date__in=rest) if rest else Assignment.objects.none()

    @cached_property
    def untallied_counts(self) -> list[dict]:
        """The days not tallied counted once, by station and day (one grouped query, kept for
        every figure read from this scope): {station_id, station__name, date, stood, assigned,
        on_time, late, absent, left_early}, the attendance counts over the decided assignments
        (duty.counting.decided_q) and `stood` over all (duty.counting.STOOD)."""
        rows = self.untallied_assignments()
        if rows.query.is_empty():
            return []
        rows = (rows.order_by().values("station_id", "station__name", "shift__date")
                .annotate(stood=Count("id", filter=STOOD), **attendance_counts(decided_q(timezone.now()))))
        return [{**row, "date": row.pop("shift__date")} for row in rows]

    def tallies(self) -> QuerySet:
        """The DayTally rows of the tallied days in scope (none when no day is tallied)."""
        tallied = self.tallied_days
        if not tallied:
            return DayTally.objects.none()
        first, last = min(tallied), max(tallied)
        # Usually the days before today, one after the other: a range, not a list of dates.
        rows = (DayTally.objects.filter(date__range=(first, last)) if len(tallied) == (last - first).days + 1
                else DayTally.objects.filter(date__in=tallied))
        if not scope_is_everywhere(self.user):
            rows = rows.filter(station_id__in=scope_unit_ids(self.user))
        if self.unit is not None:
            rows = rows.filter(station_id__in=self.unit.subtree_ids())
        return rows


def tallied_sums(rows: QuerySet, *fields: str) -> dict[str, int]:
    """The DayTally columns summed over the rows (zero for none): one query, none when the
    rows are `none()`."""
    if rows.query.is_empty():
        return dict.fromkeys(fields, 0)
    sums = rows.aggregate(**{field: Sum(field) for field in fields})
    return {field: sums[field] or 0 for field in fields}


# The attendance rate (到岗率) = shifts stood on time / shifts assigned, where "assigned" counts
# the active, not excused assignments of shifts that have ended.
def _rate(on_time: int, assigned: int) -> float | None:
    return round(on_time / assigned, 4) if assigned else None


def _decided(scope: Scope) -> QuerySet:
    return scope.assignments().filter(decided_q(timezone.now()))


def attendance_rows(scope: Scope, *group_by: str) -> list[dict]:
    """The decided assignments of the scope grouped by `group_by` (fields of Assignment), each
    row counted (assigned, on time, late, absent, left early) with its rate. One query."""
    rows = _decided(scope).values(*group_by).annotate(**attendance_counts()).order_by(*group_by)
    result = []
    for row in rows:
        row["rate"] = _rate(row["on_time"], row["assigned"])
        result.append(row)
    return result


COUNTS = ATTENDANCE_COUNTS


def attendance_by_station(scope: Scope) -> list[dict]:
    """attendance_rows by station: the tallied days' rows added to the others' count (the
    scope's untallied_counts, read once)."""
    by_station: dict[int, dict] = {}

    def add(rows) -> None:
        for row in rows:
            into = by_station.setdefault(row["station_id"], {"station_id": row["station_id"],
                                                              "station__name": row["station__name"],
                                                              **dict.fromkeys(COUNTS, 0)})
            for key in COUNTS:
                into[key] += row[key] or 0

    add(scope.untallied_counts)
    tallies = scope.tallies()
    if not tallies.query.is_empty():
        add(tallies.values("station_id", "station__name").annotate(**{key: Sum(key) for key in COUNTS}).order_by())
    rows = sorted(by_station.values(), key=lambda row: (row["station_id"], row["station__name"]))
    for row in rows:
        row["rate"] = _rate(row["on_time"], row["assigned"])
    return rows


def attendance_breakdown(scope: Scope) -> dict:
    """The whole scope as one row of the attendance tables (their total row): assigned, on
    time, late, absent, left early, and the rate."""
    kept = tallied_sums(scope.tallies(), *COUNTS)
    totals = {key: sum(row[key] for row in scope.untallied_counts) + kept[key] for key in COUNTS}
    totals["rate"] = _rate(totals["on_time"], totals["assigned"])
    return totals
