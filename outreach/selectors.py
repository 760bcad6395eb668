"""Scoped reads of outreach, and its figures in one place: `outreach_figures` is what the
HQ figures and the work briefing read (reports/ calls it), and the pages' plan-against-done
and "135" record read the same queries, so their numbers agree.

Counts are aggregated in the database, a fixed number of queries whatever the rows; the
"135" medians need each drill's seconds, fetched in one query."""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth

from org.models import Unit, User
from outreach.models import (
    STAGE_FIELDS,
    Activity,
    ActivityKind,
    Drill,
    DrillKind,
    DrillPlan,
    DrillSource,
    Stage,
    StageResult,
    Topic,
    Training,
    TrainingKind,
    stage_met_q,
    stage_missed_q,
)
from posts.models import Term

FIGURE_KEYS = (
    "talks", "open_days", "leaflets", "people_reached",
    "police_trained", "police_training_batches", "security_trainings", "security_trained",
    "drills", "rapid_response_pulls",
)


def _in_range(queryset: QuerySet, user: User, start: datetime.date, end: datetime.date, unit: Unit | None,
              unit_field: str) -> QuerySet:
    queryset = queryset.visible_to(user).filter(date__range=(start, end))
    if unit is not None:
        queryset = queryset.filter(**{f"{unit_field}__in": unit.subtree_ids()})
    return queryset


def activities(user: User, start: datetime.date, end: datetime.date, unit: Unit | None = None) -> QuerySet:
    """The activities held in the range (whole days) that the user may see, under `unit`."""
    return _in_range(Activity.objects.all(), user, start, end, unit, "station_id")


def trainings(user: User, start: datetime.date, end: datetime.date, unit: Unit | None = None) -> QuerySet:
    return _in_range(Training.objects.all(), user, start, end, unit, "unit_id")


def drills(user: User, start: datetime.date, end: datetime.date, unit: Unit | None = None) -> QuerySet:
    return _in_range(Drill.objects.all(), user, start, end, unit, "station_id")


def _month(value) -> str:
    return f"{value:%Y-%m}" if value is not None else ""


def _stage_aggregates(prefix: str = "") -> dict:
    aggregates = {}
    for stage in Stage.values:
        aggregates[f"{stage}_met"] = Count("pk", filter=stage_met_q(stage))
        aggregates[f"{stage}_missed"] = Count("pk", filter=stage_missed_q(stage))
    return aggregates


def rapid_response_stages(queryset: QuerySet) -> dict[str, dict[str, int]]:
    """{stage: {"met": n, "missed": n}} over the rapid-response drills of `queryset` (a
    running pull's stage that has not arrived yet is neither)."""
    totals = queryset.filter(kind=DrillKind.RAPID_RESPONSE).aggregate(**_stage_aggregates())
    return {stage: {"met": totals[f"{stage}_met"], "missed": totals[f"{stage}_missed"]} for stage in Stage.values}


SUMMARY_KEYS = ("talks", "open_days", "leaflets", "people_reached", "police_trained", "police_training_batches",
                "security_trainings", "security_trained", "drills", "rapid_response_pulls")


def outreach_summary(user: User, start: datetime.date, end: datetime.date, unit: Unit | None = None) -> dict:
    """The report's outreach figures (SUMMARY_KEYS) for a range of days in the user's scope
    (under `unit`), in three queries: talks, open days, leaflets (materials summed), people
    reached (audience summed); police trained and their batches, security trainings and those
    trained; drills other than rapid response, and "135" pulls."""
    figures = _headline(activities(user, start, end, unit), trainings(user, start, end, unit))
    figures.update(drills(user, start, end, unit).aggregate(**_drill_counts()))
    return figures


def _drill_counts() -> dict:
    """演练N次, "135"快反拉动N次: drills other than rapid response, and rapid-response pulls."""
    rapid = Q(kind=DrillKind.RAPID_RESPONSE)
    return {"drills": Count("pk", filter=~rapid), "rapid_response_pulls": Count("pk", filter=rapid)}


def _headline(acts: QuerySet, trains: QuerySet) -> dict:
    figures = acts.aggregate(
        talks=Count("pk", filter=Q(kind=ActivityKind.TALK)),
        open_days=Count("pk", filter=Q(kind=ActivityKind.OPEN_DAY)),
        leaflets=Coalesce(Sum("materials"), 0),
        people_reached=Coalesce(Sum("audience"), 0),
    )
    figures.update(trains.aggregate(
        police_trained=Coalesce(Sum("trainees", filter=Q(kind=TrainingKind.POLICE)), 0),
        police_training_batches=Count("pk", filter=Q(kind=TrainingKind.POLICE)),
        security_trainings=Count("pk", filter=Q(kind=TrainingKind.SECURITY_STAFF)),
        security_trained=Coalesce(Sum("trainees", filter=Q(kind=TrainingKind.SECURITY_STAFF)), 0),
    ))
    return figures


