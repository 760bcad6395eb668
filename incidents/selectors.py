"""Reads of the incident log: who was on duty at a post at a moment (the roster, then), the
overdue emergencies, and the figures, counted here once for the pages, the API and reports/.

The figures' rules (DESIGN.md, `stats/summary/`):
- help_and_alarms: people_count summed over incidents of kind help and alarm (person-times);
- help_given: incidents of kind assistance;
- suspicious_checked: people_count summed over incidents of kind suspicious;
- emergencies_handled: incidents of kind emergency;
- disputes_resolved: incidents of kind dispute that are resolved.
Drafts (not yet reported) count nowhere. A period is whole local days, by when it happened."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from attendance.services import check_in_lead
from core.registry import BoardAlert
from duty.models import Assignment, AttendanceStatus, Shift, ShiftStatus
from incidents.models import Incident, IncidentKind
from org.models import Person, Unit
from posts.models import Post

# The summary keys this app answers, and the incidents each counts.
PERSON_TIMES_KINDS = {
    "help_and_alarms": (IncidentKind.HELP, IncidentKind.ALARM),
    "suspicious_checked": (IncidentKind.SUSPICIOUS,),
}
RECORD_KINDS = {
    "help_given": Q(kind=IncidentKind.ASSISTANCE),
    "emergencies_handled": Q(kind=IncidentKind.EMERGENCY),
    "disputes_resolved": Q(kind=IncidentKind.DISPUTE, resolved=True),
}
SUMMARY_KEYS = ("help_and_alarms", "help_given", "suspicious_checked", "emergencies_handled", "disputes_resolved")


@dataclass(frozen=True)
class OnDuty:
    shift: Shift | None
    people: list[Person]


def on_duty_at(*, post: Post, at: datetime.datetime) -> OnDuty:
    """Who stood `post` at the moment `at`, from the roster as it was planned for that
    moment: the scheduled shift whose check-in window through its end contains `at` (the
    rule of a spot check, supervision's shift_running_at), and its active assignments whose
    own window contains `at` (from check-in opening), the excused left out. An incident
    recorded in the afternoon about the morning names the morning's people."""
    lead = check_in_lead()
    shift = (
        Shift.objects.filter(post=post, starts_at__lte=at + lead, ends_at__gte=at, status=ShiftStatus.SCHEDULED)
        .order_by("starts_at").first()
    )
    if shift is None:
        return OnDuty(shift=None, people=[])
    people = [
        a.person for a in
        Assignment.objects.filter(shift=shift, active=True, starts_at__lte=at + lead, ends_at__gte=at)
        .exclude(attendance=AttendanceStatus.EXCUSED)
        .select_related("person").order_by("person__kind", "person__name")
    ]
    return OnDuty(shift=shift, people=people)


def overdue_emergency_ids(*, user, now=None) -> set[int]:
    return set(Incident.objects.visible_to(user).overdue_emergencies(now=now).values_list("pk", flat=True))


def board_alerts(*, user, station, now) -> list[BoardAlert]:
    """The live board's alert: emergencies not closed in time at the board's station(s)."""
    if not user.has_perm("incidents.view_incident"):
        return []
    rows = Incident.objects.visible_to(user).overdue_emergencies(now=now)
    if station is not None:
        rows = rows.filter(station=station)
    count = rows.count()
    if not count:
        return []
    url = f"{reverse('incidents:incident_list')}?overdue=true"
    if station is not None:
        url += f"&station={station.pk}"
    return [BoardAlert(
        key="incidents-overdue", count=count, url=url,
        text=_("%(count)d emergency not closed within %(minutes)d minutes") % {
            "count": count, "minutes": settings.INCIDENT_EMERGENCY_CLOSE_MINUTES},
    )]


# -- figures -----------------------------------------------------------------------------------


def day_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def incidents_in(*, user, start: datetime.date | None = None, end: datetime.date | None = None,
                 unit: Unit | None = None, school=None):
    """The reported incidents a user sees, that happened from `start` to `end` (whole local
    days, both included), at `unit` and the units below it when given."""
    rows = Incident.objects.visible_to(user).reported()
    if start is not None:
        rows = rows.filter(occurred_at__gte=day_start(start))
    if end is not None:
        rows = rows.filter(occurred_at__lt=day_start(end + datetime.timedelta(days=1)))
    if unit is not None:
        rows = rows.filter(station_id__in=unit.subtree_ids())
    if school is not None:
        rows = rows.filter(school=school)
    return rows


def _aggregates() -> dict:
    parts = {}
    for key, kinds in PERSON_TIMES_KINDS.items():
        parts[key] = Coalesce(Sum("people_count", filter=Q(kind__in=kinds)), 0)
    for key, condition in RECORD_KINDS.items():
        parts[key] = Count("pk", filter=condition)
    return parts


def incident_summary(*, user, start=None, end=None, unit=None, school=None) -> dict[str, int]:
    """The five figures of the work report the incident log answers, in one query."""
    return incidents_in(user=user, start=start, end=end, unit=unit, school=school).aggregate(**_aggregates())


def summary_links(*, start=None, end=None, unit=None) -> dict[str, str]:
    """For each summary key, the query string of the incident list that counts it (its
    rows, or the rows whose people_count it sums)."""
    base = {}
    if start is not None:
        base["occurred_at_from"] = start.isoformat()
    if end is not None:
        base["occurred_at_to"] = end.isoformat()
    if unit is not None:
        base["station"] = str(unit.pk)
    query = {
        "help_and_alarms": {"kind": [IncidentKind.HELP, IncidentKind.ALARM]},
        "help_given": {"kind": [IncidentKind.ASSISTANCE]},
        "suspicious_checked": {"kind": [IncidentKind.SUSPICIOUS]},
        "emergencies_handled": {"kind": [IncidentKind.EMERGENCY]},
        "disputes_resolved": {"kind": [IncidentKind.DISPUTE], "resolved": ["true"]},
    }
    return {key: urlencode({**base, **extra, "reported": "true"}, doseq=True) for key, extra in query.items()}


MEASURES = {"incidents": Count("pk"), "person_times": Coalesce(Sum("people_count"), 0)}


def _by_kind(rows) -> list[dict]:
    by_kind = {row["kind"]: row for row in rows.order_by().values("kind").annotate(**MEASURES)}
    return [
        {"kind": kind.value, "label": str(kind.label),
         "incidents": by_kind.get(kind.value, {}).get("incidents", 0),
         "person_times": by_kind.get(kind.value, {}).get("person_times", 0)}
        for kind in IncidentKind
    ]


def incidents_by_kind(*, user, start=None, end=None, unit=None, school=None) -> list[dict]:
    """Counts and person-times by kind, every kind listed (one grouped query): the first
    part of `incident_breakdown`, for a page that shows only it (the dashboard)."""
    return _by_kind(incidents_in(user=user, start=start, end=end, unit=unit, school=school))


def incident_breakdown(*, user, start=None, end=None, unit=None, school=None) -> dict[str, list[dict]]:
    """Counts and person-times by kind, by station and by month (three grouped queries)."""
    rows = incidents_in(user=user, start=start, end=end, unit=unit, school=school)
    by_station = list(
        rows.order_by().values("station_id", "station__name").annotate(**MEASURES).order_by("station__name")
    )
    by_month = list(
        rows.order_by().annotate(month=TruncMonth("occurred_at", tzinfo=timezone.get_current_timezone()))
        .values("month", "kind").annotate(**MEASURES).order_by("month", "kind")
    )
    return {
        "by_kind": _by_kind(rows),
        "by_station": [
            {"station": row["station_id"], "name": row["station__name"], "incidents": row["incidents"],
             "person_times": row["person_times"]}
            for row in by_station
        ],
        "by_month": [
            {"month": row["month"].date().isoformat()[:7], "kind": row["kind"], "incidents": row["incidents"],
             "person_times": row["person_times"]}
            for row in by_month
        ],
    }


def incidents_by_week(*, user, start: datetime.date, end: datetime.date, unit: Unit | None = None) -> list[dict]:
    """The reported incidents of the range (incidents_in) counted by ISO week (its Monday, by
    local time) and kind: one grouped query, [{"week": date, "kind", "incidents"}]."""
    from django.db.models.functions import TruncWeek

    rows = (incidents_in(user=user, start=start, end=end, unit=unit).order_by()
            .annotate(week=TruncWeek("occurred_at", tzinfo=timezone.get_current_timezone()))
            .values("week", "kind").annotate(incidents=Count("pk")).order_by("week", "kind"))
    return [{"week": timezone.localtime(row["week"]).date(), "kind": row["kind"], "incidents": row["incidents"]}
            for row in rows]


def publicity_examples(*, user, start: datetime.date, end: datetime.date, unit: Unit | None = None,
                       limit: int | None = None) -> list[Incident]:
    """The good deeds marked for publicity that happened from `start` to `end` (incidents_in:
    reported, in the user's scope, under `unit`), oldest first, with their school: the work
    briefing's closing examples. With `limit`, the latest `limit` of them. One query."""
    rows = (incidents_in(user=user, start=start, end=end, unit=unit)
            .filter(kind=IncidentKind.GOOD_DEED, publicity=True).select_related("school"))
    if limit is not None:
        return sorted(rows.order_by("-occurred_at", "-pk")[:limit], key=lambda row: (row.occurred_at, row.pk))
    return list(rows.order_by("occurred_at", "pk"))
