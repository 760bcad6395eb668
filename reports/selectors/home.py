"""Each role's home page, one selector per role answering a dict: every figure read from the
app that counts it (never counted a second time here), each with the URL of the filtered list
that counts it, so a card's number is the number of rows its link lists.

- `dispatcher_home`: his station's gaps (this week's and next week's shifts short of their
  post's staffing, by the roster's own rule; the posts with nobody there on the live board
  while a peak runs), the hazards not closed and those overdue, the emergencies not closed in
  time, and the key persons overdue for a follow-up when he keeps the register;
- `supervisor_home`: the inspections awaiting review (oldest first), this month's findings by
  kind, bulletins drafted and issued;
- `hq_home`: the report's headline figures of this month (stats/summary), overdue hazards
  and overdue emergencies;
- `home_counts`: everyone else (the administrators): schools, active posts, active people.
An officer has no home page of figures: he lands on his shift (attendance:checkin)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from attendance.selectors.live import PostState, current_peak, live_board
from duty.selectors.roster import roster_stations, roster_week
from incidents.models import Incident
from inspections.models import UNRESOLVED, HazardStatus
from inspections.selectors import hazards_in, overdue_hazards, review_queue
from keypersons.selectors import keyperson_headline
from org.models import Person, Unit, User
from posts.calendar import week_start
from posts.models import Post, School
from reports.selectors.duty import Scope, bulletins_issued, default_range, findings_by_kind
from reports.selectors.summary import SUMMARY_LABELS, stats_summary, summary_links
from supervision.models import Bulletin, FindingIssue

__all__ = ["HQ_HEADLINE_KEYS", "REVIEW_QUEUE_SHOWN", "dispatcher_home", "home_counts", "hq_home", "supervisor_home"]

# A hazard not closed yet: still to be put right, or put right and awaiting its re-check (销号).
OPEN_HAZARD_STATUSES = (*UNRESOLVED, HazardStatus.RECTIFIED)
# How many of the oldest inspections awaiting review the supervisor's card names.
REVIEW_QUEUE_SHOWN = 5
# The figures the source report opens with ("截至目前,全区共设立护学岗106处,累计出动护学执勤警力
# 6292余人次, ..."), in its order: HQ's home page shows these for this month.
HQ_HEADLINE_KEYS = (
    "posts", "person_times", "help_and_alarms", "help_given", "suspicious_checked", "emergencies_handled",
)
ONE_WEEK = datetime.timedelta(days=7)


def _url(name: str, query: dict | list | None = None) -> str:
    url = reverse(name)
    return f"{url}?{urlencode(query, doseq=True)}" if query else url


def home_counts(user: User) -> dict[str, int | None]:
    """The home page's counts: schools, active posts and active people in the user's scope,
    each None when the user may not see that register."""
    return {
        "schools": School.objects.visible_to(user).count() if user.has_perm("posts.view_school") else None,
        "posts": Post.objects.visible_to(user).filter(active=True).count() if user.has_perm("posts.view_post") else None,
        "people": Person.objects.visible_to(user).filter(active=True).count() if user.has_perm("org.view_person") else None,
    }


def home_station(user: User) -> Unit | None:
    """The station a dispatcher's roster opens on (as the roster board chooses it): his own
    unit when it is one whose roster he may open, else the only such unit in his scope."""
    stations = roster_stations(user=user)
    own = next((s for s in stations if s.pk == user.unit_id), None)
    return own or (stations[0] if len(stations) == 1 else None)


def _roster_weeks(user: User, station: Unit, today: datetime.date) -> list[dict]:
    """This week's and next week's shifts short of their post's staffing, published or not,
    by the roster board's own count (duty.selectors.roster.roster_week: a shift that has
    ended or was cancelled is not short any more), each linking to that week's board."""
    weeks = []
    for key, monday in (("this_week", week_start(today)), ("next_week", week_start(today) + ONE_WEEK)):
        board = roster_week(station=station, week_start=monday, user=user)
        weeks.append({
            "key": key,
            "week_start": monday,
            "week_end": monday + datetime.timedelta(days=6),
            "short": board["totals"]["short"],
            "shifts": board["totals"]["shifts"],
            "published": board["published_at"] is not None,
            "url": _url("duty:roster", {"station": station.pk, "week": monday.isoformat()}),
        })
    return weeks


def _peak_now(user: User, station: Unit, now: datetime.datetime) -> dict:
    """The live board of the current peak at the station: whether a shift of it is running
    now, and how many posts have nobody there (the board's own state of each post)."""
    day, period = current_peak(now)
    board = live_board(user=user, station=station, day=day, period=period, now=now)
    running = any(p.shift.starts_at <= now < p.shift.ends_at for p in board.posts)
    return {
        "running": running,
        "period": period,
        "posts": len(board.posts),
        "nobody": board.counts[PostState.NOBODY],
        "alarms": len(board.nobody_there),
        "url": _url("attendance:live", {"station": station.pk}),
    }


