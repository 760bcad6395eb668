"""Outreach (宣传), training (培训) and drills (演练), with the "135" rapid response
(快速反应机制): within 1 minute the school's own security responds, within 3 minutes the
nearby police arrive, within 5 minutes reinforcements arrive.

A stage is met when its arrival comes no later than the alarm plus its target (the targets
are settings: RAPID_RESPONSE_*_SECONDS). That rule is written once, here: `stage_target`,
`StageResult.of` for one drill, and `stage_met_q` / `stage_missed_q` for the database; the
pages, the API and the figures all read it from here."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import DetailUrlMixin
from core.photos import random_photo_name
from org.models import Person, Unit
from org.scope import ScopedQuerySet, scope_unit_ids
from posts.models import School, Term

# -- activities ------------------------------------------------------------------------------


class ActivityKind(models.TextChoices):
    TALK = "talk", _("Talk in a school")
    EXHIBITION = "exhibition", _("Exhibition")
    FILM = "film", _("Film showing")
    OPEN_DAY = "open_day", _("Police open day")
    LEAFLETS = "leaflets", _("Leaflets handed out")


class Topic(models.TextChoices):
    TELECOM_FRAUD = "telecom_fraud", _("Telecom fraud")
    DRUGS = "drugs", _("Drugs")
    ORGANISED_CRIME = "organised_crime", _("Organised crime")
    TERRORISM = "terrorism", _("Terrorism and violence")
    TRAFFIC = "traffic", _("Traffic safety")
    DROWNING = "drowning", _("Drowning")
    BULLYING = "bullying", _("Bullying")
    OTHER = "other", _("Other")


class Activity(DetailUrlMixin, models.Model):
    """A publicity activity (宣传): a talk, exhibition or film in a school, leaflets handed out,
    or a police open day (警营开放), which may be held at the station with no one school.
    `audience` counts the pupils and teachers reached, `materials` the leaflets handed out."""

    kind = models.CharField(_("kind"), max_length=16, choices=ActivityKind.choices)
    topic = models.CharField(_("topic"), max_length=16, choices=Topic.choices)
    school = models.ForeignKey(School, verbose_name=_("school"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="outreach_activities",
                               help_text=_("Leave empty only for an open day held at the station."))
    station = models.ForeignKey(Unit, verbose_name=_("police station"), on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    audience = models.PositiveIntegerField(_("people reached"), default=0,
                                           help_text=_("Pupils, teachers and parents who took part."))
    materials = models.PositiveIntegerField(_("materials handed out"), default=0,
                                            help_text=_("Leaflets and other printed materials."))
    place = models.CharField(_("place"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_path = "station"

    class Meta:
        verbose_name = _("outreach activity")
        verbose_name_plural = _("outreach activities")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["station", "date"]),
            models.Index(fields=["date"]),
            models.Index(fields=["kind", "date"]),
            models.Index(fields=["topic", "date"]),
            models.Index(fields=["school", "date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="open_day") | Q(school__isnull=False), name="activity_school_unless_open_day",
                violation_error_message=_("Choose the school (only an open day may be held at the station)."),
            ),
        ]

    def __str__(self) -> str:
        where = self.school.name if self.school_id else self.station.name if self.station_id else ""
        return f"{self.date} {where} {self.get_kind_display()}".strip()


def activity_photo_path(instance, filename: str) -> str:
    return random_photo_name("outreach", filename)


class ActivityPhoto(models.Model):
    """A photo of an activity; served only through a page that checks scope."""

    activity = models.ForeignKey(Activity, verbose_name=_("outreach activity"), on_delete=models.CASCADE,
                                 related_name="photos")
    photo = models.FileField(_("photo"), upload_to=activity_photo_path)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("activity photo")
        verbose_name_plural = _("activity photos")
        ordering = ["activity_id", "pk"]

    def __str__(self) -> str:
        return self.photo.name


# -- trainings --------------------------------------------------------------------------------


class TrainingKind(models.TextChoices):
    POLICE = "police", _("Police training batch")
    SECURITY_STAFF = "security_staff", _("School security training")


class Training(DetailUrlMixin, models.Model):
    """A training: a batch of police trained by the bureau or a station (专题培训), or a
    session for a school's security staff (安保培训). `trainees` is the number trained; the
    people themselves are kept where they are known."""

    unit = models.ForeignKey(Unit, verbose_name=_("organising unit"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=TrainingKind.choices)
    date = models.DateField(_("date"))
    school = models.ForeignKey(School, verbose_name=_("school"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="outreach_trainings",
                               help_text=_("The school whose security staff were trained, if in one school."))
    place = models.CharField(_("place"), max_length=200, blank=True)
    batch = models.CharField(_("batch"), max_length=50, blank=True, help_text=_("E.g. 第一批."))
    trainees = models.PositiveIntegerField(_("trainees"))
    subjects = models.TextField(_("subjects"), blank=True)
    people = models.ManyToManyField(Person, verbose_name=_("people trained"), blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_path = "unit"

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["unit", "date"]),
            models.Index(fields=["date"]),
            models.Index(fields=["kind", "date"]),
        ]

    def __str__(self) -> str:
        label = f"{self.date} {self.get_kind_display()}"
        return f"{label} {self.batch}" if self.batch else label


# -- drills -------------------------------------------------------------------------------------


class DrillKind(models.TextChoices):
    FIRE = "fire", _("Fire drill")
    ANTI_TERROR = "anti_terror", _("Anti-terror drill")
    EVACUATION = "evacuation", _("Evacuation drill")
    RAPID_RESPONSE = "rapid_response", _('"135" rapid response')


class DrillSource(models.TextChoices):
    RECORDED = "recorded", _("Recorded afterwards")
    PULL = "pull", _("Pulled from Huxue")


class Stage(models.TextChoices):
    SCHOOL = "school", _("School security responds")
    POLICE = "police", _("Nearby police arrive")
    REINFORCEMENT = "reinforcement", _("Reinforcements arrive")


# Each stage's column on the drill and the setting holding its target, in the order they come.
STAGE_FIELDS = {
    Stage.SCHOOL: "school_response_at",
    Stage.POLICE: "police_arrival_at",
    Stage.REINFORCEMENT: "reinforcement_at",
}
STAGE_SETTINGS = {
    Stage.SCHOOL: "RAPID_RESPONSE_SCHOOL_SECONDS",
    Stage.POLICE: "RAPID_RESPONSE_POLICE_SECONDS",
    Stage.REINFORCEMENT: "RAPID_RESPONSE_REINFORCEMENT_SECONDS",
}


def stage_target(stage: str) -> int:
    """The stage's target in seconds after the alarm (a setting: places define it differently)."""
    return int(getattr(settings, STAGE_SETTINGS[stage]))


