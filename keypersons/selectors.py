"""Scoped reads of the register and its figures, the one place they are counted: the list,
the dashboard and stats/summary read the same selector, so their numbers agree.

Also the schools near a person's address (a suggestion; the keeper confirms them by hand) and
the access history: who read, revealed, exported or changed a person, when and why, from the
audit trail."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F, Prefetch, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone

from attendance.geo import distance_m
from audit.models import AuditAction, AuditEvent
from incidents.models import Incident, IncidentKind
from keypersons.models import Category, CoManager, FollowUp, KeyPerson, KeyPersonCategory, Risk, Status
from org.models import Unit, User
from posts.models import School


def keyperson_list(*, user: User):
    """The persons the user may read, with what a list row shows in a fixed number of queries."""
    return (KeyPerson.objects.visible_to(user)
            .select_related("station", "officer")
            .prefetch_related(Prefetch("category_rows", queryset=KeyPersonCategory.objects.order_by("category"))))


def keyperson_detail(*, user: User):
    return keyperson_list(user=user).prefetch_related(
        "schools", Prefetch("co_managers", queryset=CoManager.objects.order_by("kind", "pk")),
        Prefetch("disputes", queryset=Incident.objects.select_related("school").order_by("-occurred_at")),
    )


def followup_list(*, user: User, person: KeyPerson | None = None):
    rows = FollowUp.objects.visible_to(user).select_related("officer", "key_person")
    return rows.filter(key_person=person) if person is not None else rows


def schools_in_scope(user: User | None):
    return School.objects.visible_to(user) if user is not None else School.objects.all()


def disputes_in_scope(user: User | None):
    rows = Incident.objects.filter(kind=IncidentKind.DISPUTE).reported()
    return rows.visible_to(user) if user is not None else rows


@dataclass(frozen=True)
class NearbySchool:
    school: School
    distance_m: int


def schools_nearby(*, user: User | None, location: str, radius_m: int | None = None) -> list[NearbySchool]:
    """The schools within KEYPERSON_SCHOOL_RADIUS_M of a location ("lat,lng"), nearest first,
    among those the user may see: a suggestion, confirmed by hand."""
    if not location:
        return []
    lat, lng = (float(part) for part in location.split(","))
    radius = settings.KEYPERSON_SCHOOL_RADIUS_M if radius_m is None else radius_m
    found = []
    for school in schools_in_scope(user).filter(lat__isnull=False, lng__isnull=False).select_related("station"):
        distance = distance_m(lat, lng, float(school.lat), float(school.lng))
        if distance <= radius:
            found.append(NearbySchool(school, round(distance)))
    return sorted(found, key=lambda near: (near.distance_m, near.school.name))


# -- the figures ---------------------------------------------------------------------------------


def _screened(*, user: User, start: datetime.date | None, end: datetime.date | None, unit: Unit | None):
    """On the register at some time in the period: registered by its end, not archived before
    its start (rolling screening: everyone on the register is screened), in the user's scope
    (and under `unit`)."""
    rows = KeyPerson.objects.visible_to(user)
    if unit is not None:
        rows = rows.filter(station_id__in=unit.subtree_ids())
    if end is not None:
        rows = rows.registered_by(end)
    return rows.not_archived_before(start) if start is not None else rows.on_register()


def keyperson_summary(*, user: User, start: datetime.date | None = None, end: datetime.date | None = None,
                      unit: Unit | None = None) -> dict[str, int]:
    """The report's two figures (stats/summary): `key_persons`, screened; `key_persons_stable`,
    of them stable and in place."""
    counts = _screened(user=user, start=start, end=end, unit=unit).aggregate(
        total=Count("pk"), stable=Count("pk", filter=Q(status=Status.STABLE)))
    return {"key_persons": counts["total"], "key_persons_stable": counts["stable"]}


def keyperson_headline(*, user: User, today: datetime.date | None = None) -> dict[str, int]:
    """The list page's three counts in one query: on the register, stable, overdue now."""
    today = today or timezone.localdate()
    counts = KeyPerson.objects.visible_to(user).on_register().aggregate(
        total=Count("pk"), stable=Count("pk", filter=Q(status=Status.STABLE)),
        overdue=Count("pk", filter=Q(follow_up_due__lt=today)))
    return {"key_persons": counts["total"], "key_persons_stable": counts["stable"], "overdue_now": counts["overdue"]}


