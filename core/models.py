"""Model bases every app shares (DetailUrlMixin), and the outbox: side effects of a saved change (an email, a text message, a Celery task),
written as rows in the same transaction as the change and delivered afterwards by
`core.deliver_outbox`. A broker or gateway outage delays them; it loses nothing, and it never
fails the request that saved the change."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DetailUrlMixin:
    """`get_absolute_url()` for models whose pages are named `<app>:<model>_detail`."""

    def get_absolute_url(self) -> str:
        opts = self._meta
        return reverse(f"{opts.app_label}:{opts.model_name}_detail", args=[self.pk])


class OutboxKind(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message")
    TASK = "task", _("Background task")


# What each kind's payload must hold (a task's name and arguments have their own columns).
PAYLOAD_KEYS = {
    OutboxKind.EMAIL: ("to", "subject"),
    OutboxKind.SMS: ("phone", "text"),
    OutboxKind.TASK: (),
}


class OutboxMessageQuerySet(models.QuerySet):
    def pending(self, *, now=None, max_attempts: int | None = None):
        """Rows due for a delivery attempt: not delivered, due now, not given up."""
        rows = self.filter(delivered_at__isnull=True, next_attempt_at__lte=now or timezone.now())
        if max_attempts is not None:
            rows = rows.filter(attempts__lt=max_attempts)
        return rows


class OutboxMessage(models.Model):
    kind = models.CharField(_("kind"), max_length=8, choices=OutboxKind.choices)
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    task_name = models.CharField(_("task"), max_length=200, blank=True)
    task_kwargs = models.JSONField(_("task arguments"), default=dict, blank=True)
    # Chosen when the row is written, so a page can poll the task before it has been sent.
    task_id = models.UUIDField(_("task id"), null=True, blank=True, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    objects = OutboxMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The delivery query: undelivered rows, oldest due first.
            models.Index(fields=["next_attempt_at", "id"], condition=Q(delivered_at__isnull=True),
                         name="core_outbox_due"),
            # The clean-up of delivered rows.
            models.Index(fields=["delivered_at"], condition=Q(delivered_at__isnull=False),
                         name="core_outbox_delivered"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=OutboxKind.TASK) | (~Q(task_name="") & Q(task_id__isnull=False)),
                name="core_outbox_task_named",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == OutboxKind.TASK:
            return f"{self.get_kind_display()} {self.task_name} ({self.task_id})"
        target = self.payload.get("to") or self.payload.get("phone") or ""
        return f"{self.get_kind_display()} → {target}"

    def clean(self):
        if self.kind == OutboxKind.TASK:
            if not self.task_name:
                raise ValidationError({"task_name": _("Name the task.")})
            try:
                json.dumps(self.task_kwargs)
            except (TypeError, ValueError):
                raise ValidationError({"task_kwargs": _("Task arguments must be plain JSON values.")}) from None
            return
        if not isinstance(self.payload, dict):
            raise ValidationError({"payload": _("The payload must be an object.")})
        missing = [key for key in PAYLOAD_KEYS.get(self.kind, ()) if not self.payload.get(key)]
        if missing:
            raise ValidationError({"payload": _("Missing: %(keys)s.") % {"keys": ", ".join(missing)}})
