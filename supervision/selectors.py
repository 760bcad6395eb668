"""Scoped reads of supervision: the spot checks and findings of a range (what a bulletin
reports; reports/ reads the same counts for its figures), the shift a check is of, the
findings that contradict a check-in, and a bulletin's content."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Count, QuerySet
from django.utils import timezone

from attendance.models import CheckIn
from attendance.selectors.counts import Scope, attendance_by_station
from attendance.services import check_in_lead
from duty.models import Shift, ShiftStatus
from org.models import Unit, User
from posts.models import Post
from supervision.models import Bulletin, Finding, FindingIssue, SpotCheck

# Findings that say "not there" although the attendance record may say otherwise.
ABSENCE_ISSUES = {FindingIssue.ABSENT, FindingIssue.LEFT_POST, FindingIssue.WITHDREW_EARLY}


def spot_checks(scope: Scope) -> QuerySet:
    """The spot checks made in the scope's days (local calendar) that its user may see."""
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(scope.start, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(scope.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    queryset = SpotCheck.objects.visible_to(scope.user).filter(checked_at__gte=start, checked_at__lt=end)
    if scope.unit is not None:
        queryset = queryset.filter(station_id__in=scope.unit.subtree_ids())
    return queryset


def findings_by_station(scope: Scope) -> list[dict]:
    """One row per station: its findings counted by kind, and spot checks made."""
    checks = dict(spot_checks(scope).values_list("station_id").annotate(n=Count("id")).values_list("station_id", "n"))
    names = dict(Unit.objects.filter(pk__in=checks).values_list("pk", "name"))
    counts: dict[int, dict[str, int]] = defaultdict(lambda: {issue: 0 for issue in FindingIssue.values})
    for station_id, issue, n in (
        Finding.objects.filter(spot_check__in=spot_checks(scope))
        .values_list("spot_check__station_id", "issue").annotate(n=Count("id"))
    ):
        counts[station_id][issue] = n
    rows = []
    for station_id in sorted(checks, key=lambda pk: names.get(pk, "")):
        by_issue = counts[station_id]
        rows.append({"station_id": station_id, "station__name": names.get(station_id, ""),
                     "spot_checks": checks[station_id], "findings": sum(by_issue.values()), **by_issue})
    return rows


def shift_running_at(*, post: Post, at: datetime.datetime) -> Shift | None:
    """The post's scheduled shift that a check at `at` is a check of, or None: the one whose
    check-in window (open `check_in_lead()` before the start, the attendance rule) through
    its end contains `at`. Once check-in is open people check in at the post, so a check
    then can contradict a check-in. Should a running shift and the next one's open
    check-in overlap, the running one."""
    return (
        Shift.objects.filter(post=post, starts_at__lte=at + check_in_lead(), ends_at__gte=at,
                             status=ShiftStatus.SCHEDULED)
        .order_by("starts_at").first()
    )


def contradictions(spot_check: SpotCheck) -> list[dict]:
    """Findings that say someone was not there although he had checked in: the finding and
    the check-in evidence, side by side."""
    findings = [f for f in spot_check.findings.select_related("person") if f.issue in ABSENCE_ISSUES and f.person_id]
    if not findings or spot_check.shift_id is None:
        return []
    check_ins = {
        c.assignment.person_id: c
        for c in CheckIn.objects.filter(assignment__shift_id=spot_check.shift_id,
                                        assignment__person_id__in=[f.person_id for f in findings])
        .select_related("assignment")
    }
    result = []
    for finding in findings:
        check_in = check_ins.get(finding.person_id)
        if check_in is None:
            continue
        checked_out = check_in.assignment.checked_out_at
        still_there = checked_out is None or checked_out > spot_check.checked_at
        if check_in.at <= spot_check.checked_at and still_there:
            result.append({"finding": finding, "check_in": check_in})
    return result


def bulletin_compile(*, bulletin: Bulletin, user: User) -> dict:
    """The bulletin's figures for its period, by station: attendance rate and findings, and
    the list of findings. What a draft shows; frozen into `content` when issued."""
    scope = Scope(user=user, start=bulletin.period_start, end=bulletin.period_end, unit=bulletin.unit)
    attendance = {row["station_id"]: row for row in attendance_by_station(scope)}
    findings = {row["station_id"]: row for row in findings_by_station(scope)}
    station_ids = sorted(set(attendance) | set(findings))
    names = dict(Unit.objects.filter(pk__in=station_ids).values_list("pk", "name"))
    stations = []
    for station_id in sorted(station_ids, key=lambda pk: names.get(pk, "")):
        a = attendance.get(station_id, {})
        f = findings.get(station_id, {})
        stations.append({
            "station": names.get(station_id, ""),
            "assigned": a.get("assigned", 0), "on_time": a.get("on_time", 0), "late": a.get("late", 0),
            "absent": a.get("absent", 0), "left_early": a.get("left_early", 0), "rate": a.get("rate"),
            "spot_checks": f.get("spot_checks", 0), "findings": f.get("findings", 0),
            # Nested: the issue "absent" would otherwise overwrite the attendance "absent".
            "findings_by_issue": {issue: f.get(issue, 0) for issue in FindingIssue.values},
        })
    items = []
    for finding in (
        Finding.objects.filter(spot_check__in=spot_checks(scope))
        .select_related("person", "spot_check__post__school", "spot_check__station")
        .order_by("spot_check__checked_at")
    ):
        check = finding.spot_check
        items.append({
            "station": check.station.name,
            "post": str(check.post),
            "checked_at": timezone.localtime(check.checked_at).strftime("%Y-%m-%d %H:%M"),
            "method": check.get_method_display(),
            "person": finding.person.name if finding.person_id else "",
            "issue": finding.get_issue_display(),
            "note": finding.note,
        })
    return {"stations": stations, "findings": items}


def bulletin_content(*, bulletin: Bulletin, user: User) -> dict:
    """What to show: the frozen content of an issued bulletin, the live figures of a draft."""
    if not bulletin.is_editable:
        return bulletin.content
    return bulletin_compile(bulletin=bulletin, user=user)