def stage_met_q(stage: str, prefix: str = "") -> Q:
    """The database's form of the rule: the stage arrived no later than alarm + target."""
    field = STAGE_FIELDS[stage]
    return Q(**{f"{prefix}{field}__isnull": False,
                f"{prefix}{field}__lte": F(f"{prefix}alarm_at") + datetime.timedelta(seconds=stage_target(stage))})


def stage_missed_q(stage: str, prefix: str = "") -> Q:
    """Arrived late, or never arrived by the time the drill was closed."""
    field = STAGE_FIELDS[stage]
    late = Q(**{f"{prefix}{field}__gt": F(f"{prefix}alarm_at") + datetime.timedelta(seconds=stage_target(stage))})
    never = Q(**{f"{prefix}{field}__isnull": True, f"{prefix}closed_at__isnull": False})
    return Q(**{f"{prefix}kind": DrillKind.RAPID_RESPONSE, f"{prefix}alarm_at__isnull": False}) & (late | never)


@dataclass(frozen=True)
class StageResult:
    """One stage of one drill: when it arrived, how many seconds after the alarm, the target,
    and whether it was met ("met", "missed", or "pending" while the pull runs). `margin` is
    signed: seconds to spare (positive) or over the target (negative)."""

    stage: str
    label: str
    target: int
    at: datetime.datetime | None
    seconds: int | None
    result: str

    @property
    def margin(self) -> int | None:
        return None if self.seconds is None else self.target - self.seconds

    @property
    def over(self) -> int | None:
        """Seconds over the target (0 when within it)."""
        return None if self.margin is None else max(-self.margin, 0)

    @property
    def met(self) -> bool:
        return self.result == "met"

    @classmethod
    def of(cls, drill: Drill, stage: str) -> StageResult:
        at = getattr(drill, STAGE_FIELDS[stage])
        target = stage_target(stage)
        seconds = None
        if at is not None and drill.alarm_at is not None:
            seconds = round((at - drill.alarm_at).total_seconds())
        if seconds is not None:
            result = "met" if (at - drill.alarm_at).total_seconds() <= target else "missed"
        elif drill.closed_at is not None:
            result = "missed"
        else:
            result = "pending"
        return cls(stage=stage, label=str(Stage(stage).label), target=target, at=at, seconds=seconds, result=result)


class DrillQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """The drills of the user's stations, and the pulls he was called to (an officer on
        duty near a school of another station is called as its police or reinforcement)."""
        queryset = super().visible_to(user)
        if scope_unit_ids(user) is None or not user.is_authenticated:
            return queryset
        called = Drill.notified.through.objects.filter(person__user=user).values("drill_id")
        return self.filter(Q(pk__in=queryset.values("pk")) | Q(pk__in=called))

    def stage_met(self, stage: str):
        return self.filter(stage_met_q(stage))

    def stage_missed(self, stage: str):
        return self.filter(stage_missed_q(stage))


