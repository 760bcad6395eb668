"""The key-person register near schools (校园周边重点人员): who, why, where, who answers for him,
who co-manages him, how he is, and his follow-ups.

The most sensitive data of the system (health and criminal records of real people, PIPL
Art. 28): the ID number, phone, address and its location, the basis of registration, the
notes, what a follow-up saw and how to reach a co-managing party are kept only encrypted
(`*_cipher` columns, keypersons/crypto.py); the ID number is found by its keyed hash. The
birth date and sex are plain (read from the number: the figures count by them), and the masked
number is not stored: with the birth date it would give the whole number back. Rows are
never deleted, they are archived with a reason."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.masking import mask_number
from core.models import DetailUrlMixin
from incidents.models import Incident, IncidentKind
from keypersons import crypto, idnumber
from org.models import Person, Unit
from org.scope import ScopedQuerySet
from posts.models import School


class Category(models.TextChoices):
    MENTAL_DISORDER = "mental_disorder", _("Severe mental disorder with violent tendencies")
    PETITIONER = "petitioner", _("Key petitioner")
    DRUG_USER = "drug_user", _("Drug user")
    GRIEVANCE = "grievance", _("Grievance against society")
    SCHOOL_OFFENCE = "school_offence", _("Once punished for a school-related offence")


class Risk(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class Status(models.TextChoices):
    STABLE = "stable", _("Stable and in place")
    AWAY = "away", _("Away")
    LOST = "lost", _("Lost contact")


class Sex(models.TextChoices):
    MALE = "m", _("Male")
    FEMALE = "f", _("Female")


class CoManagerKind(models.TextChoices):
    HEALTH = "health", _("Health")
    CIVIL_AFFAIRS = "civil_affairs", _("Civil affairs")
    COMMUNITY = "community", _("Community")
    FAMILY = "family", _("Family")


class FollowUpMethod(models.TextChoices):
    VISIT = "visit", _("Home visit")
    CALL = "call", _("Phone call")
    VIDEO = "video", _("Video call")
    COMMUNITY = "community", _("Through the community")


# The columns kept encrypted, and the name each is bound to (crypto's associated data).
KEYPERSON_SECRETS = ("id_number", "phone", "address", "location", "basis", "notes")


class KeyPersonQuerySet(ScopedQuerySet):
    def on_register(self):
        """Not archived."""
        return self.filter(archived_at__isnull=True)

    def registered_by(self, day: datetime.date):
        """On the register by the end of `day` (registered that day or before)."""
        return self.filter(registered_on__lte=day)

    def not_archived_before(self, day: datetime.date):
        """Not archived before `day` began: still on the register, or archived during or after it."""
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
        return self.filter(Q(archived_at__isnull=True) | Q(archived_at__gte=moment))

    def overdue(self, *, today: datetime.date | None = None):
        """On the register with a follow-up due before today: the one place this rule is
        written (the list's flag and filter, the task's alerts, the figures)."""
        return self.on_register().filter(follow_up_due__lt=today or timezone.localdate())

    def with_id_number(self, number: str):
        """Found by the keyed hash of the normalised number, never by decrypting."""
        return self.filter(id_number_hash=crypto.lookup_hash(idnumber.normalise(number)))


class SecretsMixin:
    """Reading the encrypted columns: `obj.secret("phone")` decrypts on demand (once)."""

    def secret(self, name: str) -> str:
        cache = self.__dict__.setdefault("_plain", {})
        if name not in cache:
            cache[name] = crypto.decrypt(getattr(self, f"{name}_cipher"), field=f"{self._meta.model_name}.{name}")
        return cache[name]

    def set_secret(self, name: str, value: str) -> None:
        setattr(self, f"{name}_cipher", crypto.encrypt(value or "", field=f"{self._meta.model_name}.{name}"))
        self.__dict__.setdefault("_plain", {})[name] = value or ""


class KeyPerson(SecretsMixin, DetailUrlMixin, models.Model):
    name = models.CharField(_("name"), max_length=50)
    id_number_cipher = models.TextField(_("ID number (encrypted)"))
    id_number_hash = models.CharField(_("ID number lookup hash"), max_length=64, editable=False)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"))
    phone_cipher = models.TextField(_("phone (encrypted)"), blank=True)
    address_cipher = models.TextField(_("address (encrypted)"))
    # "lat,lng" of the address: as revealing as the address itself, so encrypted too.
    location_cipher = models.TextField(_("location (encrypted)"), blank=True)
    basis_cipher = models.TextField(_("basis of registration (encrypted)"))
    notes_cipher = models.TextField(_("notes (encrypted)"), blank=True)
    risk = models.CharField(_("risk level"), max_length=6, choices=Risk.choices, default=Risk.MEDIUM)
    station = models.ForeignKey(Unit, verbose_name=_("police station"), on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(Person, verbose_name=_("responsible officer"), on_delete=models.PROTECT,
                                related_name="key_persons")
    schools = models.ManyToManyField(School, verbose_name=_("schools nearby"), blank=True, related_name="+")
    # The disputes at the gates this person was involved in (incidents/ never learns of him).
    disputes = models.ManyToManyField(Incident, verbose_name=_("disputes involved in"), blank=True,
                                      related_name="+", limit_choices_to={"kind": IncidentKind.DISPUTE})
    status = models.CharField(_("status"), max_length=6, choices=Status.choices, default=Status.STABLE)
    away_place = models.CharField(_("away to"), max_length=100, blank=True)
    away_until = models.DateField(_("away until"), null=True, blank=True)
    registered_on = models.DateField(_("registered on"), default=timezone.localdate)
    last_follow_up_on = models.DateField(_("last follow-up"), null=True, blank=True)
    follow_up_due = models.DateField(_("next follow-up due"))
    # The due date an overdue alert was last sent for: one alert per overdue period.
    overdue_alerted_for = models.DateField(_("overdue alert sent for"), null=True, blank=True, editable=False)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    archived_reason = models.CharField(_("reason for archiving"), max_length=200, blank=True)
    archived_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("archived by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("registered by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = KeyPersonQuerySet.as_manager()
    scope_path = "station"

    class Meta:
        verbose_name = _("key person")
        verbose_name_plural = _("key persons")
        ordering = ["station_id", "name", "pk"]
        permissions = [("reveal_keyperson", _("Can reveal a key person's ID number and contacts"))]
        indexes = [
            models.Index(fields=["station", "name"], name="keyperson_station_name"),
            models.Index(fields=["risk"], name="keyperson_risk"),
            models.Index(fields=["status"], name="keyperson_status"),
            models.Index(fields=["follow_up_due"], condition=Q(archived_at__isnull=True), name="keyperson_due"),
            models.Index(fields=["registered_on"], name="keyperson_registered"),
            models.Index(fields=["archived_at"], name="keyperson_archived"),
            models.Index(fields=["officer"], name="keyperson_officer"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["id_number_hash"], name="keyperson_one_per_id_number",
                                    violation_error_message=_("This person is already on the register.")),
            models.CheckConstraint(condition=Q(risk__in=Risk.values), name="keyperson_risk_valid"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="keyperson_status_valid"),
            models.CheckConstraint(
                condition=~Q(status="away") | (~Q(away_place="") & Q(away_until__isnull=False)),
                name="keyperson_away_says_where_and_until",
                violation_error_message=_("Say where he has gone and until when."),
            ),
            models.CheckConstraint(
                condition=Q(archived_at__isnull=True) | ~Q(archived_reason=""),
                name="keyperson_archived_with_reason",
                violation_error_message=_("Give the reason for archiving."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def masked_id_number(self) -> str:
        return idnumber.mask(self.secret("id_number"))

    @property
    def masked_phone(self) -> str:
        return mask_number(self.secret("phone"))

    @property
    def category_values(self) -> list[str]:
        """The categories, in Category order (prefetch `category_rows` for a list)."""
        found = {row.category for row in self.category_rows.all()}
        return [value for value in Category.values if value in found]

    @property
    def categories_display(self) -> str:
        return "、".join(str(Category(value).label) for value in self.category_values)

    def age_on(self, day: datetime.date) -> int:
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return not self.is_archived and self.follow_up_due < (today or timezone.localdate())


class KeyPersonCategory(models.Model):
    """One of a person's categories (several may apply)."""

    key_person = models.ForeignKey(KeyPerson, on_delete=models.CASCADE, related_name="category_rows")
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)

    class Meta:
        verbose_name = _("key person's category")
        verbose_name_plural = _("key persons' categories")
        indexes = [models.Index(fields=["category"], name="keyperson_category")]
        constraints = [
            models.UniqueConstraint(fields=["key_person", "category"], name="keyperson_category_once"),
            models.CheckConstraint(condition=Q(category__in=Category.values), name="keyperson_category_valid"),
        ]

    def __str__(self) -> str:
        return self.get_category_display()