def keyperson_figures(*, user: User, start: datetime.date | None = None, end: datetime.date | None = None,
                      unit: Unit | None = None, today: datetime.date | None = None) -> dict:
    """Everything the register's figures page shows: the summary, by category and risk, the
    share stable and in place, the follow-ups in the period on time and late, the persons
    overdue now, and the disputes linked to them."""
    screened = _screened(user=user, start=start, end=end, unit=unit)
    summary = keyperson_summary(user=user, start=start, end=end, unit=unit)
    by_category = dict(KeyPersonCategory.objects.filter(key_person__in=screened.values("pk"))
                       .values_list("category").annotate(n=Count("pk")).order_by())
    by_risk = dict(screened.values_list("risk").annotate(n=Count("pk")).order_by())
    by_status = dict(screened.values_list("status").annotate(n=Count("pk")).order_by())
    follow_ups = follow_ups_in(user=user, start=start, end=end, unit=unit)
    timing = follow_ups.aggregate(total=Count("pk"), on_time=Count("pk", filter=Q(date__lte=F("due_on"))))
    total = summary["key_persons"]
    return {
        **summary,
        "by_category": {value: by_category.get(value, 0) for value in Category.values},
        "by_risk": {value: by_risk.get(value, 0) for value in Risk.values},
        "by_status": {value: by_status.get(value, 0) for value in Status.values},
        "share_stable": round(summary["key_persons_stable"] / total, 4) if total else None,
        "follow_ups": timing["total"],
        "follow_ups_on_time": timing["on_time"],
        "follow_ups_late": timing["total"] - timing["on_time"],
        "overdue_now": screened.overdue(today=today).count(),
        "disputes_linked": Incident.objects.filter(
            pk__in=KeyPerson.disputes.through.objects.filter(keyperson__in=screened.values("pk"))
            .values("incident_id")).count(),
    }


# -- the access history --------------------------------------------------------------------------


def access_history(*, person_id: int, limit: int = 500) -> list[AuditEvent]:
    """Who looked at this person, when and why: every audit row about him (read, revealed,
    changed, archived, a follow-up recorded), and every list and export that showed him
    (their rows name the ids they showed), newest first. A refusal about him is there too."""
    label = KeyPerson._meta.label_lower
    own = AuditEvent.objects.filter(
        Q(object_type=label, object_id=str(person_id))
        | Q(object_type=FollowUp._meta.label_lower, detail__key_person=person_id)
    ).order_by("-seq")[:limit]
    found = list(own)
    lists = (AuditEvent.objects.filter(action__in=[AuditAction.LIST, AuditAction.EXPORT], detail__model=label)
             .order_by("-seq").only("pk", "seq", "time", "username", "unit_name", "ip", "action", "detail",
                                    "object_type", "object_text", "result"))
    for event in lists.iterator(chunk_size=500):
        if person_id in (event.detail.get("ids") or ()):
            found.append(event)
    found.sort(key=lambda event: event.seq, reverse=True)
    for event in found:
        event.purpose = event.detail.get("purpose") or event.detail.get("reason") or ""
    return found[:limit]


def register_accesses(*, since: datetime.datetime | None = None) -> list[dict]:
    """For the audit administrator: the persons read or changed, each with how many rows and
    the latest, newest first (the names as the trail recorded them)."""
    rows = AuditEvent.objects.filter(object_type=KeyPerson._meta.label_lower).exclude(object_id="")
    if since is not None:
        rows = rows.filter(time__gte=since)
    found: dict[str, dict] = {}
    for object_id, object_text, action, time in rows.order_by("-seq").values_list(
            "object_id", "object_text", "action", "time").iterator(chunk_size=2000):
        entry = found.setdefault(object_id, {"person_id": int(object_id), "name": object_text, "rows": 0,
                                             "reveals": 0, "latest": time})
        entry["rows"] += 1
        entry["reveals"] += action == AuditAction.REVEAL
    return list(found.values())


# -- the dashboard's groupings -------------------------------------------------------------------


def follow_ups_in(*, user: User, start: datetime.date | None = None, end: datetime.date | None = None,
                  unit: Unit | None = None):
    """The follow-ups done in the range (whole days; open ends are no bound) of the persons
    screened in it: keyperson_figures' `follow_ups` and the dashboard's weekly counts."""
    follow_ups = FollowUp.objects.filter(key_person__in=_screened(user=user, start=start, end=end, unit=unit)
                                         .values("pk"))
    if start is not None:
        follow_ups = follow_ups.filter(date__gte=start)
    if end is not None:
        follow_ups = follow_ups.filter(date__lte=end)
    return follow_ups


def follow_ups_by_week(*, user: User, start: datetime.date, end: datetime.date,
                       unit: Unit | None = None) -> dict[datetime.date, int]:
    """follow_ups_in counted by ISO week (its Monday): {monday: n}, one grouped query."""
    rows = (follow_ups_in(user=user, start=start, end=end, unit=unit).order_by()
            .annotate(week=TruncWeek("date")).values_list("week").annotate(n=Count("pk")))
    return {week: n for week, n in rows}


def overdue_follow_ups(*, user: User, unit: Unit | None = None, today: datetime.date | None = None) -> dict:
    """The persons on the register whose follow-up is overdue now (KeyPerson.overdue), per
    station and over the whole scope, in two queries: {"stations": {station id: n}, "total": n}."""
    rows = KeyPerson.objects.visible_to(user).overdue(today=today)
    if unit is not None:
        rows = rows.filter(station_id__in=unit.subtree_ids())
    stations = dict(rows.order_by().values_list("station_id").annotate(n=Count("pk")))
    return {"stations": stations, "total": rows.count()}