def outreach_figures(user: User, start: datetime.date, end: datetime.date, unit: Unit | None = None) -> dict:
    """outreach_summary's figures with each "135" stage met and missed, and breakdowns by
    kind, topic, station and month, and drills planned against done for the terms in range."""
    acts = activities(user, start, end, unit)
    trains = trainings(user, start, end, unit)
    drill_rows = drills(user, start, end, unit)
    figures = _headline(acts, trains)
    drill_totals = drill_rows.aggregate(**_drill_counts(), **_stage_aggregates())
    figures["drills"] = drill_totals["drills"]
    figures["rapid_response_pulls"] = drill_totals["rapid_response_pulls"]
    figures["rapid_response_stages"] = {
        stage: {"met": drill_totals[f"{stage}_met"], "missed": drill_totals[f"{stage}_missed"]}
        for stage in Stage.values
    }

    by_kind = {kind: 0 for kind in ActivityKind.values}
    for kind, n in acts.order_by().values_list("kind").annotate(n=Count("pk")):
        by_kind[kind] = n
    by_topic = {topic: {"activities": 0, "audience": 0} for topic in Topic.values}
    for topic, n, audience in acts.order_by().values_list("topic").annotate(n=Count("pk"), a=Sum("audience")):
        by_topic[topic] = {"activities": n, "audience": audience or 0}
    drills_by_kind = {kind: 0 for kind in DrillKind.values}
    for kind, n in drill_rows.order_by().values_list("kind").annotate(n=Count("pk")):
        drills_by_kind[kind] = n
    trainings_by_kind = {kind: {"trainings": 0, "trainees": 0} for kind in TrainingKind.values}
    for kind, n, trainees in trains.order_by().values_list("kind").annotate(n=Count("pk"), t=Sum("trainees")):
        trainings_by_kind[kind] = {"trainings": n, "trainees": trainees or 0}

    stations: dict[int, dict] = defaultdict(lambda: {"activities": 0, "audience": 0, "materials": 0, "trainings": 0,
                                                     "trainees": 0, "drills": 0, "rapid_response_pulls": 0})
    months: dict[str, dict] = defaultdict(lambda: {"activities": 0, "audience": 0, "materials": 0, "trainings": 0,
                                                   "trainees": 0, "drills": 0, "rapid_response_pulls": 0})
    for station_id, n, audience, materials in acts.order_by().values_list("station_id").annotate(
            n=Count("pk"), a=Sum("audience"), m=Sum("materials")):
        stations[station_id].update(activities=n, audience=audience or 0, materials=materials or 0)
    for month, n, audience, materials in acts.order_by().annotate(month=TruncMonth("date")).values_list(
            "month").annotate(n=Count("pk"), a=Sum("audience"), m=Sum("materials")):
        months[_month(month)].update(activities=n, audience=audience or 0, materials=materials or 0)
    for unit_id, n, trainees in trains.order_by().values_list("unit_id").annotate(n=Count("pk"), t=Sum("trainees")):
        stations[unit_id].update(trainings=n, trainees=trainees or 0)
    for month, n, trainees in trains.order_by().annotate(month=TruncMonth("date")).values_list("month").annotate(
            n=Count("pk"), t=Sum("trainees")):
        months[_month(month)].update(trainings=n, trainees=trainees or 0)
    rapid = Q(kind=DrillKind.RAPID_RESPONSE)
    for station_id, n, pulls in drill_rows.order_by().values_list("station_id").annotate(
            n=Count("pk", filter=~rapid), p=Count("pk", filter=rapid)):
        stations[station_id].update(drills=n, rapid_response_pulls=pulls)
    for month, n, pulls in drill_rows.order_by().annotate(month=TruncMonth("date")).values_list("month").annotate(
            n=Count("pk", filter=~rapid), p=Count("pk", filter=rapid)):
        months[_month(month)].update(drills=n, rapid_response_pulls=pulls)
    names = dict(Unit.objects.filter(pk__in=list(stations)).values_list("pk", "name"))

    figures.update(
        activities_by_kind=by_kind,
        activities_by_topic=by_topic,
        trainings_by_kind=trainings_by_kind,
        drills_by_kind=drills_by_kind,
        by_station=[{"station_id": pk, "station": names.get(pk, ""), **row}
                    for pk, row in sorted(stations.items(), key=lambda item: names.get(item[0], ""))],
        by_month=[{"month": month, **row} for month, row in sorted(months.items())],
        drill_plan=drill_plan_totals(user, start, end, unit),
    )
    return figures


# -- plan against done --------------------------------------------------------------------------


def _plans(user: User, terms: QuerySet, unit: Unit | None) -> QuerySet:
    plans = DrillPlan.objects.visible_to(user).filter(term__in=terms)
    if unit is not None:
        plans = plans.filter(station_id__in=unit.subtree_ids())
    return plans


def _done_counts(user: User, plans: list[DrillPlan]) -> dict[tuple[int, int, str], int]:
    """Drills performed per (school, term, kind) of the plans, counted in one query per term."""
    done: dict[tuple[int, int, str], int] = {}
    by_term: dict[int, tuple[Term, set[int]]] = {}
    for plan in plans:
        by_term.setdefault(plan.term_id, (plan.term, set()))[1].add(plan.school_id)
    for term_id, (term, school_ids) in by_term.items():
        rows = (Drill.objects.visible_to(user).filter(school_id__in=school_ids, date__range=(term.start, term.end))
                .order_by().values_list("school_id", "kind").annotate(n=Count("pk")))
        for school_id, kind, n in rows:
            done[(school_id, term_id, kind)] = n
    return done


