"""Inspections and hazards (隐患排查整改): the checklist a school is inspected against
(versioned, so an old inspection keeps its questions), the inspection and its review, the
hazards it finds with their deadlines and their life to the re-check that closes them (销号),
the numbered rectification notices (整改通知书), the improvements installed at schools and
the joint operations around them.

The rules (transitions, numbering, what an inspection may still change) are
inspections.services'; the counts inspections.selectors'."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import DetailUrlMixin
from core.photos import random_photo_name
from org.models import Person, Unit
from org.scope import GlobalQuerySet, ScopedQuerySet
from posts.models import School


class HazardCategory(models.TextChoices):
    PUBLIC_ORDER = "public_order", _("Public order")
    FIRE = "fire", _("Fire")
    TRAFFIC = "traffic", _("Traffic")
    FOOD = "food", _("Food")
    CHEMICALS = "chemicals", _("Hazardous chemicals")
    SECURITY = "security", _("Security basics")


class Severity(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


# -- the checklist ---------------------------------------------------------------------------


class ChecklistTemplate(DetailUrlMixin, models.Model):
    """One version of a checklist. An inspection points at the version it used; editing a
    version already used makes the next one (services.checklist_template_save), so the
    questions an old inspection answered never change under it. Only one version of a
    checklist is active: the one new inspections get."""

    name = models.CharField(_("name"), max_length=100)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    active = models.BooleanField(_("active"), default=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    # Every inspector reads the checklists; they belong to no station.
    objects = GlobalQuerySet.as_manager()

    class Meta:
        verbose_name = _("checklist")
        verbose_name_plural = _("checklists")
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="checklist_version_unique",
                                    violation_error_message=_("This checklist already has this version.")),
            models.UniqueConstraint(fields=["name"], condition=Q(active=True), name="checklist_one_active_version",
                                    violation_error_message=_("Only one version of a checklist is active.")),
        ]
        indexes = [models.Index(fields=["active", "name"], name="checklist_active")]

    def __str__(self) -> str:
        return _("%(name)s (version %(version)d)") % {"name": self.name, "version": self.version}


class ChecklistItem(models.Model):
    """One question of a checklist version: what is checked, under which heading, the
    hazard category a failure is, its usual severity, and the part of GB/T 29315-2022 (or
    other rule) it checks."""

    template = models.ForeignKey(ChecklistTemplate, verbose_name=_("checklist"), on_delete=models.CASCADE,
                                 related_name="items")
    order = models.PositiveSmallIntegerField(_("order"))
    section = models.CharField(_("section"), max_length=50)
    category = models.CharField(_("category"), max_length=16, choices=HazardCategory.choices)
    text = models.CharField(_("what is checked"), max_length=300)
    clause = models.CharField(_("standard clause"), max_length=120, blank=True,
                              help_text=_("The standard and clause this item checks, e.g. GB/T 29315-2022."))
    severity = models.CharField(_("usual severity"), max_length=8, choices=Severity.choices, default=Severity.MEDIUM)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["template_id", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["template", "order"], name="checklist_item_order_unique",
                                    violation_error_message=_("Two items of a checklist cannot share a position.")),
            models.CheckConstraint(condition=Q(category__in=HazardCategory.values), name="checklist_item_category_valid"),
            models.CheckConstraint(condition=Q(severity__in=Severity.values), name="checklist_item_severity_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.text}"


# -- inspections ------------------------------------------------------------------------------


class InspectionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for correction")


class Inspection(DetailUrlMixin, models.Model):
    """An inspection of one school on one day against one checklist version, by its
    inspectors (people on the register and/or accounts). A draft, then submitted; a
    supervisor approves it or returns it with comments per item; returned, it is corrected
    and submitted again. Approved, it is final."""

    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="inspections")
    date = models.DateField(_("date"))
    template = models.ForeignKey(ChecklistTemplate, verbose_name=_("checklist"), on_delete=models.PROTECT,
                                 related_name="inspections")
    inspectors = models.ManyToManyField(Person, verbose_name=_("inspectors"), blank=True, related_name="inspections")
    inspector_users = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("inspecting accounts"),
                                             blank=True, related_name="inspections")
    status = models.CharField(_("status"), max_length=10, choices=InspectionStatus.choices,
                              default=InspectionStatus.DRAFT)
    note = models.TextField(_("note"), blank=True)
    # The review rounds so far: each submission starts one.
    round = models.PositiveSmallIntegerField(_("review round"), default=0)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[inspectors])

    objects = ScopedQuerySet.as_manager()
    scope_path = "school__station"

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-date", "-pk"]
        permissions = [("review_inspection", _("Can approve or return an inspection"))]
        indexes = [
            models.Index(fields=["school", "date"], name="inspection_school_date"),
            models.Index(fields=["date"], name="inspection_date"),
            models.Index(fields=["status", "submitted_at"], name="inspection_review_queue"),
            models.Index(fields=["template"], name="inspection_template"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=InspectionStatus.values), name="inspection_status_valid"),
            models.CheckConstraint(condition=Q(status="draft") | Q(submitted_at__isnull=False, round__gte=1),
                                   name="inspection_submitted_has_round"),
        ]

    def __str__(self) -> str:
        return _("%(school)s, %(date)s") % {"school": self.school, "date": self.date.isoformat()}

    @property
    def is_editable(self) -> bool:
        """A draft, or a report returned for correction: the inspector's to change. The one
        place this rule is written (services, pages and API read it)."""
        return self.status in (InspectionStatus.DRAFT, InspectionStatus.RETURNED)


class AnswerResult(models.TextChoices):
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")
    NOT_APPLICABLE = "na", _("Not applicable")


class InspectionAnswer(models.Model):
    """An inspection's answer to one item of its checklist. Empty (`result` "") until the
    inspector answers it; every item must be answered before submitting."""

    inspection = models.ForeignKey(Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE,
                                   related_name="answers")
    item = models.ForeignKey(ChecklistItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="answers")
    result = models.CharField(_("result"), max_length=4, choices=AnswerResult.choices, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    # A failed item's severity when the inspector judges it otherwise than the item's usual.
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["inspection_id", "item__order"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="inspection_answer_unique"),
            models.CheckConstraint(condition=Q(result="") | Q(result__in=AnswerResult.values),
                                   name="inspection_answer_result_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.get_result_display() or '—'}"

    @property
    def hazard_severity(self) -> str:
        return self.severity or self.item.severity


def answer_photo_path(instance, filename: str) -> str:
    return random_photo_name("inspections", filename)


class AnswerPhoto(models.Model):
    answer = models.ForeignKey(InspectionAnswer, verbose_name=_("answer"), on_delete=models.CASCADE,
                               related_name="photos")
    photo = models.FileField(_("photo"), upload_to=answer_photo_path)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("answer photo")
        verbose_name_plural = _("answer photos")
        ordering = ["answer_id", "pk"]

    def __str__(self) -> str:
        return self.photo.name


class ReviewDecision(models.TextChoices):
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class Review(models.Model):
    """One round of a supervisor's review: approved, or returned with a comment and
    comments on items. Kept for good: the inspection's review history."""

    inspection = models.ForeignKey(Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE,
                                   related_name="reviews")
    round = models.PositiveSmallIntegerField(_("round"))
    decision = models.CharField(_("decision"), max_length=8, choices=ReviewDecision.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), null=True,
                           on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("reviewed at"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["inspection_id", "round"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "round"], name="review_one_per_round"),
            models.CheckConstraint(condition=Q(decision__in=ReviewDecision.values), name="review_decision_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} ({self.round})"


class ReviewComment(models.Model):
    review = models.ForeignKey(Review, verbose_name=_("review"), on_delete=models.CASCADE, related_name="comments")
    item = models.ForeignKey(ChecklistItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="+")
    comment = models.CharField(_("comment"), max_length=500)

    class Meta:
        verbose_name = _("comment on an item")
        verbose_name_plural = _("comments on items")
        ordering = ["review_id", "item__order"]
        constraints = [models.UniqueConstraint(fields=["review", "item"], name="review_comment_one_per_item")]

    def __str__(self) -> str:
        return self.comment


# -- hazards ----------------------------------------------------------------------------------


class HazardStatus(models.TextChoices):
    OPEN = "open", _("Open")
    NOTIFIED = "notified", _("Notified")
    RECTIFIED = "rectified", _("Rectified")
    VERIFIED = "verified", _("Verified and closed")


class HazardSource(models.TextChoices):
    ITEM = "item", _("A failed checklist item")
    HAND = "hand", _("Added by hand")
    GUARDS = "guards", _("Guards short of the standard")


# Statuses in which a hazard is still to be put right (the overdue rule counts these).
UNRESOLVED = (HazardStatus.OPEN, HazardStatus.NOTIFIED)


class HazardQuerySet(ScopedQuerySet):
    def overdue(self, *, today: datetime.date | None = None):
        """Hazards past their deadline and not yet put right (open or notified): the one
        place this rule is written (the daily flag, the lists, the figures)."""
        return self.filter(status__in=UNRESOLVED, deadline__lt=today or timezone.localdate())


class Hazard(DetailUrlMixin, models.Model):
    """A safety hazard at a school: found by an inspection (a failed item, or added by hand)
    or by the guards' check against the standard. Its deadline follows from its severity;
    it is closed only when a re-check verifies it (销号)."""

    inspection = models.ForeignKey(Inspection, verbose_name=_("inspection"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="hazards")
    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="hazards")
    category = models.CharField(_("category"), max_length=16, choices=HazardCategory.choices)
    description = models.CharField(_("description"), max_length=500)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    found_on = models.DateField(_("found on"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=10, choices=HazardStatus.choices, default=HazardStatus.OPEN)
    source = models.CharField(_("source"), max_length=8, choices=HazardSource.choices, default=HazardSource.HAND)
    from_item = models.ForeignKey(ChecklistItem, verbose_name=_("from checklist item"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    # The day the daily check first found it past its deadline (and told the station and HQ).
    overdue_since = models.DateField(_("flagged overdue on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    objects = HazardQuerySet.as_manager()
    scope_path = "school__station"

    class Meta:
        verbose_name = _("hazard")
        verbose_name_plural = _("hazards")
        ordering = ["-found_on", "-pk"]
        indexes = [
            models.Index(fields=["school", "found_on"], name="hazard_school_found"),
            models.Index(fields=["found_on"], name="hazard_found_on"),
            models.Index(fields=["status", "deadline"], name="hazard_status_deadline"),
            models.Index(fields=["category", "found_on"], name="hazard_category_found"),
            models.Index(fields=["severity"], name="hazard_severity"),
            models.Index(fields=["inspection"], name="hazard_inspection"),
        ]
        constraints = [
            # Exactly one hazard per failed item of an inspection, however often it is submitted.
            models.UniqueConstraint(fields=["inspection", "from_item"], condition=Q(from_item__isnull=False),
                                    name="hazard_one_per_failed_item"),
            # One live guards' shortfall per school: confirming it again adds nothing.
            models.UniqueConstraint(fields=["school"], condition=Q(source="guards") & ~Q(status="verified"),
                                    name="hazard_one_open_guard_shortfall",
                                    violation_error_message=_("This school's guard shortfall is already a hazard.")),
            models.CheckConstraint(condition=Q(status__in=HazardStatus.values), name="hazard_status_valid"),
            models.CheckConstraint(condition=Q(category__in=HazardCategory.values), name="hazard_category_valid"),
            models.CheckConstraint(condition=Q(severity__in=Severity.values), name="hazard_severity_valid"),
            models.CheckConstraint(condition=Q(deadline__gte=F("found_on")), name="hazard_deadline_after_found",
                                   violation_error_message=_("The deadline cannot be before the hazard was found.")),
            models.CheckConstraint(condition=Q(source="item") | Q(from_item__isnull=True),
                                   name="hazard_item_only_from_item"),
        ]

    def __str__(self) -> str:
        return f"{self.school} · {self.description[:40]}"

    @property
    def is_overdue(self) -> bool:
        return self.status in UNRESOLVED and self.deadline < timezone.localdate()


def hazard_photo_path(instance, filename: str) -> str:
    return random_photo_name("hazards", filename)


class HazardEvent(models.Model):
    """One transition of a hazard, with who, when, why and the evidence: the hazard's log,
    only ever added to (inspections.services)."""

    hazard = models.ForeignKey(Hazard, verbose_name=_("hazard"), on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("at"), default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+")
    from_status = models.CharField(_("from"), max_length=10, choices=HazardStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=10, choices=HazardStatus.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    photo = models.FileField(_("evidence photo"), upload_to=hazard_photo_path, blank=True)

    class Meta:
        verbose_name = _("hazard event")
        verbose_name_plural = _("hazard events")
        ordering = ["hazard_id", "at", "pk"]
        indexes = [models.Index(fields=["hazard", "at"], name="hazard_event_time")]

    def __str__(self) -> str:
        return f"{self.get_from_status_display() or '—'} → {self.get_to_status_display()}"


# -- rectification notices --------------------------------------------------------------------


class Notice(DetailUrlMixin, models.Model):
    """A rectification notice (整改通知书) to a school, listing its hazards and the deadline.
    Numbered per year when issued (船公（治）整字〔2026〕第N号); issued, it cannot change."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Issued")

    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="notices")
    hazards = models.ManyToManyField(Hazard, verbose_name=_("hazards"), related_name="notices")
    deadline = models.DateField(_("deadline"))
    text = models.TextField(_("text"), blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("issued by"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("drafted by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[hazards])

    objects = ScopedQuerySet.as_manager()
    scope_path = "school__station"

    class Meta:
        verbose_name = _("rectification notice")
        verbose_name_plural = _("rectification notices")
        ordering = ["-year", "-number", "-pk"]
        indexes = [
            models.Index(fields=["status", "issued_on"], name="notice_status_issued"),
            models.Index(fields=["issued_on"], name="notice_issued_on"),
            models.Index(fields=["school", "issued_on"], name="notice_school_issued"),
            models.Index(fields=["year", "number"], name="notice_year_number"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "number"], condition=Q(number__isnull=False), name="notice_number_unique_per_year",
                violation_error_message=_("A notice with this number was already issued this year."),
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(number__isnull=False) & Q(year__isnull=False)
                                               & Q(issued_on__isnull=False)),
                name="notice_issued_has_number",
            ),
            models.CheckConstraint(condition=Q(status__in=["draft", "issued"]), name="notice_status_valid"),
        ]

    def __str__(self) -> str:
        return self.number_label if self.number else _("Draft notice to %(school)s") % {"school": self.school}

    @property
    def number_label(self) -> str:
        """船公（治）整字〔2026〕第3号 once issued; empty before."""
        if not self.number:
            return ""
        return f"{settings.NOTICE_NUMBER_PREFIX}〔{self.year}〕第{self.number}号"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class NoticeCounter(models.Model):
    """The last notice number issued in a year; its row is locked while a notice is numbered,
    so two notices issued at once never share a number."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("notice counter")
        verbose_name_plural = _("notice counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


# -- improvements and joint operations --------------------------------------------------------


class ImprovementKind(models.TextChoices):
    TRAFFIC_SIGN = "traffic_sign", _("Traffic signs")
    CCTV = "cctv", _("CCTV")
    ROAD_MARKING = "road_marking", _("Road markings")
    ANTI_RAM = "anti_ram", _("Anti-ram barriers")
    ALARM_BUTTON = "alarm_button", _("One-button alarms")


# The unit each kind is counted in, as the report writes it.
IMPROVEMENT_UNITS = {
    ImprovementKind.TRAFFIC_SIGN: "面",
    ImprovementKind.CCTV: "处",
    ImprovementKind.ROAD_MARKING: "m²",
    ImprovementKind.ANTI_RAM: "套",
    ImprovementKind.ALARM_BUTTON: "个",
}


class Improvement(DetailUrlMixin, models.Model):
    """Safety works installed at a school: traffic signs (面), CCTV points (处), road
    markings (m²), anti-ram barriers (套), one-button alarms (个)."""

    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.PROTECT,
                               related_name="improvements")
    kind = models.CharField(_("kind"), max_length=16, choices=ImprovementKind.choices)
    quantity = models.PositiveIntegerField(_("quantity"))
    date = models.DateField(_("date installed"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_path = "school__station"

    class Meta:
        verbose_name = _("improvement")
        verbose_name_plural = _("improvements")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["kind", "date"], name="improvement_kind_date"),
            models.Index(fields=["school", "date"], name="improvement_school_date"),
            models.Index(fields=["date"], name="improvement_date"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="improvement_quantity_positive",
                                   violation_error_message=_("The quantity is at least 1.")),
            models.CheckConstraint(condition=Q(kind__in=ImprovementKind.values), name="improvement_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.get_kind_display()} {self.quantity}{self.unit}"

    @property
    def unit(self) -> str:
        return IMPROVEMENT_UNITS.get(self.kind, "")


class VenueType(models.TextChoices):
    INTERNET_CAFE = "internet_cafe", _("Internet cafés")
    GAME_HALL = "game_hall", _("Game halls")
    SHOP = "shop", _("Shops and stalls")
    FOOD = "food", _("Food outlets")
    OTHER = "other", _("Other venues")


class JointOperation(DetailUrlMixin, models.Model):
    """A joint operation (联合整治) around schools with partner departments (education, food
    safety, market regulation, city management): police deployed, venues checked (in all
    and by type), hazards found and fixed, unlicensed vendors cleared."""

    unit = models.ForeignKey(Unit, verbose_name=_("organising unit"), on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    departments = models.CharField(_("partner departments"), max_length=300, blank=True)
    police_count = models.PositiveIntegerField(_("police deployed"), default=0)
    venues_checked = models.PositiveIntegerField(_("venues checked"), default=0)
    venues_by_type = models.JSONField(_("venues checked by type"), default=dict, blank=True)
    hazards_found = models.PositiveIntegerField(_("hazards found"), default=0)
    hazards_fixed = models.PositiveIntegerField(_("hazards fixed"), default=0)
    vendors_cleared = models.PositiveIntegerField(_("unlicensed vendors cleared"), default=0)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_path = "unit"

    class Meta:
        verbose_name = _("joint operation")
        verbose_name_plural = _("joint operations")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["unit", "date"], name="jointop_unit_date"),
            models.Index(fields=["date"], name="jointop_date"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(hazards_fixed__lte=F("hazards_found")),
                                   name="jointop_fixed_within_found",
                                   violation_error_message=_("More hazards fixed than found.")),
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.title}"

    def clean(self):
        errors = {}
        by_type = self.venues_by_type or {}
        if not isinstance(by_type, dict):
            errors["venues_by_type"] = _("Give the venues by type as {type: count}.")
        else:
            unknown = sorted(set(by_type) - set(VenueType.values))
            bad = [key for key, value in by_type.items() if not isinstance(value, int) or value < 0]
            if unknown:
                errors["venues_by_type"] = _("Unknown venue types: %(types)s.") % {"types": ", ".join(unknown)}
            elif bad:
                errors["venues_by_type"] = _("Each count of venues is a whole number, 0 or more.")
            elif sum(by_type.values()) > (self.venues_checked or 0):
                errors["venues_by_type"] = _("The venues by type add up to more than the venues checked.")
        if self.hazards_fixed is not None and self.hazards_found is not None and self.hazards_fixed > self.hazards_found:
            errors["hazards_fixed"] = _("More hazards fixed than found.")
        if errors:
            raise ValidationError(errors)
