"""The audit trail: one table, written by `audit.services.audit_record` only, never changed and
never deleted by the application (the purge of rows older than AUDIT_KEEP_DAYS excepted).

Each row carries a hash over the previous row's hash and its own content, so a row changed or
removed behind the application's back breaks the chain (`manage.py audit_verify`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    LOGIN = "login", _("Login")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOGOUT = "logout", _("Logout")
    LOCKOUT = "lockout", _("Lockout")
    UNLOCK = "unlock", _("Unlock")
    ROLE_CHANGE = "role_change", _("Role change")
    PERMISSION_CHANGE = "permission_change", _("Permission change")
    TOKEN_MINT = "token_mint", _("Token issued")
    TOKEN_REVOKE = "token_revoke", _("Token revoked")
    OTP_ENROL = "otp_enrol", _("Two-factor enrolment")
    OTP_RESET = "otp_reset", _("Two-factor reset")
    CREATE = "create", _("Create")
    CHANGE = "change", _("Change")
    DELETE = "delete", _("Delete")
    EXPORT = "export", _("Export")
    PRINT = "print", _("Print")
    REFUSED = "refused", _("Refused access")
    READ_PERSONAL = "read_personal", _("Personal data read")
    # The key-person register (keypersons/): each read of it is a row of its own, with the ids
    # it showed and the purpose where one was given.
    LIST = "list", _("List read")
    VIEW = "view", _("Record read")
    REVEAL = "reveal", _("Revealed")
    ARCHIVE = "archive", _("Archived")


class AuditResult(models.TextChoices):
    OK = "ok", _("Succeeded")
    REFUSED = "refused", _("Refused")
    FAILED = "failed", _("Failed")


class AuditTrailImmutable(Exception):
    """Raised on any attempt to change or delete an audit row through the application."""


class AuditEventQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The trail is read whole, by whoever holds audit.view_auditevent (core/scope.py)."""
        return self.all()

    def update(self, **kwargs):
        raise AuditTrailImmutable("audit rows cannot be changed")

    def delete(self):
        raise AuditTrailImmutable("audit rows cannot be deleted")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AuditTrailImmutable("audit rows cannot be changed")

    def bulk_create(self, objs, *args, **kwargs):
        raise AuditTrailImmutable("audit rows are written one by one by audit_record")

    def update_or_create(self, *args, **kwargs):
        raise AuditTrailImmutable("audit rows cannot be changed")

    def _purge(self) -> int:
        """The one deliberate deletion path, used by `audit.services.audit_purge` only."""
        deleted, _ = models.QuerySet.delete(self)
        return deleted


USER_AGENT_MAX = 256
OBJECT_TEXT_MAX = 200


class AuditEvent(models.Model):
    seq = models.PositiveBigIntegerField(_("sequence"), unique=True, editable=False)
    time = models.DateTimeField(_("time"), default=timezone.now, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True,
        # The row outlives the account: no database constraint and nothing done on a delete
        # (setting it to NULL would change the row); `username` keeps who it was.
        on_delete=models.DO_NOTHING, related_name="+", db_constraint=False,
    )
    username = models.CharField(_("username"), max_length=150, blank=True)
    unit_id = models.BigIntegerField(_("unit id"), null=True, blank=True)
    unit_name = models.CharField(_("unit"), max_length=200, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=USER_AGENT_MAX, blank=True)
    action = models.CharField(_("action"), max_length=32, choices=AuditAction.choices)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_text = models.CharField(_("object"), max_length=OBJECT_TEXT_MAX, blank=True)
    result = models.CharField(_("result"), max_length=16, choices=AuditResult.choices, default=AuditResult.OK)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    algorithm = models.CharField(_("hash algorithm"), max_length=16, editable=False)
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True, editable=False)
    hash = models.CharField(_("hash"), max_length=64, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-seq"]
        indexes = [
            models.Index(fields=["time"], name="audit_time"),
            models.Index(fields=["user", "time"], name="audit_user_time"),
            models.Index(fields=["username", "time"], name="audit_username_time"),
            models.Index(fields=["action", "time"], name="audit_action_time"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
            models.Index(fields=["result", "time"], name="audit_result_time"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {timezone.localtime(self.time):%Y-%m-%d %H:%M:%S} {self.username} {self.action}"

    def get_absolute_url(self) -> str:
        return reverse("audit:auditevent_detail", args=[self.pk])

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditTrailImmutable("audit rows cannot be changed")
        if not getattr(self, "_sealed", False):
            raise AuditTrailImmutable("audit rows are written by audit_record only")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditTrailImmutable("audit rows cannot be deleted")