class Drill(DetailUrlMixin, models.Model):
    """A drill in a school: fire, anti-terror, evacuation, or a "135" rapid response whose
    alarm and each stage's arrival are timed. A rapid response is recorded afterwards, or
    pulled from Huxue (the server stamps the alarm and each arrival, and closes it)."""

    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="drills")
    station = models.ForeignKey(Unit, verbose_name=_("police station"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=DrillKind.choices)
    date = models.DateField(_("date"))
    participants = models.PositiveIntegerField(_("participants"), default=0)
    alarm_at = models.DateTimeField(_("alarm at"), null=True, blank=True)
    school_response_at = models.DateTimeField(_("school security responded at"), null=True, blank=True)
    police_arrival_at = models.DateTimeField(_("police arrived at"), null=True, blank=True)
    reinforcement_at = models.DateTimeField(_("reinforcements arrived at"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=8, choices=DrillSource.choices, default=DrillSource.RECORDED)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    notified = models.ManyToManyField(Person, verbose_name=_("people called"), blank=True, related_name="+")
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords(excluded_fields=["closed_at"])

    objects = DrillQuerySet.as_manager()
    scope_path = "station"

    class Meta:
        verbose_name = _("drill")
        verbose_name_plural = _("drills")
        ordering = ["-date", "-alarm_at", "-pk"]
        permissions = [("start_pull", _('Can start a "135" rapid-response pull'))]
        indexes = [
            models.Index(fields=["station", "date"]),
            models.Index(fields=["date"]),
            models.Index(fields=["kind", "date"]),
            models.Index(fields=["school", "kind", "date"]),
            models.Index(fields=["source", "closed_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="rapid_response") | Q(alarm_at__isnull=False), name="drill_rapid_response_has_alarm",
                violation_error_message=_('A "135" rapid response needs the time of the alarm.'),
            ),
            models.CheckConstraint(
                condition=Q(school_response_at__isnull=True) | Q(school_response_at__gte=F("alarm_at")),
                name="drill_school_response_after_alarm",
                violation_error_message=_("The school's response cannot come before the alarm."),
            ),
            models.CheckConstraint(
                condition=Q(police_arrival_at__isnull=True) | Q(police_arrival_at__gte=F("alarm_at")),
                name="drill_police_arrival_after_alarm",
                violation_error_message=_("The police cannot arrive before the alarm."),
            ),
            models.CheckConstraint(
                condition=Q(reinforcement_at__isnull=True) | Q(reinforcement_at__gte=F("alarm_at")),
                name="drill_reinforcement_after_alarm",
                violation_error_message=_("Reinforcements cannot arrive before the alarm."),
            ),
        ]

    def __str__(self) -> str:
        school = self.school.name if self.school_id else ""
        return f"{self.date} {school} {self.get_kind_display()}".strip()

    @property
    def is_rapid_response(self) -> bool:
        return self.kind == DrillKind.RAPID_RESPONSE

    @property
    def is_running_pull(self) -> bool:
        """A pull from Huxue still taking arrivals."""
        return self.source == DrillSource.PULL and self.closed_at is None

    def stage_results(self) -> list[StageResult]:
        """Each stage, met or missed and by how much (empty for a drill that is not timed)."""
        if not self.is_rapid_response or self.alarm_at is None:
            return []
        return [StageResult.of(self, stage) for stage in Stage.values]


class DrillArrival(models.Model):
    """One tap on a phone during a pull: who arrived for which stage, stamped by the server's
    clock, with the phone's position kept as evidence. The first tap of a stage sets the
    stage's time on the drill."""

    drill = models.ForeignKey(Drill, verbose_name=_("drill"), on_delete=models.CASCADE, related_name="arrivals")
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("tapped by"), null=True,
                             on_delete=models.SET_NULL, related_name="+")
    person = models.ForeignKey(Person, verbose_name=_("person"), null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    tapped_at = models.DateTimeField(_("tapped at"))
    lat = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    accuracy_m = models.PositiveIntegerField(_("accuracy (m)"), null=True, blank=True)
    distance_m = models.PositiveIntegerField(_("distance from the school (m)"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "drill__station"

    class Meta:
        verbose_name = _("drill arrival")
        verbose_name_plural = _("drill arrivals")
        ordering = ["drill_id", "tapped_at"]
        indexes = [models.Index(fields=["drill", "stage"])]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {timezone.localtime(self.tapped_at):%H:%M:%S}"


class DrillPlan(DetailUrlMixin, models.Model):
    """How many drills of a kind a school plans in a term (演练计划); the drills performed
    against it are counted by outreach.selectors.drill_plan_progress."""

    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="drill_plans")
    station = models.ForeignKey(Unit, verbose_name=_("police station"), on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey(Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=DrillKind.choices)
    planned = models.PositiveSmallIntegerField(_("planned"))
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_path = "station"

    class Meta:
        verbose_name = _("drill plan")
        verbose_name_plural = _("drill plans")
        ordering = ["station_id", "school__name", "kind"]
        indexes = [models.Index(fields=["station", "term"]), models.Index(fields=["term", "kind"])]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "term", "kind"], name="drill_plan_unique_per_school_term_kind",
                violation_error_message=_("This school already has a plan for this kind of drill in this term."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.term} {self.get_kind_display()} ×{self.planned}"
