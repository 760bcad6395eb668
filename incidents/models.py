"""The on-site incident log (现场警情): what happened at a school gate during the peak, who
was on duty there then, what was done, and each step of its handling.

An incident is one record whatever its kind; the fields only some kinds use (a suspicious
person's check and its outcome, a dispute's parties and mediation, a good deed's publicity)
sit on it too, empty for the other kinds, and the database refuses them on the wrong kind.
The rules of each kind and of the handling steps are incidents.services'."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import DetailUrlMixin
from core.photos import random_photo_name
from duty.models import Shift
from org.models import Person, Unit
from org.scope import ScopedQuerySet
from posts.models import Post, School


class IncidentKind(models.TextChoices):
    HELP = "help", _("Help request")
    ALARM = "alarm", _("Alarm")
    ASSISTANCE = "assistance", _("Help given")
    SUSPICIOUS = "suspicious", _("Suspicious person checked")
    EMERGENCY = "emergency", _("Emergency")
    DISPUTE = "dispute", _("Dispute")
    GOOD_DEED = "good_deed", _("Good deed")


class SuspiciousOutcome(models.TextChoices):
    RELEASED = "released", _("Released")
    HANDED_OVER = "handed_over", _("Handed over")
    TAKEN_IN = "taken_in", _("Taken in")


class IncidentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Reported")
    TAKEN = "taken", _("In hand")
    ESCALATED = "escalated", _("Escalated to the station")
    REFERRED = "referred", _("Referred to another department")
    CLOSED = "closed", _("Closed")


class StepKind(models.TextChoices):
    REPORTED = "reported", _("Reported")
    TAKEN = "taken", _("Taken by")
    ESCALATED = "escalated", _("Escalated to the station")
    REFERRED = "referred", _("Referred to another department")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")


class IncidentQuerySet(ScopedQuerySet):
    def reported(self):
        """Incidents that count: every one but the drafts not yet sent."""
        return self.exclude(status=IncidentStatus.DRAFT)

    def overdue_emergencies(self, *, now=None):
        """Emergencies reported and still not closed INCIDENT_EMERGENCY_CLOSE_MINUTES after
        they happened: the one place this rule is written (the list's flag and filter, the
        live board's alert)."""
        limit = (now or timezone.now()) - datetime.timedelta(minutes=settings.INCIDENT_EMERGENCY_CLOSE_MINUTES)
        return self.filter(kind=IncidentKind.EMERGENCY, occurred_at__lt=limit).exclude(
            status__in=[IncidentStatus.DRAFT, IncidentStatus.CLOSED]
        )


class Incident(DetailUrlMixin, models.Model):
    kind = models.CharField(_("kind"), max_length=12, choices=IncidentKind.choices)
    occurred_at = models.DateTimeField(_("occurred at"))
    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="incidents")
    post = models.ForeignKey(Post, verbose_name=_("post"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="incidents")
    station = models.ForeignKey(Unit, verbose_name=_("police station"), on_delete=models.PROTECT, related_name="+")
    # The shift running at the post then, and who stood it (from the roster, not typed).
    shift = models.ForeignKey(Shift, verbose_name=_("shift"), null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="incidents")
    on_duty = models.ManyToManyField(Person, verbose_name=_("on duty"), blank=True, related_name="incidents")
    people_count = models.PositiveIntegerField(
        _("people concerned"), default=1,
        help_text=_("How many people it concerned: the report counts help requests, alarms and suspicious "
                    "persons in person-times."),
    )
    summary = models.CharField(_("what happened"), max_length=500, blank=True)
    action_taken = models.TextField(_("what was done"), blank=True)
    resolved = models.BooleanField(_("resolved"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=IncidentStatus.choices,
                              default=IncidentStatus.DRAFT)
    # A suspicious person's check.
    id_checked = models.BooleanField(_("ID checked"), default=False)
    items_checked = models.CharField(_("items checked"), max_length=200, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=SuspiciousOutcome.choices, blank=True)
    # A dispute.
    parties = models.CharField(_("parties"), max_length=300, blank=True)
    mediation = models.TextField(_("mediation"), blank=True)
    # A good deed.
    publicity = models.BooleanField(_("for publicity"), default=False)
    publicity_text = models.TextField(_("write-up for publicity"), blank=True)

    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    objects = IncidentQuerySet.as_manager()
    scope_path = "station"

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["station", "occurred_at"], name="incident_station_time"),
            models.Index(fields=["occurred_at"], name="incident_time"),
            models.Index(fields=["kind", "occurred_at"], name="incident_kind_time"),
            models.Index(fields=["school", "occurred_at"], name="incident_school_time"),
            models.Index(fields=["post", "occurred_at"], name="incident_post_time"),
            models.Index(fields=["status", "kind"], name="incident_status_kind"),
            models.Index(fields=["resolved", "kind"], name="incident_resolved_kind"),
            models.Index(fields=["occurred_at"], condition=Q(publicity=True), name="incident_publicity"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(people_count__gte=1), name="incident_people_count_positive",
                                   violation_error_message=_("An incident concerns at least one person.")),
            models.CheckConstraint(
                condition=Q(kind="suspicious") | (Q(outcome="") & Q(id_checked=False) & Q(items_checked="")),
                name="incident_check_only_suspicious",
                violation_error_message=_("Only a suspicious-person check has a check and its outcome."),
            ),
            models.CheckConstraint(
                condition=Q(kind="dispute") | (Q(parties="") & Q(mediation="")),
                name="incident_mediation_only_dispute",
                violation_error_message=_("Only a dispute has parties and a mediation."),
            ),
            models.CheckConstraint(
                condition=Q(kind="good_deed") | (Q(publicity=False) & Q(publicity_text="")),
                name="incident_publicity_only_good_deed",
                violation_error_message=_("Only a good deed is marked for publicity."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {timezone.localtime(self.occurred_at):%Y-%m-%d %H:%M} {self.school}"

    @property
    def is_draft(self) -> bool:
        return self.status == IncidentStatus.DRAFT

    @property
    def is_closed(self) -> bool:
        return self.status == IncidentStatus.CLOSED


class IncidentStep(models.Model):
    """One step of an incident's handling, with who took it and when: the timeline. Steps
    are only ever added (incidents.services.incident_step)."""

    incident = models.ForeignKey(Incident, verbose_name=_("incident"), on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("step"), max_length=10, choices=StepKind.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL,
                           related_name="+")
    # Taken by: the person on the roster who took it; referred: the department.
    person = models.ForeignKey(Person, verbose_name=_("person"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    department = models.CharField(_("department"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("handling step")
        verbose_name_plural = _("handling steps")
        ordering = ["incident_id", "at", "pk"]
        indexes = [models.Index(fields=["incident", "at"], name="incident_step_time")]
        constraints = [
            models.CheckConstraint(condition=~Q(kind="referred") | ~Q(department=""),
                                   name="incident_step_referral_names_department",
                                   violation_error_message=_("Name the department it was referred to.")),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {timezone.localtime(self.at):%Y-%m-%d %H:%M}"


def incident_photo_path(instance, filename: str) -> str:
    return random_photo_name("incidents", filename)


class IncidentPhoto(models.Model):
    incident = models.ForeignKey(Incident, verbose_name=_("incident"), on_delete=models.CASCADE,
                                 related_name="photos")
    photo = models.FileField(_("photo"), upload_to=incident_photo_path)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("incident photo")
        verbose_name_plural = _("incident photos")
        ordering = ["incident_id", "pk"]

    def __str__(self) -> str:
        return self.photo.name