def drill_plan_progress(user: User, *, term: Term | None = None, unit: Unit | None = None,
                        school=None) -> list[dict]:
    """Each plan (a school's drills of a kind in a term) with the drills done in the term's
    dates, and what is left: {plan, school, term, kind, planned, done, left, complete}."""
    terms = Term.objects.all() if term is None else Term.objects.filter(pk=term.pk)
    plans = _plans(user, terms, unit).select_related("school", "term", "station")
    if school is not None:
        plans = plans.filter(school=school)
    plans = list(plans)
    done = _done_counts(user, plans)
    rows = []
    for plan in plans:
        n = done.get((plan.school_id, plan.term_id, plan.kind), 0)
        rows.append({"plan": plan, "school": plan.school, "term": plan.term, "station": plan.station,
                     "kind": plan.get_kind_display(), "planned": plan.planned, "done": n,
                     "left": max(plan.planned - n, 0), "complete": n >= plan.planned})
    return rows


def drill_plan_totals(user: User, start: datetime.date, end: datetime.date, unit: Unit | None = None) -> dict:
    """The plans of the terms overlapping the range, summed: {"planned": n, "done": n}."""
    terms = Term.objects.filter(start__lte=end, end__gte=start)
    plans = list(_plans(user, terms, unit).select_related("term"))
    done = _done_counts(user, plans)
    return {
        "planned": sum(plan.planned for plan in plans),
        "done": sum(min(done.get((p.school_id, p.term_id, p.kind), 0), p.planned) for p in plans),
    }


# -- the "135" record ----------------------------------------------------------------------------


def rapid_response_record(user: User, start: datetime.date, end: datetime.date,
                          unit: Unit | None = None) -> list[dict]:
    """Each station's "135" pulls by month: how many, and for each stage the share met and the
    median seconds from the alarm (stages that arrived). One query; the verdict of each stage
    is StageResult's, the same rule as everywhere."""
    pulls = (drills(user, start, end, unit).filter(kind=DrillKind.RAPID_RESPONSE)
             .select_related("station").order_by("station__name", "date"))
    groups: dict[tuple[int, str], list[Drill]] = defaultdict(list)
    names = {}
    for drill in pulls:
        groups[(drill.station_id, f"{drill.date:%Y-%m}")].append(drill)
        names[drill.station_id] = drill.station.name
    rows = []
    for (station_id, month), items in sorted(groups.items(), key=lambda g: (names[g[0][0]], g[0][1])):
        stages = {}
        for stage in Stage.values:
            results = [StageResult.of(drill, stage) for drill in items]
            decided = [r for r in results if r.result != "pending"]
            seconds = [r.seconds for r in results if r.seconds is not None]
            met = sum(1 for r in decided if r.met)
            stages[stage] = {
                "met": met, "missed": len(decided) - met,
                "share": round(100 * met / len(decided)) if decided else None,
                "median": round(statistics.median(seconds)) if seconds else None,
            }
        rows.append({"station_id": station_id, "station": names[station_id], "month": month, "pulls": len(items),
                     "stages": stages})
    return rows


def running_pulls(user: User) -> QuerySet:
    """The pulls still taking arrivals that the user may see (called to, or of his stations)."""
    return (Drill.objects.visible_to(user).filter(source=DrillSource.PULL, closed_at__isnull=True)
            .select_related("school").order_by("-alarm_at"))


__all__ = [
    "FIGURE_KEYS", "STAGE_FIELDS", "activities", "drill_plan_progress", "drill_plan_totals", "drills",
    "outreach_figures", "rapid_response_record", "rapid_response_stages", "running_pulls", "trainings",
]


def rapid_response_by_station(user: User, start: datetime.date, end: datetime.date, unit: Unit | None = None) -> dict:
    """The "135" pulls of the range and their stages met and missed (the rule of
    stage_met_q/stage_missed_q), per station and over the whole scope, in two queries:
    {"stations": {station id: row}, "total": row}, a row being {"pulls", "met", "missed",
    "stages": {stage: {"met", "missed"}}}; "met" and "missed" summed over the stages."""
    pulls = drills(user, start, end, unit).filter(kind=DrillKind.RAPID_RESPONSE)
    aggregates = {"pulls": Count("pk"), **_stage_aggregates()}

    def row(values: dict) -> dict:
        stages = {stage: {"met": values[f"{stage}_met"], "missed": values[f"{stage}_missed"]}
                  for stage in Stage.values}
        return {"pulls": values["pulls"], "met": sum(s["met"] for s in stages.values()),
                "missed": sum(s["missed"] for s in stages.values()), "stages": stages}

    stations = {values["station_id"]: row(values)
                for values in pulls.order_by().values("station_id").annotate(**aggregates)}
    return {"stations": stations, "total": row(pulls.aggregate(**aggregates))}
