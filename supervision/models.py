"""Supervision (督察): unannounced spot checks of posts and what they find, and the numbered
bulletins compiled from them.

The tables were created by the duty app and keep their names (Meta.db_table, and the
histories' table_name): the models moved here without a row being copied."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import DetailUrlMixin
from core.validation import require_end_after_start
from duty.models import Shift
from org.models import Person, Unit
from org.scope import ScopedQuerySet, scope_unit_ids
from posts.models import Post

class SpotCheckMethod(models.TextChoices):
    ONSITE = "onsite", _("On-site visit")
    VIDEO = "video", _("Video patrol")
    RADIO = "radio", _("Radio roll-call")


class FindingIssue(models.TextChoices):
    ABSENT = "absent", _("Absent from the post")
    LEFT_POST = "left_post", _("Left the post")
    WITHDREW_EARLY = "withdrew_early", _("Withdrew early")
    KIT_MISSING = "kit_missing", _("Kit incomplete")
    CONDUCT = "conduct", _("Improper dress or conduct")
    OTHER = "other", _("Other")


class SpotCheck(DetailUrlMixin, models.Model):
    """A supervisor's unannounced check of a post during a shift ("四不两直")."""

    post = models.ForeignKey(Post, verbose_name=_("post"), on_delete=models.PROTECT, related_name="spot_checks")
    shift = models.ForeignKey(Shift, verbose_name=_("shift"), null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="spot_checks")
    station = models.ForeignKey(Unit, verbose_name=_("police station"), on_delete=models.PROTECT, related_name="+")
    method = models.CharField(_("method"), max_length=8, choices=SpotCheckMethod.choices)
    checked_at = models.DateTimeField(_("checked at"))
    supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("supervisor"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords(table_name="duty_historicalspotcheck")

    objects = ScopedQuerySet.as_manager()
    scope_path = "station"

    class Meta:
        db_table = "duty_spotcheck"
        verbose_name = _("spot check")
        verbose_name_plural = _("spot checks")
        ordering = ["-checked_at"]
        indexes = [
            models.Index(fields=["station", "checked_at"]),
            models.Index(fields=["checked_at"]),
            models.Index(fields=["method", "checked_at"], name="spotcheck_method_checked_at"),
        ]

    def __str__(self) -> str:
        return f"{self.post} {timezone.localtime(self.checked_at):%Y-%m-%d %H:%M} {self.get_method_display()}"


def finding_photo_path(instance, filename: str) -> str:
    """A random name: the uploader's file name says nothing we need, and may say too much."""
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"findings/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Finding(models.Model):
    """One thing a spot check found, usually about one person on the shift."""

    spot_check = models.ForeignKey(SpotCheck, verbose_name=_("spot check"), on_delete=models.CASCADE,
                                   related_name="findings")
    person = models.ForeignKey(Person, verbose_name=_("person"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="findings")
    issue = models.CharField(_("issue"), max_length=16, choices=FindingIssue.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    photo = models.FileField(_("photo"), upload_to=finding_photo_path, blank=True)
    history = HistoricalRecords(table_name="duty_historicalfinding")

    class Meta:
        db_table = "duty_finding"
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["spot_check_id", "id"]
        indexes = [models.Index(fields=["issue"])]

    def __str__(self) -> str:
        who = self.person.name if self.person_id else ""
        return f"{who} {self.get_issue_display()}".strip()


class BulletinQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A bulletin is sent down: the issuing unit, the units below it, and everyone above
        the issuing unit who sees it in scope may read it. A draft is the supervisors' work
        in progress: only those who may change bulletins see drafts."""
        queryset = self.all()
        if not user.has_perm("supervision.change_bulletin"):
            queryset = queryset.filter(status=Bulletin.Status.ISSUED)
        ids = scope_unit_ids(user)
        if ids is None:
            return queryset
        readable = set(ids)
        if user.unit_id:
            readable |= Unit.objects.ancestor_ids(user.unit_id)
        return queryset.filter(unit_id__in=readable)

    def read_at(self, unit: Unit):
        """The bulletins a unit reads: its own, those of the units below it, and those sent
        down to it from above."""
        return self.filter(unit_id__in=unit.subtree_ids() | Unit.objects.ancestor_ids(unit.pk))


class Bulletin(DetailUrlMixin, models.Model):
    """A supervision bulletin (督察通报), numbered per year once issued (第N期). While a draft
    its figures follow the findings; issuing freezes them, with the text, for good."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Issued")

    unit = models.ForeignKey(Unit, verbose_name=_("issuing unit"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    text = models.TextField(_("text"), blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    content = models.JSONField(_("frozen content"), default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("drafted by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("issued by"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords(table_name="duty_historicalbulletin")

    objects = BulletinQuerySet.as_manager()
    scope_path = "unit"

    class Meta:
        db_table = "duty_bulletin"
        verbose_name = _("supervision bulletin")
        verbose_name_plural = _("supervision bulletins")
        ordering = ["-year", "-number", "-period_end"]
        indexes = [
            models.Index(fields=["status", "issued_at"]),
            models.Index(fields=["issued_at"], name="bulletin_issued_at"),
            models.Index(fields=["number", "year"], name="bulletin_number_year"),
            models.Index(fields=["year", "number"], name="bulletin_year_number"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "number"], condition=Q(number__isnull=False), name="bulletin_number_unique_per_year",
                violation_error_message=_("A bulletin with this number was already issued this year."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="bulletin_period_valid",
                violation_error_message=_("The period cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(number__isnull=False) & Q(issued_at__isnull=False)),
                name="bulletin_issued_has_number",
            ),
        ]

    def __str__(self) -> str:
        if self.number:
            return _("%(year)s No. %(number)d: %(title)s") % {"year": self.year, "number": self.number, "title": self.title}
        return self.title

    @property
    def is_editable(self) -> bool:
        """A draft may still change; issuing freezes the bulletin for good. The one place
        this rule is written: the services, the pages and the documents read it."""
        return self.status == self.Status.DRAFT

    def clean(self):
        require_end_after_start(
            start=self.period_start, end=self.period_end, end_field="period_end",
            message=_("The period cannot end before it starts."),
        )


class BulletinCounter(models.Model):
    """The last number issued in a year; its row is locked while a bulletin is numbered, so
    two bulletins issued at once never share a number."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "duty_bulletincounter"
        verbose_name = _("bulletin counter")


# The choices of a bulletin's status by a dotted path of their own (the API schema's enum
# names, huxue/settings.py).
BulletinStatus = Bulletin.Status