def dispatcher_home(user: User, *, now: datetime.datetime | None = None) -> dict:
    """A station dispatcher's figures, over his scope (his station). A figure he may not see
    is None (and its card not shown). A fixed number of queries, however many rows."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    station = home_station(user) if user.has_perm("duty.view_shift") else None
    result: dict = {"station": station, "weeks": None, "peak": None, "hazards": None, "emergencies": None,
                    "keypersons": None}
    if station is not None:
        result["weeks"] = _roster_weeks(user, station, today)
        if user.has_perm("attendance.view_checkin"):
            result["peak"] = _peak_now(user, station, now)
    if user.has_perm("inspections.view_hazard"):
        result["hazards"] = {
            "open": hazards_in(user).filter(status__in=OPEN_HAZARD_STATUSES).count(),
            "open_url": _url("inspections:hazard_list", [("status", s) for s in OPEN_HAZARD_STATUSES]),
            "overdue": overdue_hazards(user, today=today).count(),
            "overdue_url": _url("inspections:hazard_list", {"overdue": "true"}),
        }
    if user.has_perm("incidents.view_incident"):
        result["emergencies"] = _overdue_emergencies(user, now)
    # The register is its keepers' (keypersons.access): a dispatcher holds its permission only
    # when the security administrator made him one.
    if user.has_perm("keypersons.view_keyperson"):
        result["keypersons"] = {
            "overdue": keyperson_headline(user=user, today=today)["overdue_now"],
            "url": _url("keypersons:keyperson_list", {"overdue": "true"}),
        }
    return result


def _overdue_emergencies(user: User, now: datetime.datetime) -> dict:
    """Emergencies reported and not closed in time (IncidentQuerySet.overdue_emergencies)."""
    return {
        "overdue": Incident.objects.visible_to(user).overdue_emergencies(now=now).count(),
        "url": _url("incidents:incident_list", {"overdue": "true"}),
    }


def supervisor_home(user: User, *, today: datetime.date | None = None) -> dict:
    """A supervisor's figures: the inspections awaiting his review (a count and the oldest
    few), this month's findings of spot checks by kind, bulletins drafted and issued this
    month. A figure he may not see is None."""
    today = today or timezone.localdate()
    start, end = default_range(today)
    result: dict = {"start": start, "end": end, "queue": None, "findings": None, "bulletins": None}
    if user.has_perm("inspections.review_inspection"):
        queue = review_queue(user)
        result["queue"] = {
            "count": queue.count(),
            "oldest": list(queue[:REVIEW_QUEUE_SHOWN]),
            # The review queue's own page lists the same selector's rows, oldest first.
            "url": _url("inspections:review_queue"),
        }
    scope = Scope(user=user, start=start, end=end)
    period = {"start": start.isoformat(), "end": end.isoformat()}
    if user.has_perm("supervision.view_finding"):
        by_kind = findings_by_kind(scope)
        result["findings"] = {
            "total": sum(by_kind.values()),
            "by_kind": [{"kind": kind, "label": FindingIssue(kind).label, "count": by_kind[kind]}
                        for kind in FindingIssue.values],
            # The figures page counts the findings by kind with the same selector.
            "url": _url("reports:figures", period) if user.has_perm("attendance.view_checkin") else None,
        }
    if user.has_perm("supervision.view_bulletin"):
        result["bulletins"] = {
            "drafted": Bulletin.objects.visible_to(user).filter(status=Bulletin.Status.DRAFT).count(),
            "drafted_url": _url("supervision:bulletin_list", {"status": Bulletin.Status.DRAFT}),
            "issued": bulletins_issued(scope),
            "issued_url": _url("supervision:bulletin_list", {
                "status": Bulletin.Status.ISSUED, "issued_at_from": start.isoformat(), "issued_at_to": end.isoformat(),
            }),
        }
    return result


def hq_home(user: User, *, now: datetime.datetime | None = None) -> dict:
    """HQ's figures: the report's headline figures of this month (stats/summary, each linked
    to the list that counts it), the dashboard, overdue hazards and overdue emergencies."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    start, end = default_range(today)
    summary = stats_summary(user=user, start=start, end=end)
    links = summary_links(user=user, start=start, end=end)
    result: dict = {
        "start": start,
        "end": end,
        "headline": [{"key": key, "label": SUMMARY_LABELS[key], "value": summary[key], "url": links.get(key)}
                     for key in HQ_HEADLINE_KEYS],
        "dashboard_url": reverse("reports:dashboard"),
        "hazards": None,
        "emergencies": None,
    }
    if user.has_perm("inspections.view_hazard"):
        result["hazards"] = {
            "overdue": overdue_hazards(user, today=today).count(),
            "overdue_url": _url("inspections:hazard_list", {"overdue": "true"}),
        }
    if user.has_perm("incidents.view_incident"):
        result["emergencies"] = _overdue_emergencies(user, now)
    return result
