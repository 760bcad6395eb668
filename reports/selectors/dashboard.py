"""The HQ dashboard's data, all of it in one call (`dashboard_data`), for the page, its Excel
exports and /api/v1/stats/dashboard/: every number read from the selector of the app that
owns it, so the dashboard agrees with the lists, the figures page and stats/summary.

- today's duty now: the live board's states (attendance.selectors.live) of the current peak;
- weekly trends over the range, by ISO week (Monday first): person-times (the figures'
  rule), incidents by kind, hazards opened and closed, follow-ups done;
- the station league: per station in scope the attendance rate, findings, overdue hazards
  and follow-ups now, "135" stages met; the district total row counted by the same
  selectors over the whole scope (a rate is never an average of rates);
- hazards by category and status, incidents by kind;
- the work report's headline figures (reports.selectors.summary) with their lists.

Grouped queries only: the query count does not grow with the stations or the weeks (the
live board's two queries are per peak, whatever the posts).
"""

from __future__ import annotations

import datetime

from django.db.models import Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone

from attendance.selectors.counts import attendance_breakdown, attendance_by_station
from attendance.selectors.live import PostState, current_peak, live_state_counts
from duty.selectors.roster import roster_stations
from incidents.models import IncidentKind
from incidents.selectors import incidents_by_kind, incidents_by_week
from inspections.models import HazardStatus
from inspections.selectors import (
    hazards_by_category_and_status,
    hazards_by_station,
    hazards_by_week,
    inspection_breakdown,
    overdue_hazards,
)
from keypersons.selectors import follow_ups_by_week, overdue_follow_ups
from org.models import Unit, User
from outreach.selectors import rapid_response_by_station
from posts.calendar import week_start
from posts.models import Period
from reports.selectors.duty import Scope, findings_by_kind, findings_by_station, person_times
from reports.selectors.summary import SUMMARY_KEYS, SUMMARY_LABELS, stats_summary, summary_links

__all__ = ["dashboard_data", "week_rows"]

WEEK = datetime.timedelta(days=7)

# What each part of the dashboard needs the user to hold; a part he may not read is None.
PERMISSIONS = {
    "incidents": "incidents.view_incident",
    "hazards": "inspections.view_hazard",
    "findings": "supervision.view_finding",
    "drills": "outreach.view_drill",
    # The key-person register is read by its keepers, supervisors and HQ only (keypersons/access.py).
    "key_persons": "keypersons.view_keyperson",
}


def week_rows(start: datetime.date, end: datetime.date) -> list[dict]:
    """The ISO weeks (Monday to Sunday) the range touches, each with the days of it inside
    the range: [{"week": monday, "number": ISO week number, "from": day, "to": day}]."""
    rows = []
    monday = week_start(start)
    while monday <= end:
        rows.append({"week": monday, "number": monday.isocalendar()[1],
                     "from": max(monday, start), "to": min(monday + datetime.timedelta(days=6), end)})
        monday += WEEK
    return rows


def _person_times_by_week(scope: Scope) -> dict[datetime.date, int]:
    """person_times (reports.selectors.duty) by ISO week of the shift's date: the tallied
    days' kept counts grouped in one query, the others' from the scope's untallied_counts."""
    weeks: dict[datetime.date, int] = {}
    tallies = scope.tallies()
    if not tallies.query.is_empty():
        for week, n in tallies.annotate(week=TruncWeek("date")).values_list("week").annotate(n=Sum("stood")).order_by():
            weeks[week] = weeks.get(week, 0) + (n or 0)
    for row in scope.untallied_counts:
        week = week_start(row["date"])
        weeks[week] = weeks.get(week, 0) + row["stood"]
    return weeks


def _duty_now(*, user: User, subtree: frozenset[int] | None, now: datetime.datetime) -> dict:
    """The live board of the current peak (the same states, by the board's rules) for the
    unit: how many posts are staffed, short, with nobody there and not started, and per
    station; counted from values, the board itself is not built."""
    day, period = current_peak(now)
    stations = live_state_counts(user=user, day=day, period=period, now=now, stations=subtree)
    counts = {state.value: sum(s.counts[state.value] for s in stations) for state in PostState}
    return {
        "day": day, "period": period, "period_label": str(Period(period).label),
        "posts": sum(counts.values()), "alarms": sum(s.alarms for s in stations),
        "counts": counts,
        "states": [{"state": s.value, "label": str(s.label)} for s in PostState],
        "stations": [{"station_id": s.station_id, "name": s.name, "posts": s.posts, "counts": s.counts}
                     for s in stations],
    }


def _weeks(*, user: User, scope: Scope, may: dict[str, bool]) -> dict:
    start, end, unit = scope.start, scope.end, scope.unit
    person = _person_times_by_week(scope)
    incidents: dict[datetime.date, dict[str, int]] = {}
    if may["incidents"]:
        for row in incidents_by_week(user=user, start=start, end=end, unit=unit):
            incidents.setdefault(row["week"], {})[row["kind"]] = row["incidents"]
    hazards = hazards_by_week(user, start, end, unit) if may["hazards"] else {}
    follow_ups = follow_ups_by_week(user=user, start=start, end=end, unit=unit) if may["key_persons"] else {}
    rows = []
    for week in week_rows(start, end):
        monday = week["week"]
        kinds = incidents.get(monday, {})
        rows.append({
            **week,
            "person_times": person.get(monday, 0),
            "incidents": {kind: kinds.get(kind, 0) for kind in IncidentKind.values} if may["incidents"] else None,
            "incidents_total": sum(kinds.values()) if may["incidents"] else None,
            "hazards_opened": hazards.get(monday, {}).get("opened", 0) if may["hazards"] else None,
            "hazards_closed": hazards.get(monday, {}).get("closed", 0) if may["hazards"] else None,
            "follow_ups": follow_ups.get(monday, 0) if may["key_persons"] else None,
        })
    return {"weeks": rows,
            "incident_kinds": [{"kind": k.value, "label": str(k.label)} for k in IncidentKind]}