class CoManager(SecretsMixin, models.Model):
    """A party co-managing the person: health, civil affairs, the community, the family; who,
    and how to reach them (encrypted: a relative's phone is personal information too)."""

    key_person = models.ForeignKey(KeyPerson, on_delete=models.CASCADE, related_name="co_managers")
    kind = models.CharField(_("party"), max_length=14, choices=CoManagerKind.choices)
    name = models.CharField(_("who"), max_length=100)
    contact_cipher = models.TextField(_("how to reach them (encrypted)"), blank=True)

    class Meta:
        verbose_name = _("co-managing party")
        verbose_name_plural = _("co-managing parties")
        ordering = ["key_person_id", "kind", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=CoManagerKind.values), name="keyperson_comanager_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"


class FollowUp(SecretsMixin, DetailUrlMixin, models.Model):
    """A visit or a call: when, by whom, how, what was seen (encrypted) and how he was after.
    `due_on` is the date it was due, so whether it came on time stays true after the risk
    level changes."""

    key_person = models.ForeignKey(KeyPerson, verbose_name=_("key person"), on_delete=models.CASCADE,
                                   related_name="follow_ups")
    date = models.DateField(_("date"))
    officer = models.ForeignKey(Person, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="+")
    method = models.CharField(_("method"), max_length=10, choices=FollowUpMethod.choices)
    observed_cipher = models.TextField(_("what was seen (encrypted)"))
    status_after = models.CharField(_("status after"), max_length=6, choices=Status.choices)
    due_on = models.DateField(_("was due on"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "key_person__station"

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["key_person_id", "-date", "-pk"]
        indexes = [
            models.Index(fields=["key_person", "date"], name="keyperson_followup_person"),
            models.Index(fields=["date"], name="keyperson_followup_date"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status_after__in=Status.values), name="keyperson_followup_status"),
            models.CheckConstraint(condition=Q(method__in=FollowUpMethod.values), name="keyperson_followup_method"),
        ]

    def __str__(self) -> str:
        return f"{self.key_person} {self.date:%Y-%m-%d} {self.get_method_display()}"

    def get_absolute_url(self) -> str:
        return self.key_person.get_absolute_url()

    @property
    def on_time(self) -> bool:
        return self.date <= self.due_on
