import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import DetailUrlMixin

from org.scope import ScopedQuerySet, ancestor_ids, subtree_ids, unit_tree
from org.privacy import sees_numbers_whole
from org.validators import validate_phone

# Every phone number of the system (units, people, schools' contacts) is checked by this one.
phone_validator = validate_phone


class UnitKind(models.TextChoices):
    BUREAU = "bureau", _("Bureau")
    STATION = "station", _("Police station")
    TEAM = "team", _("Team")
    OFFICE = "office", _("Office")


class Role(models.TextChoices):
    DISPATCHER = "dispatcher", _("Dispatcher")
    OFFICER = "officer", _("Officer")
    SUPERVISOR = "supervisor", _("Supervisor")
    HQ = "hq", _("HQ")
    # The three separated administrators (三权分立, MLPS level 3): the system administrator
    # keeps accounts, units and settings and reads no business data; the security
    # administrator alone grants roles and permissions; the audit administrator reads the
    # audit trail and nothing else. No account may hold two of them (check_accounts).
    ADMIN = "admin", _("Administrator")
    SECURITY = "security", _("Security administrator")
    AUDITOR = "auditor", _("Audit administrator")


# The administrator roles no account may combine (check_accounts).
ADMINISTRATOR_ROLES = (Role.ADMIN, Role.SECURITY, Role.AUDITOR)


class PersonKind(models.TextChoices):
    POLICE = "police", _("Police officer")
    AUXILIARY = "auxiliary", _("Auxiliary officer")
    SCHOOL_SECURITY = "school_security", _("School security officer")
    GUARD = "guard", _("Security guard")
    STAFF = "staff", _("School staff")
    VOLUNTEER = "volunteer", _("Volunteer")


# The report's standard staffing of one post, "1+1+1+2+2+4", in PersonKind order.
STANDARD_STAFFING = {
    PersonKind.POLICE: 1,
    PersonKind.AUXILIARY: 1,
    PersonKind.SCHOOL_SECURITY: 1,
    PersonKind.GUARD: 2,
    PersonKind.STAFF: 2,
    PersonKind.VOLUNTEER: 4,
}


class UnitQuerySet(ScopedQuerySet):
    def subtree_ids(self, unit_id: int) -> frozenset[int]:
        """A unit and every unit below it."""
        parents, _kinds = unit_tree(self.model)
        return subtree_ids(unit_id, parents)

    def ancestor_ids(self, unit_id: int) -> frozenset[int]:
        """The units above a unit (not the unit itself)."""
        parents, _kinds = unit_tree(self.model)
        return ancestor_ids(unit_id, parents)


