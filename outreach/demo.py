"""Outreach's part of the demo: the term so far in the report's proportions. 80 talks in
schools, 7 police open days (with some exhibitions, films and leaflet drives), 18,000
leaflets and 20,000 people reached in all; 600 police trained in 3 batches and 25 security
trainings in schools with 400 trained; 41 fire and anti-terror drills and 23 "135" pulls
whose stages mostly meet their targets; each drilling school's plan for the term.
Deterministic for a given seed and day."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from core.registry import DemoContext
from org.models import Person, PersonKind, Unit, UnitKind, User
from outreach.models import (
    STAGE_FIELDS,
    Activity,
    ActivityKind,
    ActivityPhoto,
    Drill,
    DrillArrival,
    DrillKind,
    DrillPlan,
    DrillSource,
    Topic,
    Training,
    TrainingKind,
)
from posts.models import School, Term

ACTIVITIES = {ActivityKind.TALK: 80, ActivityKind.OPEN_DAY: 7, ActivityKind.EXHIBITION: 6, ActivityKind.FILM: 5,
              ActivityKind.LEAFLETS: 4}
PEOPLE_REACHED = 20_000
LEAFLETS = 18_000
POLICE_BATCHES = (("第一批", 200), ("第二批", 196), ("第三批", 204))
SECURITY_TRAININGS = 25
SECURITY_TRAINED = 400
FIRE_DRILLS = 24
ANTI_TERROR_DRILLS = 17
PULLS = 23
TOPIC_WEIGHTS = {Topic.TELECOM_FRAUD: 5, Topic.DRUGS: 4, Topic.ORGANISED_CRIME: 3, Topic.TERRORISM: 3,
                 Topic.TRAFFIC: 3, Topic.DROWNING: 2, Topic.BULLYING: 2, Topic.OTHER: 1}
SUBJECTS = {
    TrainingKind.POLICE: "护学岗执勤规范；单警装备和警械使用；涉校突发事件先期处置；“135”快速反应机制",
    TrainingKind.SECURITY_STAFF: "门卫值守与出入登记；防暴器械（钢叉、盾牌）使用；一键报警；突发事件应急疏散",
}
# Seconds after the alarm, as (mean, spread) by stage: most pulls meet 60/180/300, a few do not.
STAGE_TIMES = {"school": (42, 12), "police": (150, 28), "reinforcement": (255, 40)}


def _split(total: int, weights: list[float]) -> list[int]:
    """`total` shared in proportion to `weights`, in whole numbers summing exactly to it."""
    whole = sum(weights)
    shares = [total * w / whole for w in weights]
    counts = [int(s) for s in shares]
    for index in sorted(range(len(shares)), key=lambda i: counts[i] - shares[i])[: total - sum(counts)]:
        counts[index] += 1
    return counts


def _days(rng: random.Random, start: datetime.date, end: datetime.date, n: int) -> list[datetime.date]:
    """n school days (Monday to Friday) between start and end, in order."""
    days = [start + datetime.timedelta(days=i) for i in range((end - start).days + 1)]
    weekdays = [d for d in days if d.weekday() < 5] or days
    return sorted(rng.choice(weekdays) for _ in range(n))


def _at(day: datetime.date, hour: int, minute: int, second: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute, second), tzinfo=timezone.get_current_timezone())


def seed(context: DemoContext) -> dict:
    """The outreach of the demo term so far (see the module docstring). Returns counts."""
    rng = random.Random(context.seed + 13)
    today = context.today
    term = (Term.objects.filter(school__isnull=True, start__lte=today, end__gte=today).first()
            or Term.objects.filter(school__isnull=True).order_by("-start").first())
    start = term.start if term is not None and term.start < today else today - datetime.timedelta(days=90)
    end = today - datetime.timedelta(days=1)
    schools = list(School.objects.select_related("station").order_by("pk"))
    if not schools or end < start:
        return {}
    bureau = Unit.objects.filter(kind=UnitKind.BUREAU, parent__isnull=True).first()
    stations = list(Unit.objects.filter(kind=UnitKind.STATION).order_by("pk"))
    dispatchers = {u.unit_id: u for u in User.objects.filter(role="dispatcher").order_by("pk")}
    police = {}
    for person in Person.objects.filter(kind=PersonKind.POLICE, active=True).order_by("pk"):
        police.setdefault(person.unit_id, []).append(person)

    with transaction.atomic():
        context.say("Outreach, trainings and drills…")
        # Activities: the report's totals shared over them in random proportions.
        kinds = [kind for kind, n in ACTIVITIES.items() for _ in range(n)]
        rng.shuffle(kinds)
        days = _days(rng, start, end, len(kinds))
        audience = _split(PEOPLE_REACHED, [rng.uniform(0.5, 1.5) * (2.5 if k == ActivityKind.OPEN_DAY else 1)
                                           for k in kinds])
        materials = _split(LEAFLETS, [rng.uniform(0.5, 1.5) * (6 if k == ActivityKind.LEAFLETS else 1) for k in kinds])
        topics, weights = list(TOPIC_WEIGHTS), list(TOPIC_WEIGHTS.values())
        activities = []
        for kind, day, people, leaflets in zip(kinds, days, audience, materials):
            school = rng.choice(schools)
            at_station = kind == ActivityKind.OPEN_DAY
            station = school.station if not at_station else rng.choice(stations) if stations else school.station
            activities.append(Activity(
                kind=kind, topic=rng.choices(topics, weights)[0], school=None if at_station else school,
                station=station, date=day, audience=people, materials=leaflets,
                place=f"{station.name}警营" if at_station else school.name,
                created_by=dispatchers.get(station.pk),
            ))
        Activity.objects.bulk_create(activities)

        # Trainings: three police batches by the bureau, security sessions in schools.
        trainings = [
            Training(unit=bureau or stations[0], kind=TrainingKind.POLICE, date=day, place="分局训练基地",
                     batch=label, trainees=n, subjects=SUBJECTS[TrainingKind.POLICE])
            for (label, n), day in zip(POLICE_BATCHES, _days(rng, start, end, len(POLICE_BATCHES)))
        ]
        trained = _split(SECURITY_TRAINED, [rng.uniform(0.6, 1.4) for _ in range(SECURITY_TRAININGS)])
        for n, day in zip(trained, _days(rng, start, end, SECURITY_TRAININGS)):
            school = rng.choice(schools)
            trainings.append(Training(unit=school.station, kind=TrainingKind.SECURITY_STAFF, date=day, school=school,
                                      place=school.name, trainees=n, subjects=SUBJECTS[TrainingKind.SECURITY_STAFF],
                                      created_by=dispatchers.get(school.station_id)))
        Training.objects.bulk_create(trainings)

        # Drills: each drilling school plans its kind for the term; a few plans are not met yet.
        drill_kinds = [DrillKind.FIRE] * FIRE_DRILLS + [DrillKind.ANTI_TERROR] * ANTI_TERROR_DRILLS
        drilling = rng.sample(schools, min(len(schools), len(drill_kinds) + 4))
        pulled = rng.sample(schools, min(len(schools), PULLS))
        drills = []
        for kind, day, school in zip(drill_kinds, _days(rng, start, end, len(drill_kinds)), drilling):
            drills.append(Drill(school=school, station=school.station, kind=kind, date=day,
                                participants=max(60, school.pupils // rng.choice([1, 2, 3])),
                                source=DrillSource.RECORDED, closed_at=_at(day, 17, 0),
                                started_by=dispatchers.get(school.station_id)))
        pulls = []
        for day, school in zip(_days(rng, start, end, PULLS), pulled):
            alarm = _at(day, rng.choice([7, 8, 10, 14, 16]), rng.randrange(60), rng.randrange(60))
            drill = Drill(school=school, station=school.station, kind=DrillKind.RAPID_RESPONSE, date=day,
                          participants=rng.randrange(12, 30), alarm_at=alarm, source=DrillSource.PULL,
                          started_by=dispatchers.get(school.station_id))
            for stage, field in STAGE_FIELDS.items():
                mean, spread = STAGE_TIMES[stage]
                setattr(drill, field, alarm + datetime.timedelta(seconds=max(15, round(rng.gauss(mean, spread)))))
            drill.closed_at = drill.reinforcement_at
            drills.append(drill)
            pulls.append(drill)
        Drill.objects.bulk_create(drills)
        arrivals = []
        for drill in pulls:
            people = police.get(drill.station_id, [])
            for stage, field in STAGE_FIELDS.items():
                person = rng.choice(people) if people and stage != "school" else None
                arrivals.append(DrillArrival(drill=drill, stage=stage, person=person, tapped_at=getattr(drill, field),
                                             lat=drill.school.lat, lng=drill.school.lng, accuracy_m=rng.randrange(5, 30),
                                             distance_m=rng.randrange(0, 40)))
        DrillArrival.objects.bulk_create(arrivals)

        plans = []
        if term is not None:
            for kind, school in zip(drill_kinds + [DrillKind.FIRE] * 4, drilling):
                plans.append(DrillPlan(school=school, station=school.station, term=term, kind=kind, planned=1))
            for school in pulled:
                plans.append(DrillPlan(school=school, station=school.station, term=term,
                                       kind=DrillKind.RAPID_RESPONSE, planned=1))
            DrillPlan.objects.bulk_create(plans, ignore_conflicts=True)
    return {"activities": len(activities), "trainings": len(trainings), "drills": len(drills) - len(pulls),
            "rapid_response_pulls": len(pulls), "drill_plans": len(plans)}


def reset() -> None:
    """Delete every activity, photo, training, drill, arrival and plan, with their history."""
    for model in (ActivityPhoto, Activity, DrillArrival, Training.people.through, Training,
                  Drill.notified.through, Drill, DrillPlan):
        model.objects.all()._raw_delete(model.objects.db)
        history = getattr(model, "history", None)
        if history is not None:
            history.model.objects.all()._raw_delete(model.objects.db)
