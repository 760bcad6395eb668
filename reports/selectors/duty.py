"""The duty figures the reports count, in one selector module: the HQ figures page, the API
and (later) the dashboards and the work briefing all read them from here, so their numbers
agree. What duty and supervision count themselves (the attendance and findings a bulletin
reports) is counted once, in duty.selectors and supervision.selectors, and read from there.

- person-times deployed (出动警力人次): assignments of police and auxiliaries that were stood,
  i.e. checked in;
- attendance rate (到岗率) = shifts stood on time / shifts assigned, where "assigned" counts the
  active, not excused assignments of shifts that have ended;
- findings of spot checks by kind and station; bulletins issued.
"""

from __future__ import annotations

import datetime

from django.db.models import Count

from attendance.selectors.counts import (
    Scope,
    attendance_breakdown,
    attendance_by_station,
    attendance_rows,
    tallied_sums,
)
from duty.models import DEPLOYED_KINDS
from supervision.models import Bulletin, Finding, FindingIssue
from supervision.selectors import findings_by_station, spot_checks

__all__ = [
    "DEPLOYED_KINDS", "Scope", "attendance_breakdown", "attendance_by_person", "attendance_by_post",
    "attendance_by_station",
    "attendance_total", "bulletins_issued", "default_range", "duty_summary", "findings_by_kind",
    "findings_by_station", "person_times",
]


def default_range(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The range the figures open on: this month, from the 1st to today. On the 1st itself
    that would be one day that has hardly begun, so it is the whole month before."""
    if today.day == 1:
        last = today - datetime.timedelta(days=1)
        return last.replace(day=1), last
    return today.replace(day=1), today


def person_times(scope: Scope) -> int:
    """出动警力人次: police and auxiliaries who stood a shift (checked in). The tallied days'
    count kept, the others' counted (Scope.untallied_counts)."""
    return sum(row["stood"] for row in scope.untallied_counts) + tallied_sums(scope.tallies(), "stood")["stood"]


def attendance_by_post(scope: Scope) -> list[dict]:
    return attendance_rows(scope, "shift__post_id", "shift__post__school__name", "shift__post__name")


def attendance_by_person(scope: Scope) -> list[dict]:
    return attendance_rows(scope, "person_id", "person__name", "person__kind")


def _headline(breakdown: dict) -> dict:
    return {key: breakdown[key] for key in ("assigned", "on_time", "rate")}


def attendance_total(scope: Scope) -> dict:
    """The attendance rate and what it is made of: on time of assigned."""
    return _headline(attendance_breakdown(scope))


def findings_by_kind(scope: Scope) -> dict[str, int]:
    counts = {issue: 0 for issue in FindingIssue.values}
    for issue, n in Finding.objects.filter(spot_check__in=spot_checks(scope)).values_list("issue").annotate(n=Count("id")):
        counts[issue] = n
    return counts


def bulletins_issued(scope: Scope) -> int:
    """下发《督察通报》N期: bulletins issued in the range."""
    bulletins = Bulletin.objects.visible_to(scope.user).filter(
        status=Bulletin.Status.ISSUED, issued_at__date__range=(scope.start, scope.end)
    )
    if scope.unit is not None:
        bulletins = bulletins.read_at(scope.unit)
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
        "spot_checks": spot_checks(scope).count(),
        "bulletins": bulletins_issued(scope),
    }