class Unit(DetailUrlMixin, models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.CharField(_("code"), max_length=32, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True, validators=[phone_validator])
    history = HistoricalRecords()

    objects = UnitQuerySet.as_manager()
    scope_path = None

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="unit_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def subtree_ids(self) -> frozenset[int]:
        """This unit and every unit below it, read once for this instance: the selectors of
        one request (the figures, the dashboard) share the unit they were given, and with it
        one read of the tree."""
        cached = self.__dict__.get("_subtree_ids")
        if cached is None:
            cached = self.__dict__["_subtree_ids"] = Unit.objects.subtree_ids(self.pk)
        return cached

    def clean(self):
        if self.kind == UnitKind.BUREAU and self.parent and self.parent.kind != UnitKind.BUREAU:
            raise ValidationError({"parent": _("A bureau can only sit under another bureau.")})
        if self.kind != UnitKind.BUREAU and self.parent is None:
            raise ValidationError({"parent": _("Only a bureau can be a top-level unit.")})
        node, depth = self.parent, 0
        while node is not None and depth < 50:
            if self.pk and node.pk == self.pk:
                raise ValidationError({"parent": _("A unit cannot sit below itself.")})
            node, depth = node.parent, depth + 1


class UserQuerySet(ScopedQuerySet):
    pass


class HuxueUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A login account: one unit, one role. The role is also the user's only Django group,
    which carries the permissions (created by a migration)."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="users",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, blank=True)

    objects = HuxueUserManager()
    scope_path = "unit"

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        permissions = [
            # The security administrator's alone: a user's role, groups and permissions.
            ("change_user_role", _("Can change a user's role and permissions")),
        ]

    def __str__(self) -> str:
        full = self.get_full_name()
        return f"{full} ({self.username})" if full else self.username

    def get_full_name(self) -> str:
        # Chinese names: family name first, no space.
        return f"{self.last_name}{self.first_name}".strip()


class ApiTokenQuerySet(models.QuerySet):
    def live(self, now: datetime.datetime | None = None):
        """Tokens neither idle past API_TOKEN_IDLE nor older than API_TOKEN_MAX_AGE."""
        now = now or timezone.now()
        return self.filter(
            last_used_at__gt=now - settings.API_TOKEN_IDLE, created_at__gt=now - settings.API_TOKEN_MAX_AGE
        )

    def expired(self, now: datetime.datetime | None = None):
        now = now or timezone.now()
        return self.filter(
            Q(last_used_at__lte=now - settings.API_TOKEN_IDLE) | Q(created_at__lte=now - settings.API_TOKEN_MAX_AGE)
        )


class ApiToken(models.Model):
    """A key to the API, one per device, named by its owner. Only the key's SHA-256 digest is
    kept: the key itself is shown once, when issued (org/tokens.py). A token ends
    API_TOKEN_IDLE after its last use or API_TOKEN_MAX_AGE after it was issued, whichever
    comes first; a password change, a lockout or a change of role or groups revokes it."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("issued at"), default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(_("last used at"), default=timezone.now, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user.get_username()}: {self.name or self.pk}"

    @property
    def expires_at(self) -> datetime.datetime:
        return min(self.last_used_at + settings.API_TOKEN_IDLE, self.created_at + settings.API_TOKEN_MAX_AGE)


class PersonQuerySet(ScopedQuerySet):
    def active(self):
        return self.filter(active=True)


class Person(DetailUrlMixin, models.Model):
    """Someone who can stand a post: police, auxiliaries, school security, guards, staff,
    volunteers. `unit` is the unit that manages the person (for school people, the school's
    station), and is what scope is decided by."""

    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=16, choices=PersonKind.choices)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="people"
    )
    school = models.ForeignKey(
        "posts.School", verbose_name=_("school"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="people",
    )
    user = models.OneToOneField(
        User, verbose_name=_("login account"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="person",
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True, validators=[phone_validator])
    badge_no = models.CharField(_("badge number"), max_length=32, blank=True)
    certificate_no = models.CharField(_("certificate number"), max_length=64, blank=True)
    hire_date = models.DateField(_("hire date"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    dismissed_reason = models.CharField(_("dismissal reason"), max_length=200, blank=True)
    dismissed_on = models.DateField(_("dismissed on"), null=True, blank=True)
    history = HistoricalRecords()

    objects = PersonQuerySet.as_manager()
    scope_path = "unit"

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["unit_id", "kind", "name"]
        indexes = [
            models.Index(fields=["unit", "kind", "active"]),
            models.Index(fields=["school", "kind"]),
            models.Index(fields=["hire_date"]),
            models.Index(fields=["name"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["badge_no"], condition=~Q(badge_no=""), name="person_badge_no_unique",
                violation_error_message=_("Another person already has this badge number."),
            ),
            models.CheckConstraint(
                condition=Q(active=True) | (~Q(dismissed_reason="") & Q(dismissed_on__isnull=False)),
                name="person_dismissal_has_reason_and_date",
                violation_error_message=_("A dismissed person needs a reason and a date."),
            ),
        ]

    def reveals_numbers_to(self, user) -> bool:
        """Whether `user` sees this person's phone, badge and certificate numbers whole
        (org/privacy.py); the pages, exports and API mask them otherwise."""
        return sees_numbers_whole(user, self)

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"

    def clean(self):
        errors = {}
        if self.kind in (PersonKind.POLICE, PersonKind.AUXILIARY) and not self.badge_no:
            errors["badge_no"] = _("Police and auxiliary officers need a badge number.")
        if self.kind == PersonKind.GUARD:
            if not self.certificate_no:
                errors["certificate_no"] = _("A security guard needs a certificate number.")
            if not self.hire_date:
                errors["hire_date"] = _("A security guard needs a hire date.")
        if self.kind in (PersonKind.SCHOOL_SECURITY, PersonKind.GUARD, PersonKind.STAFF) and not self.school_id:
            errors["school"] = _("School security, guards and staff belong to a school.")
        if not self.active:
            if not self.dismissed_reason:
                errors["dismissed_reason"] = _("Give the reason for the dismissal.")
            if not self.dismissed_on:
                errors["dismissed_on"] = _("Give the date of the dismissal.")
        if self.school_id and self.unit_id and self.school.station_id != self.unit_id:
            errors["unit"] = _("A school's people are managed by the school's police station.")
        if errors:
            raise ValidationError(errors)
