"""Reads of inspections and hazards: every figure reports/ and the API show, counted here once
(`inspection_summary`, `inspection_breakdown`), the supervisors' review queue, the term's
coverage of schools, and the guards each school has against what GB/T 29315-2022 asks.

The figures' rules (DESIGN.md, `stats/summary/`):
- inspections: inspections carried out in the range, by their date, whatever their review
  status (submitted, returned or approved); a draft not yet submitted counts nowhere;
- hazards_found: hazards found in the range (their `found_on`), however found;
- notices: rectification notices issued in the range;
- improvements: {kind: quantity summed} over works installed in the range;
- joint_operations, joint_police, joint_venues, joint_hazards_fixed: operations in the range,
  and their police deployed, venues checked and hazards fixed summed;
- guards_hired: security guards whose hire date (org's Person.hire_date) falls in the range.
A range is whole local days, both ends included; `unit` is that unit and the units below it."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from core.registry import BoardAlert
from inspections.models import (
    IMPROVEMENT_UNITS,
    Hazard,
    HazardCategory,
    HazardStatus,
    Improvement,
    ImprovementKind,
    Inspection,
    InspectionStatus,
    JointOperation,
    Notice,
)
from org.models import Person, PersonKind, Unit
from posts.models import School, Term

SUMMARY_KEYS = ("guards_hired", "inspections", "hazards_found", "notices", "improvements", "joint_operations",
                "joint_police", "joint_venues", "joint_hazards_fixed")


# -- the standard: guards by enrolment ---------------------------------------------------------


def required_guards(pupils: int | None) -> int | None:
    """The security guards a school must have at least, by its day pupils, after GB/T
    29315-2022《中小学、幼儿园安全防范要求》, its human-protection requirements (人力防范要求):
    under 100 pupils at least 1; 1,000 or more at least 3, and one more for every further
    500. Between 100 and 999 the published summaries found do not give the figure; 2 is taken
    (between the two figures they do give), to be checked against the standard's text.

    An enrolment of 0 is an enrolment not recorded (the school's default): None, unknown."""
    if not pupils:
        return None
    if pupils < 100:
        return 1
    if pupils < 1000:
        return 2
    return 3 + (pupils - 1000) // 500


def guards_on_register(school_ids) -> dict[int, int]:
    """Active security guards on the register at each school (org's people of kind guard
    with that school)."""
    rows = (Person.objects.filter(kind=PersonKind.GUARD, active=True, school_id__in=list(school_ids))
            .order_by().values("school_id").annotate(n=Count("pk")))
    return {row["school_id"]: row["n"] for row in rows}


def _staffing_row(school: School, on_register: int) -> dict:
    required = required_guards(school.pupils)
    short = required is not None and on_register < required
    return {"school": school, "station": school.station, "pupils": school.pupils, "required": required,
            "on_register": on_register, "shortfall": (required - on_register) if short else 0, "short": short}


def guard_staffing_for_school(school: School) -> dict:
    """One school's row of `guard_staffing` (for the service that makes its shortfall a hazard)."""
    return _staffing_row(school, guards_on_register([school.pk]).get(school.pk, 0))


def guard_staffing(user, *, unit: Unit | None = None, only_short: bool = False) -> dict:
    """Each school in scope with its pupils, the guards the standard asks for, the guards on
    the register, the shortfall and whether it is short; and each station's totals:
    {"schools": [...], "stations": [...]}."""
    schools = School.objects.visible_to(user).select_related("station").order_by("station__name", "name")
    if unit is not None:
        schools = schools.filter(station_id__in=unit.subtree_ids())
    schools = list(schools)
    counts = guards_on_register([s.pk for s in schools])
    rows = [_staffing_row(school, counts.get(school.pk, 0)) for school in schools]
    stations: dict[int, dict] = {}
    for row in rows:
        total = stations.setdefault(row["station"].pk, {
            "station": row["station"], "schools": 0, "required": 0, "on_register": 0, "shortfall": 0,
            "short_schools": 0, "unknown": 0})
        total["schools"] += 1
        total["on_register"] += row["on_register"]
        if row["required"] is None:
            total["unknown"] += 1
        else:
            total["required"] += row["required"]
            total["shortfall"] += row["shortfall"]
            total["short_schools"] += int(row["short"])
    if only_short:
        rows = [row for row in rows if row["short"]]
    return {"schools": rows, "stations": sorted(stations.values(), key=lambda s: s["station"].name)}


# -- coverage ----------------------------------------------------------------------------------


def inspection_coverage(user, *, today: datetime.date | None = None, unit: Unit | None = None) -> dict:
    """Each school in scope against INSPECTIONS_PER_TERM this term: the inspections carried
    out (submitted, returned or approved) in the term that holds today, and whether that is
    short. Schools with no term today are listed apart. Grouped by station:
    {"per_term": n, "stations": [{"station", "schools": [...], "short": n}], "no_term": [...]}."""
    today = today or timezone.localdate()
    per_term = settings.INSPECTIONS_PER_TERM
    schools = School.objects.visible_to(user).select_related("station").order_by("station__name", "name")
    if unit is not None:
        schools = schools.filter(station_id__in=unit.subtree_ids())
    schools = list(schools)
    own_term_schools = set(Term.objects.filter(school__isnull=False).values_list("school_id", flat=True))
    terms = list(Term.objects.filter(start__lte=today, end__gte=today))
    district = next((t for t in terms if t.school_id is None), None)
    dates = {}
    for school in schools:
        if school.pk in own_term_schools:
            dates[school.pk] = next((t for t in terms if t.school_id == school.pk), None)
        else:
            dates[school.pk] = district
    spans = [t for t in dates.values() if t is not None]
    done: dict[int, list] = defaultdict(list)
    if spans:
        earliest, latest = min(t.start for t in spans), max(t.end for t in spans)
        for school_id, date in (Inspection.objects.filter(school_id__in=[s.pk for s in schools],
                                                          date__range=(earliest, latest))
                                .exclude(status=InspectionStatus.DRAFT).values_list("school_id", "date")):
            done[school_id].append(date)
    stations: dict[int, dict] = {}
    no_term = []
    for school in schools:
        term = dates[school.pk]
        if term is None:
            no_term.append(school)
            continue
        count = sum(1 for d in done.get(school.pk, []) if term.start <= d <= term.end)
        entry = stations.setdefault(school.station_id, {"station": school.station, "schools": [], "short": 0})
        row = {"school": school, "term": term, "inspections": count, "short": count < per_term}
        entry["schools"].append(row)
        entry["short"] += int(row["short"])
    return {"per_term": per_term, "today": today, "stations": list(stations.values()), "no_term": no_term}


def schools_not_inspected(user, *, today: datetime.date | None = None, unit: Unit | None = None) -> list[dict]:
    """The rows of `inspection_coverage` that are short this term."""
    coverage = inspection_coverage(user, today=today, unit=unit)
    return [row for station in coverage["stations"] for row in station["schools"] if row["short"]]


# -- the review queue --------------------------------------------------------------------------


def review_queue(user):
    """Inspections submitted and awaiting review, oldest submission first."""
    return (Inspection.objects.visible_to(user).filter(status=InspectionStatus.SUBMITTED)
            .select_related("school__station", "created_by").order_by("submitted_at", "pk"))


def returned_comments(inspection: Inspection) -> dict[int, str]:
    """The comments on items of the review that last returned the inspection ({item id:
    comment}), while it is returned: what the inspector is to correct."""
    if inspection.status != InspectionStatus.RETURNED:
        return {}
    review = inspection.reviews.order_by("-round").prefetch_related("comments").first()
    return {c.item_id: c.comment for c in review.comments.all()} if review else {}


# -- figures -----------------------------------------------------------------------------------


def _in_range(rows, field: str, start, end):
    if start is not None:
        rows = rows.filter(**{f"{field}__gte": start})
    if end is not None:
        rows = rows.filter(**{f"{field}__lte": end})
    return rows


def _in_unit(rows, path: str, unit: Unit | None):
    if unit is None:
        return rows
    return rows.filter(**{f"{path}__in": unit.subtree_ids()})


def inspections_in(user, start=None, end=None, unit=None):
    rows = Inspection.objects.visible_to(user).exclude(status=InspectionStatus.DRAFT)
    return _in_unit(_in_range(rows, "date", start, end), "school__station_id", unit)


def hazards_in(user, start=None, end=None, unit=None):
    return _in_unit(_in_range(Hazard.objects.visible_to(user), "found_on", start, end), "school__station_id", unit)


def notices_in(user, start=None, end=None, unit=None):
    rows = Notice.objects.visible_to(user).filter(status=Notice.Status.ISSUED)
    return _in_unit(_in_range(rows, "issued_on", start, end), "school__station_id", unit)


def improvements_in(user, start=None, end=None, unit=None):
    return _in_unit(_in_range(Improvement.objects.visible_to(user), "date", start, end), "school__station_id", unit)


def joint_operations_in(user, start=None, end=None, unit=None):
    return _in_unit(_in_range(JointOperation.objects.visible_to(user), "date", start, end), "unit_id", unit)


def guards_hired_in(user, start=None, end=None, unit=None):
    rows = Person.objects.visible_to(user).filter(kind=PersonKind.GUARD, hire_date__isnull=False)
    return _in_unit(_in_range(rows, "hire_date", start, end), "unit_id", unit)


def inspection_summary(user, start: datetime.date | None = None, end: datetime.date | None = None,
                       unit: Unit | None = None) -> dict:
    """The work report's figures this app answers (SUMMARY_KEYS), for the user's scope."""
    improvements = {kind: 0 for kind in ImprovementKind.values}
    for row in improvements_in(user, start, end, unit).order_by().values("kind").annotate(n=Sum("quantity")):
        improvements[row["kind"]] = row["n"] or 0
    joint = joint_operations_in(user, start, end, unit).aggregate(
        joint_operations=Count("pk"), joint_police=Coalesce(Sum("police_count"), 0),
        joint_venues=Coalesce(Sum("venues_checked"), 0), joint_hazards_fixed=Coalesce(Sum("hazards_fixed"), 0),
    )
    return {
        "guards_hired": guards_hired_in(user, start, end, unit).count(),
        "inspections": inspections_in(user, start, end, unit).count(),
        "hazards_found": hazards_in(user, start, end, unit).count(),
        "notices": notices_in(user, start, end, unit).count(),
        "improvements": improvements,
        **joint,
    }


def summary_links(*, start=None, end=None, unit=None) -> dict[str, str]:
    """For each summary key, the list page (with its filters) that counts it."""
    def url(name: str, field: str, extra: dict | None = None, unit_param: str = "station") -> str:
        query = {}
        if start is not None:
            query[f"{field}_from"] = start.isoformat()
        if end is not None:
            query[f"{field}_to"] = end.isoformat()
        if unit is not None:
            query[unit_param] = unit.pk
        query.update(extra or {})
        return f"{reverse(name)}?{urlencode(query)}"

    joint = url("inspections:jointoperation_list", "date", unit_param="unit")
    return {
        "inspections": url("inspections:inspection_list", "date", {"carried_out": "true"}),
        "hazards_found": url("inspections:hazard_list", "found_on"),
        "notices": url("inspections:notice_list", "issued_on", {"status": "issued"}),
        "improvements": url("inspections:improvement_list", "date"),
        "joint_operations": joint, "joint_police": joint, "joint_venues": joint, "joint_hazards_fixed": joint,
    }


def inspection_breakdown(user, start: datetime.date | None = None, end: datetime.date | None = None,
                         unit: Unit | None = None, *, today: datetime.date | None = None) -> dict:
    """Hazards found in the range by category and by status, those overdue now, the
    inspections by review status, and the improvements by kind with their units."""
    hazards = hazards_in(user, start, end, unit)
    by_category = {r["category"]: r["n"] for r in hazards.order_by().values("category").annotate(n=Count("pk"))}
    by_status = {r["status"]: r["n"] for r in hazards.order_by().values("status").annotate(n=Count("pk"))}
    carried = _in_unit(_in_range(Inspection.objects.visible_to(user), "date", start, end), "school__station_id", unit)
    inspections = {r["status"]: r["n"] for r in carried.order_by().values("status").annotate(n=Count("pk"))}
    improvements = inspection_summary(user, start, end, unit)["improvements"]
    return {
        "hazards_by_category": [{"category": c.value, "label": str(c.label), "hazards": by_category.get(c.value, 0)}
                                for c in HazardCategory],
        "hazards_by_status": [{"status": s.value, "label": str(s.label), "hazards": by_status.get(s.value, 0)}
                              for s in HazardStatus],
        "overdue": hazards.overdue(today=today).count(),
        "inspections_by_status": [{"status": s.value, "label": str(s.label), "inspections": inspections.get(s.value, 0)}
                                  for s in InspectionStatus],
        "improvements": [{"kind": k.value, "label": str(k.label), "quantity": improvements.get(k.value, 0),
                          "unit": IMPROVEMENT_UNITS[k]} for k in ImprovementKind],
    }


def overdue_hazards(user, *, today: datetime.date | None = None, unit: Unit | None = None):
    """Hazards past their deadline and unresolved, in scope (the station's and HQ's list)."""
    return _in_unit(Hazard.objects.visible_to(user).overdue(today=today), "school__station_id", unit)


def hazards_by_station(user, *, today: datetime.date | None = None) -> list[dict]:
    """Each station's unresolved and overdue hazards now."""
    today = today or timezone.localdate()
    rows = (Hazard.objects.visible_to(user).order_by().values("school__station_id", "school__station__name")
            .annotate(unresolved=Count("pk", filter=Q(status__in=[HazardStatus.OPEN, HazardStatus.NOTIFIED])),
                      overdue=Count("pk", filter=Q(status__in=[HazardStatus.OPEN, HazardStatus.NOTIFIED],
                                                   deadline__lt=today)))
            .order_by("school__station__name"))
    return [{"station": r["school__station_id"], "name": r["school__station__name"],
             "unresolved": r["unresolved"], "overdue": r["overdue"]} for r in rows]


def board_alerts(*, user, station, now) -> list[BoardAlert]:
    """The live board's alert: hazards past their deadline at the board's station(s)."""
    if not user.has_perm("inspections.view_hazard"):
        return []
    rows = Hazard.objects.visible_to(user).overdue(today=timezone.localtime(now).date())
    if station is not None:
        rows = rows.filter(school__station=station)
    count = rows.count()
    if not count:
        return []
    url = f"{reverse('inspections:hazard_list')}?overdue=true"
    if station is not None:
        url += f"&station={station.pk}"
    return [BoardAlert(key="hazards-overdue", count=count, url=url, level="warning",
                       text=_("%(count)d hazard(s) past their rectification deadline") % {"count": count})]


def hazards_by_week(user, start: datetime.date, end: datetime.date, unit: Unit | None = None) -> dict:
    """Hazards opened and closed in the range by ISO week (its Monday): opened, found in that
    week (hazards_in, by `found_on`); closed, verified in that week (the re-check that closes
    it, 销号: a transition to verified in the hazard's log, by local time; a hazard verified
    twice in one week counts once). Two grouped queries: {monday: {"opened": n, "closed": n}}."""
    from django.db.models.functions import TruncWeek

    from inspections.models import HazardEvent

    weeks: dict[datetime.date, dict[str, int]] = defaultdict(lambda: {"opened": 0, "closed": 0})
    for row in (hazards_in(user, start, end, unit).order_by().annotate(week=TruncWeek("found_on"))
                .values("week").annotate(n=Count("pk"))):
        weeks[_as_date(row["week"])]["opened"] = row["n"]
    tz = timezone.get_current_timezone()
    first = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    after = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    verified = (HazardEvent.objects.filter(hazard__in=hazards_in(user, unit=unit).values("pk"),
                                           to_status=HazardStatus.VERIFIED, at__gte=first, at__lt=after)
                .order_by().annotate(week=TruncWeek("at", tzinfo=tz)).values("week")
                .annotate(n=Count("hazard", distinct=True)))
    for row in verified:
        weeks[_as_date(row["week"])]["closed"] = row["n"]
    return dict(weeks)


def _as_date(value) -> datetime.date:
    return timezone.localtime(value).date() if isinstance(value, datetime.datetime) else value


def hazards_by_category_and_status(user, start: datetime.date | None = None, end: datetime.date | None = None,
                                   unit: Unit | None = None) -> list[dict]:
    """The hazards found in the range (hazards_in) by category, each split by status (every
    category and status present, zero included), in one grouped query."""
    found = {(r["category"], r["status"]): r["n"]
             for r in hazards_in(user, start, end, unit).order_by().values("category", "status").annotate(n=Count("pk"))}
    return [{"category": c.value, "label": str(c.label),
             "by_status": {s.value: found.get((c.value, s.value), 0) for s in HazardStatus}}
            for c in HazardCategory]
