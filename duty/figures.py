"""The duty figures the report counts, in one selector module: the HQ page, the bulletins,
the API and (later) the dashboards and the work briefing all read them from here, so their
numbers agree.

- person-times deployed (出动警力人次): assignments of police and auxiliaries that were stood,
  i.e. checked in;
- attendance rate (到岗率) = shifts stood on time / shifts assigned, where "assigned" counts the
  active, not excused assignments of shifts that have ended;
- findings of spot checks by kind and station; bulletins issued.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from duty.models import Assignment, AttendanceStatus, Bulletin, Finding, FindingIssue, SpotCheck
from org.models import PersonKind, Unit, User
from org.scope import unit_subtree_ids

DEPLOYED_KINDS = (PersonKind.POLICE, PersonKind.AUXILIARY)


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
            queryset = queryset.filter(station_id__in=unit_subtree_ids(self.unit.pk))
        return queryset

    def spot_checks(self) -> QuerySet:
        tz = timezone.get_current_timezone()
        start = datetime.datetime.combine(self.start, datetime.time.min, tzinfo=tz)
        end = datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
        queryset = SpotCheck.objects.visible_to(self.user).filter(checked_at__gte=start, checked_at__lt=end)
        if self.unit is not None:
            queryset = queryset.filter(station_id__in=unit_subtree_ids(self.unit.pk))
        return queryset


def default_range(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The range the figures open on: this month, from the 1st to today. On the 1st itself
    that would be one day that has hardly begun, so it is the whole month before."""
    if today.day == 1:
        last = today - datetime.timedelta(days=1)
        return last.replace(day=1), last
    return today.replace(day=1), today


def _rate(on_time: int, assigned: int) -> float | None:
    return round(on_time / assigned, 4) if assigned else None


def person_times(scope: Scope) -> int:
    """出动警力人次: police and auxiliaries who stood a shift (checked in)."""
    return scope.assignments().filter(person__kind__in=DEPLOYED_KINDS, checked_in_at__isnull=False).count()


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


def _attendance_rows(scope: Scope, *group_by: str) -> list[dict]:
    rows = _decided(scope).values(*group_by).annotate(**_attendance_counts()).order_by(*group_by)
    result = []
    for row in rows:
        row["rate"] = _rate(row["on_time"], row["assigned"])
        result.append(row)
    return result


def attendance_by_station(scope: Scope) -> list[dict]:
    return _attendance_rows(scope, "station_id", "station__name")


def attendance_by_post(scope: Scope) -> list[dict]:
    return _attendance_rows(scope, "shift__post_id", "shift__post__school__name", "shift__post__name")


def attendance_by_person(scope: Scope) -> list[dict]:
    return _attendance_rows(scope, "person_id", "person__name", "person__kind")


def attendance_breakdown(scope: Scope) -> dict:
    """The whole scope as one row of the attendance tables (their total row): assigned, on
    time, late, absent, left early, and the rate."""
    totals = _decided(scope).aggregate(**_attendance_counts())
    totals["rate"] = _rate(totals["on_time"], totals["assigned"])
    return totals


def _headline(breakdown: dict) -> dict:
    return {key: breakdown[key] for key in ("assigned", "on_time", "rate")}


def attendance_total(scope: Scope) -> dict:
    """The attendance rate and what it is made of: on time of assigned."""
    return _headline(attendance_breakdown(scope))


def findings_by_station(scope: Scope) -> list[dict]:
    """One row per station: its findings counted by kind, and spot checks made."""
    checks = dict(scope.spot_checks().values_list("station_id").annotate(n=Count("id")).values_list("station_id", "n"))
    names = dict(Unit.objects.filter(pk__in=checks).values_list("pk", "name"))
    counts: dict[int, dict[str, int]] = defaultdict(lambda: {issue: 0 for issue in FindingIssue.values})
    for station_id, issue, n in (
        Finding.objects.filter(spot_check__in=scope.spot_checks())
        .values_list("spot_check__station_id", "issue").annotate(n=Count("id"))
    ):
        counts[station_id][issue] = n
    rows = []
    for station_id in sorted(checks, key=lambda pk: names.get(pk, "")):
        by_issue = counts[station_id]
        rows.append({"station_id": station_id, "station__name": names.get(station_id, ""),
                     "spot_checks": checks[station_id], "findings": sum(by_issue.values()), **by_issue})
    return rows


def findings_by_kind(scope: Scope) -> dict[str, int]:
    counts = {issue: 0 for issue in FindingIssue.values}
    for issue, n in Finding.objects.filter(spot_check__in=scope.spot_checks()).values_list("issue").annotate(n=Count("id")):
        counts[issue] = n
    return counts


def bulletins_issued(scope: Scope) -> int:
    """下发《督察通报》N期: bulletins issued in the range."""
    bulletins = Bulletin.objects.visible_to(scope.user).filter(
        status=Bulletin.Status.ISSUED, issued_at__date__range=(scope.start, scope.end)
    )
    if scope.unit is not None:
        # The unit's own bulletins, those of the units below it, and those sent down to it.
        from org.scope import unit_ancestor_ids

        bulletins = bulletins.filter(
            unit_id__in=unit_subtree_ids(scope.unit.pk) | unit_ancestor_ids(scope.unit.pk)
        )
    return bulletins.count()


def duty_summary(scope: Scope) -> dict:
    """Every duty figure of the report for one range and scope."""
    breakdown = attendance_breakdown(scope)
    return {
        "person_times": person_times(scope),
        "attendance": _headline(breakdown),
        "attendance_breakdown": breakdown,
        "attendance_by_station": attendance_by_station(scope),
        "findings_by_kind": findings_by_kind(scope),
        "findings_by_station": findings_by_station(scope),
        "spot_checks": scope.spot_checks().count(),
        "bulletins": bulletins_issued(scope),
    }