def _league(*, user: User, scope: Scope, stations: list[Unit], today: datetime.date, may: dict[str, bool]) -> dict:
    """One row per station in scope, and the district total row, each figure of the total by
    the same selector over the whole scope."""
    start, end, unit = scope.start, scope.end, scope.unit
    attendance = {row["station_id"]: row for row in attendance_by_station(scope)}
    findings = {row["station_id"]: row["findings"] for row in findings_by_station(scope)} if may["findings"] else {}
    hazards = ({row["station"]: row["overdue"] for row in hazards_by_station(user, today=today)}
               if may["hazards"] else {})
    follow_ups = overdue_follow_ups(user=user, unit=unit, today=today) if may["key_persons"] else None
    rapid = rapid_response_by_station(user, start, end, unit) if may["drills"] else None
    empty_rapid = {"pulls": 0, "met": 0, "missed": 0}

    def row(*, attendance_row, findings_n, hazards_n, follow_ups_n, rapid_row) -> dict:
        attendance_row = attendance_row or {}
        return {
            "assigned": attendance_row.get("assigned", 0), "on_time": attendance_row.get("on_time", 0),
            "rate": attendance_row.get("rate"),
            "findings": findings_n if may["findings"] else None,
            "overdue_hazards": hazards_n if may["hazards"] else None,
            "overdue_follow_ups": follow_ups_n if may["key_persons"] else None,
            "pulls": rapid_row["pulls"] if may["drills"] else None,
            "stages_met": rapid_row["met"] if may["drills"] else None,
            "stages_decided": rapid_row["met"] + rapid_row["missed"] if may["drills"] else None,
        }

    rows = [{"station_id": s.pk, "name": s.name, **row(
        attendance_row=attendance.get(s.pk), findings_n=findings.get(s.pk, 0), hazards_n=hazards.get(s.pk, 0),
        follow_ups_n=follow_ups["stations"].get(s.pk, 0) if follow_ups else 0,
        rapid_row=rapid["stations"].get(s.pk, empty_rapid) if rapid else empty_rapid)} for s in stations]
    total = row(
        attendance_row=attendance_breakdown(scope),
        findings_n=sum(findings_by_kind(scope).values()) if may["findings"] else 0,
        hazards_n=overdue_hazards(user, today=today, unit=unit).count() if may["hazards"] else 0,
        follow_ups_n=follow_ups["total"] if follow_ups else 0,
        rapid_row=rapid["total"] if rapid else empty_rapid,
    )
    return {"stations": rows, "total": total}


def _hazards(*, user: User, scope: Scope, today: datetime.date) -> dict:
    breakdown = inspection_breakdown(user, scope.start, scope.end, scope.unit, today=today)
    return {
        "by_category": breakdown["hazards_by_category"],
        "by_status": breakdown["hazards_by_status"],
        "by_category_and_status": hazards_by_category_and_status(user, scope.start, scope.end, scope.unit),
        "statuses": [{"status": s.value, "label": str(s.label)} for s in HazardStatus],
        "overdue": breakdown["overdue"],
    }


def _summary(*, user: User, start: datetime.date, end: datetime.date, unit: Unit | None) -> list[dict]:
    """The headline figures in the report's order, each with its label and the list that
    counts it (None where the user may not open that list); the improvements one line per
    kind."""
    figures = stats_summary(user=user, start=start, end=end, unit=unit)
    links = summary_links(user=user, start=start, end=end, unit=unit)
    items = []
    for key in SUMMARY_KEYS:
        value = figures[key]
        if isinstance(value, dict):
            for part, n in value.items():
                name = f"{key}.{part}"
                items.append({"key": name, "label": str(SUMMARY_LABELS.get(name, name)), "value": n,
                              "url": links.get(name, links.get(key))})
        else:
            items.append({"key": key, "label": str(SUMMARY_LABELS.get(key, key)), "value": value,
                          "url": links.get(key)})
    return items


def dashboard_data(*, user: User, start: datetime.date, end: datetime.date, unit: Unit | None = None,
                   now: datetime.datetime | None = None) -> dict:
    """Everything the HQ dashboard shows for the days `start` to `end` (both included) in the
    user's scope, under `unit` (and the units below it) when given; "now" figures (the live
    board, overdue hazards and follow-ups) at `now`. A part the user may not read (the
    key-person register for a dispatcher who does not keep it) is None. A fixed number of
    queries, whatever the stations, posts or weeks."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    scope = Scope(user=user, start=start, end=end, unit=unit)
    subtree = unit.subtree_ids() if unit is not None else None
    stations = [s for s in roster_stations(user=user) if subtree is None or s.pk in subtree]
    may = {part: user.has_perm(perm) for part, perm in PERMISSIONS.items()}
    return {
        "start": start,
        "end": end,
        "unit": {"id": unit.pk, "name": unit.name} if unit is not None else None,
        "today": today,
        "person_times": person_times(scope),
        "duty_now": _duty_now(user=user, subtree=subtree, now=now),
        **_weeks(user=user, scope=scope, may=may),
        "league": _league(user=user, scope=scope, stations=stations, today=today, may=may),
        "incidents_by_kind": (incidents_by_kind(user=user, start=start, end=end, unit=unit)
                              if may["incidents"] else None),
        "hazards": _hazards(user=user, scope=scope, today=today) if may["hazards"] else None,
        "summary": _summary(user=user, start=start, end=end, unit=unit),
    }
