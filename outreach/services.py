"""Every write and rule of outreach: activities with their photos, trainings, drills and
drill plans, and the "135" rapid-response pull (started from Huxue, the people on duty
nearby called, each arrival tapped on a phone and stamped by the server's clock).

Each function validates, raises ValidationError naming the field, and writes atomically;
the pages and the API call the same functions."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from attendance.geo import distance_m
from core.photos import validate_photo
from duty.models import Assignment, ShiftStatus
from duty.services.notifications import notify_people
from org.models import Person, Unit, User
from org.scope import in_scope, require_in_scope
from posts.models import School
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
    Stage,
    Training,
)

# A record a little ahead of the server's clock (a phone's or a desk's clock running fast)
# is accepted; beyond this it is a typing mistake.
FUTURE_SLACK = datetime.timedelta(minutes=5)


def _not_in_future_date(value: datetime.date | None, field: str) -> None:
    if value is not None and value > timezone.localdate():
        raise ValidationError({field: _("This date is in the future; record what has happened.")})


def _not_in_future_moment(value: datetime.datetime | None, field: str) -> None:
    if value is not None and value > timezone.now() + FUTURE_SLACK:
        raise ValidationError({field: _("This time is in the future; record what has happened.")})


def _school_in_scope(user: User | None, school: School | None, field: str = "school") -> None:
    if school is not None:
        require_in_scope(user, school.station_id, field=field, message=_("This school is not in your scope."))


def _save(obj, **extra) -> None:
    obj.full_clean(**extra)
    obj.save()


# -- activities ----------------------------------------------------------------------------


ACTIVITY_FIELDS = ("kind", "topic", "school", "date", "audience", "materials", "place", "note")


def _activity_station(activity: Activity, user: User | None, station: Unit | None) -> None:
    """An activity belongs to its school's station; an open day with no school to the station
    that held it (the one given, else the user's own)."""
    if activity.school_id:
        activity.station_id = activity.school.station_id
        return
    station = station or (user.unit if user is not None else None)
    if activity.kind != ActivityKind.OPEN_DAY or station is None:
        raise ValidationError({"school": _("Choose the school (only an open day may be held at the station).")})
    require_in_scope(user, station.pk, field="station", message=_("This unit is not in your scope."))
    activity.station = station


def _add_photos(activity: Activity, photos: Iterable) -> int:
    count = 0
    for upload in photos or ():
        try:
            validate_photo(upload)
        except ValidationError as exc:
            raise ValidationError({"photos": exc.messages}) from None
        ActivityPhoto.objects.create(activity=activity, photo=upload)
        count += 1
    return count


@transaction.atomic
def activity_create(*, user: User | None, station: Unit | None = None, photos: Iterable = (), **fields) -> Activity:
    """Record an activity (and its photos, each checked by core.photos.validate_photo)."""
    activity = Activity(created_by=user, **{k: v for k, v in fields.items() if k in ACTIVITY_FIELDS})
    _school_in_scope(user, activity.school)
    _not_in_future_date(activity.date, "date")
    _activity_station(activity, user, station)
    _save(activity)
    _add_photos(activity, photos)
    return activity


@transaction.atomic
def activity_update(*, activity: Activity, user: User | None, station: Unit | None = None, photos: Iterable = (),
                    **fields) -> Activity:
    """Change an activity; photos given are added to those it has."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    for name in ACTIVITY_FIELDS:
        if name in fields:
            setattr(activity, name, fields[name])
    _school_in_scope(user, activity.school)
    _not_in_future_date(activity.date, "date")
    _activity_station(activity, user, station or (activity.station if not activity.school_id else None))
    _save(activity)
    _add_photos(activity, photos)
    return activity


# -- trainings -------------------------------------------------------------------------------


TRAINING_FIELDS = ("unit", "kind", "date", "school", "place", "batch", "trainees", "subjects")


def _check_training(training: Training, user: User | None, people) -> None:
    if training.unit_id is None and user is not None and user.unit_id:
        training.unit_id = user.unit_id
    if training.unit_id is not None:
        require_in_scope(user, training.unit_id, field="unit", message=_("This unit is not in your scope."))
    _school_in_scope(user, training.school)
    _not_in_future_date(training.date, "date")
    if people is not None:
        outside = [p for p in people if not in_scope(user, p.unit_id)]
        if outside:
            raise ValidationError({"people": _("%(name)s is not in your scope.") % {"name": outside[0].name}})
        if training.trainees is not None and len(people) > training.trainees:
            raise ValidationError({"trainees": _("Fewer trainees than the people named (%(n)d).") % {"n": len(people)}})


@transaction.atomic
def training_create(*, user: User | None, people: list[Person] | None = None, **fields) -> Training:
    """Record a training; its unit defaults to the user's own (the organising unit)."""
    training = Training(created_by=user, **{k: v for k, v in fields.items() if k in TRAINING_FIELDS})
    _check_training(training, user, people)
    _save(training)
    if people:
        training.people.set(people)
    return training


@transaction.atomic
def training_update(*, training: Training, user: User | None, people: list[Person] | None = None,
                    **fields) -> Training:
    training = Training.objects.select_for_update().get(pk=training.pk)
    for name in TRAINING_FIELDS:
        if name in fields:
            setattr(training, name, fields[name])
    _check_training(training, user, people)
    _save(training)
    if people is not None:
        training.people.set(people)
    return training


# -- drills ----------------------------------------------------------------------------------


DRILL_FIELDS = ("school", "kind", "date", "participants", "alarm_at", "school_response_at", "police_arrival_at",
                "reinforcement_at", "note")
TIMED_FIELDS = ("alarm_at", *STAGE_FIELDS.values())


def _check_drill(drill: Drill, user: User | None) -> None:
    _school_in_scope(user, drill.school)
    if drill.school_id:
        drill.station_id = drill.school.station_id
    for name in TIMED_FIELDS:
        _not_in_future_moment(getattr(drill, name), name)
    if drill.alarm_at is not None:
        # The day of a timed drill is the day of its alarm.
        drill.date = timezone.localdate(drill.alarm_at)
    _not_in_future_date(drill.date, "date")
    if drill.kind == DrillKind.RAPID_RESPONSE and drill.alarm_at is None:
        raise ValidationError({"alarm_at": _('A "135" rapid response needs the time of the alarm.')})
    stamped = [name for name in STAGE_FIELDS.values() if getattr(drill, name) is not None]
    if stamped and drill.alarm_at is None:
        raise ValidationError({"alarm_at": _("Give the time of the alarm the arrivals are timed from.")})
    if stamped and drill.kind != DrillKind.RAPID_RESPONSE:
        raise ValidationError({stamped[0]: _('Only a "135" rapid response times its stages.')})
    for stage, name in STAGE_FIELDS.items():
        at = getattr(drill, name)
        if at is not None and at < drill.alarm_at:
            raise ValidationError({name: _("%(stage)s cannot come before the alarm.") % {"stage": Stage(stage).label}})


@transaction.atomic
def drill_create(*, user: User | None, **fields) -> Drill:
    """Record a drill that took place (a pull from Huxue is `rapid_response_pull_start`)."""
    drill = Drill(started_by=user, source=DrillSource.RECORDED,
                  **{k: v for k, v in fields.items() if k in DRILL_FIELDS})
    _check_drill(drill, user)
    # A recorded drill is over: a stage it does not give was not reached.
    drill.closed_at = timezone.now()
    _save(drill)
    return drill


@transaction.atomic
def drill_update(*, drill: Drill, user: User | None, **fields) -> Drill:
    """Correct a recorded drill. A pull's times were stamped by the server: they, its kind and
    its school stay as stamped (its participants and note may be filled in)."""
    drill = Drill.objects.select_for_update().get(pk=drill.pk)
    if drill.source == DrillSource.PULL:
        for name in ("school", "kind", "date", *TIMED_FIELDS):
            if name in fields and fields[name] != getattr(drill, name):
                raise ValidationError({name: _("A pull's school, kind and times are stamped by the server.")})
    for name in DRILL_FIELDS:
        if name in fields:
            setattr(drill, name, fields[name])
    _check_drill(drill, user)
    _save(drill)
    return drill


# -- drill plans ---------------------------------------------------------------------------


@transaction.atomic
def drill_plan_save(*, user: User | None, plan: DrillPlan | None = None, **fields) -> DrillPlan:
    """Create or change a school's plan for a kind of drill in a term."""
    plan = plan or DrillPlan()
    for name in ("school", "term", "kind", "planned"):
        if name in fields:
            setattr(plan, name, fields[name])
    _school_in_scope(user, plan.school if plan.school_id else None)
    if plan.school_id:
        plan.station_id = plan.school.station_id
        term = plan.term if plan.term_id else None
        if term is not None and term.school_id not in (None, plan.school_id):
            raise ValidationError({"term": _("This term is another school's.")})
    _save(plan)
    return plan


# -- the "135" rapid-response pull -----------------------------------------------------------


def people_on_duty_near(school: School, at: datetime.datetime) -> list[tuple[Person, int | None]]:
    """The people standing a shift right now at a post within RAPID_RESPONSE_NOTIFY_RADIUS_M
    of the school (the school's own posts always), with their post's distance in metres. A
    school with no location on record calls the people on duty at its station's posts."""
    assignments = (
        Assignment.objects.filter(active=True, shift__status=ShiftStatus.SCHEDULED, starts_at__lte=at, ends_at__gte=at)
        .select_related("person", "shift__post__school")
    )
    where = (float(school.lat), float(school.lng)) if school.lat is not None and school.lng is not None else None
    radius = settings.RAPID_RESPONSE_NOTIFY_RADIUS_M
    found: dict[int, tuple[Person, int | None]] = {}
    for assignment in assignments:
        post = assignment.shift.post
        distance = None
        if post.school_id == school.pk:
            distance = 0
        elif where is not None and post.location is not None:
            distance = round(distance_m(*where, *post.location))
            if distance > radius:
                continue
        elif post.station_id != school.station_id:
            continue
        person = assignment.person
        if person.pk not in found or (distance or 0) < (found[person.pk][1] or 0):
            found[person.pk] = (person, distance)
    return sorted(found.values(), key=lambda item: (item[1] is None, item[1] or 0, item[0].name))


@transaction.atomic
def rapid_response_pull_start(*, school: School, user: User) -> Drill:
    """Start a "135" pull at a school now: the server stamps the alarm, and the people on duty
    nearby (people_on_duty_near) are called: an in-app notification, and a text message and
    an email through the outbox, in this same transaction."""
    _school_in_scope(user, school)
    now = timezone.now()
    drill = Drill(school=school, station_id=school.station_id, kind=DrillKind.RAPID_RESPONSE,
                  date=timezone.localdate(now), alarm_at=now, source=DrillSource.PULL, started_by=user)
    _save(drill)
    nearby = people_on_duty_near(school, now)
    drill.notified.set([person for person, _distance in nearby])
    title = _('"135" rapid response: %(school)s, alarm at %(time)s') % {
        "school": school.name, "time": f"{timezone.localtime(now):%H:%M:%S}"}
    page = reverse("outreach:pull", args=[drill.pk])
    items = []
    for person, distance in nearby:
        where = school.address or school.name
        body = _("Go to %(place)s now and tap your arrival on %(page)s.") % {"place": where, "page": page}
        if distance:
            body += " " + _("About %(m)d m from your post.") % {"m": distance}
        items.append((person.pk, title, body, None))
    notify_people(items=items)
    return drill


def _tap_distance(drill: Drill, lat, lng) -> int | None:
    school = drill.school
    if lat is None or lng is None or school.lat is None or school.lng is None:
        return None
    return round(distance_m(float(lat), float(lng), float(school.lat), float(school.lng)))


@transaction.atomic
def rapid_response_arrival(*, drill: Drill, stage: str, user: User, lat: Decimal | float | None = None,
                           lng: Decimal | float | None = None, accuracy_m: int | None = None) -> DrillArrival:
    """An arrival tapped on a phone during a pull, stamped with the server's clock (the phone's
    position kept as evidence, with its distance from the school). The first tap of a stage
    sets the stage's time on the drill; once every stage has arrived the pull closes. A tap
    after the pull is closed, or for a stage already stamped, is refused."""
    drill = Drill.objects.select_for_update(of=("self",)).select_related("school").get(pk=drill.pk)
    if stage not in Stage.values:
        raise ValidationError({"stage": _("Choose one of: %(stages)s.") % {"stages": ", ".join(Stage.values)}})
    if drill.source != DrillSource.PULL:
        raise ValidationError({"stage": _("Arrivals are tapped only during a pull started from Huxue.")})
    if drill.closed_at is not None:
        raise ValidationError({"stage": _("This pull was closed at %(time)s; no more arrivals are taken.") % {
            "time": f"{timezone.localtime(drill.closed_at):%H:%M:%S}"}})
    field = STAGE_FIELDS[stage]
    stamped = getattr(drill, field)
    if stamped is not None:
        raise ValidationError({"stage": _("%(stage)s was already stamped at %(time)s.") % {
            "stage": Stage(stage).label, "time": f"{timezone.localtime(stamped):%H:%M:%S}"}})
    if (lat is None) != (lng is None):
        raise ValidationError({"lat" if lat is None else "lng": _("Give both latitude and longitude, or neither.")})
    now = timezone.now()
    person = Person.objects.filter(user=user).first()
    arrival = DrillArrival(drill=drill, stage=stage, user=user, person=person, tapped_at=now, lat=lat, lng=lng,
                           accuracy_m=accuracy_m, distance_m=_tap_distance(drill, lat, lng))
    arrival.full_clean(exclude=["drill"])
    arrival.save()
    setattr(drill, field, now)
    update = [field]
    if all(getattr(drill, name) is not None for name in STAGE_FIELDS.values()):
        drill.closed_at = now
        update.append("closed_at")
    drill.save(update_fields=update)
    return arrival


@transaction.atomic
def rapid_response_close(*, drill: Drill, user: User) -> Drill:
    """End a pull: a stage that has not arrived by now is missed."""
    drill = Drill.objects.select_for_update().get(pk=drill.pk)
    if drill.source != DrillSource.PULL:
        raise ValidationError({"source": _("Only a pull started from Huxue is closed.")})
    if not in_scope(user, drill.station_id):
        raise PermissionDenied(_("Only the school's station can close this pull."))
    if drill.closed_at is None:
        drill.closed_at = timezone.now()
        drill.save(update_fields=["closed_at"])
    return drill
