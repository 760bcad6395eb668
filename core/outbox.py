"""The transactional outbox: write side effects now, deliver them after the commit.

A service that saves a change and must tell the outside world (an email, a text message, a
Celery task) calls `outbox_enqueue_message` or `outbox_enqueue_task` inside its own
transaction. Those only INSERT rows: if the change rolls back, so do they, and the request
never talks to the broker or a gateway. `outbox_deliver` (run every few seconds by the
`core.deliver_outbox` task) claims the due rows one at a time, performs each, and marks it
delivered in the transaction that claimed it; a failure is recorded on the row and tried
again later, with a growing pause, up to OUTBOX_MAX_ATTEMPTS times.

Exactly once: a claimed row is locked (`SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL;
SQLite's IMMEDIATE transactions serialise the deliverers), so two runs at once never send the
same row, and a delivered row is never picked again. Only a crash between the send and the
commit can send a row twice; tasks are idempotent for that reason.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from celery import current_app
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import OutboxKind, OutboxMessage
from core.sms import get_sms_backend

logger = logging.getLogger(__name__)

RETRY_FIRST_SECONDS = 10  # the pause after the first failure; it doubles after each one
RETRY_MAX_SECONDS = 3600
DELIVER_BATCH = 500  # rows per run at most; the next run takes the rest


def max_attempts() -> int:
    return settings.OUTBOX_MAX_ATTEMPTS


def retry_delay(attempts: int) -> datetime.timedelta:
    """The pause before the next try of a row that has failed `attempts` times."""
    return datetime.timedelta(seconds=min(RETRY_FIRST_SECONDS * 2 ** max(attempts - 1, 0), RETRY_MAX_SECONDS))


# --- writing -------------------------------------------------------------------------------------


def outbox_enqueue_message(*, kind: str, payload: dict) -> OutboxMessage:
    """Queue one email (`{"to", "subject", "body"}`) or text message (`{"phone", "text"}`).
    Call it inside the transaction that saves the change the message is about."""
    (row,) = outbox_enqueue_messages(messages=[(kind, payload)])
    return row


def outbox_enqueue_messages(*, messages: Iterable[tuple[str, dict]]) -> list[OutboxMessage]:
    """Queue several emails and text messages in one INSERT; each is validated first (a
    ValidationError names `kind` or `payload`)."""
    rows = []
    for kind, payload in messages:
        if kind == OutboxKind.TASK:
            raise ValidationError({"kind": _("Queue a task with outbox_enqueue_task, not as a message.")})
        row = OutboxMessage(kind=kind, payload=payload)
        row.full_clean()
        rows.append(row)
    with transaction.atomic():
        return OutboxMessage.objects.bulk_create(rows)


def outbox_enqueue_task(*, name: str, kwargs: dict | None = None) -> OutboxMessage:
    """Queue the Celery task `name` with `kwargs`; the row's `task_id` (chosen now) is the id
    the task will run under, so a page can poll it at once. Call it inside the caller's
    transaction; the broker is only reached by the delivery."""
    row = OutboxMessage(kind=OutboxKind.TASK, task_name=name, task_kwargs=kwargs or {}, task_id=uuid.uuid4())
    row.full_clean()
    with transaction.atomic():
        row.save(force_insert=True)
    return row


# --- reading -------------------------------------------------------------------------------------


def outbox_task(*, task_id: str, name: str | None = None) -> OutboxMessage | None:
    """The queued or dispatched task row with this id (of task `name`, if given), or None for
    an id the outbox never held (or one that is not a UUID)."""
    try:
        key = uuid.UUID(str(task_id))
    except ValueError:
        return None
    rows = OutboxMessage.objects.filter(kind=OutboxKind.TASK, task_id=key)
    if name is not None:
        rows = rows.filter(task_name=name)
    return rows.first()


# --- delivering ----------------------------------------------------------------------------------


@dataclass
class DeliveryResult:
    delivered: int = 0
    failed: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


class _Sender:
    """Performs one row. The SMS backend is made once per run, when first needed."""

    def __init__(self):
        self._sms = None

    def send(self, row: OutboxMessage) -> None:
        if row.kind == OutboxKind.EMAIL:
            payload = row.payload
            send_mail(payload["subject"], payload.get("body") or payload["subject"], None, [payload["to"]])
        elif row.kind == OutboxKind.SMS:
            if self._sms is None:
                self._sms = get_sms_backend()
            self._sms.send(row.payload["phone"], row.payload["text"])
        elif row.kind == OutboxKind.TASK:
            _dispatch_task(row)
        else:
            raise ValueError(f"unknown outbox kind {row.kind!r}")


def _dispatch_task(row: OutboxMessage) -> None:
    app = current_app
    task_id = str(row.task_id)
    if app.conf.task_always_eager:
        # Eager mode has no broker at all: run the task here, under its chosen id (after
        # loading every app's tasks, as a worker does at start).
        app.loader.import_default_modules()
        app.tasks[row.task_name].apply_async(kwargs=row.task_kwargs, task_id=task_id)
        return
    app.send_task(row.task_name, kwargs=row.task_kwargs, task_id=task_id)


def outbox_deliver(*, limit: int = DELIVER_BATCH) -> DeliveryResult:
    """Deliver the due rows, each in its own transaction: claim it (locked, skipping rows
    another run holds), perform it, mark it delivered, or record the failure and when to try
    again. After a task fails to reach the broker, the other tasks wait for the next run
    (the broker is down for them too); emails and text messages still go."""
    result = DeliveryResult()
    sender = _Sender()
    held_back: set[str] = set()
    ceiling = max_attempts()
    for _turn in range(limit):
        with transaction.atomic():
            row = (
                OutboxMessage.objects.pending(now=timezone.now(), max_attempts=ceiling)
                .exclude(kind__in=held_back)
                .order_by("next_attempt_at", "pk")
                .select_for_update(skip_locked=True)
                .first()
            )
            if row is None:
                break
            row.attempts += 1
            try:
                # A savepoint: a task run here (eager mode) that breaks its own transaction
                # must not take the claim with it.
                with transaction.atomic():
                    sender.send(row)
            except Exception as exc:  # noqa: BLE001 - any failure is recorded and retried
                row.last_error = f"{exc.__class__.__name__}: {exc}"[:2000]
                row.next_attempt_at = timezone.now() + retry_delay(row.attempts)
                row.save(update_fields=["attempts", "last_error", "next_attempt_at"])
                result.failed += 1
                log = logger.error if row.attempts >= ceiling else logger.warning
                log("Outbox %s #%s failed (attempt %s of %s): %s", row.kind, row.pk, row.attempts, ceiling,
                    row.last_error)
                if row.kind == OutboxKind.TASK:
                    held_back.add(OutboxKind.TASK)
            else:
                row.delivered_at = timezone.now()
                row.save(update_fields=["attempts", "delivered_at"])
                result.delivered += 1
    return result


def outbox_retry(*, ids: Iterable[int]) -> int:
    """Give undelivered rows (given up, or waiting) a fresh series of attempts, due now."""
    return OutboxMessage.objects.filter(pk__in=list(ids), delivered_at__isnull=True).update(
        attempts=0, next_attempt_at=timezone.now()
    )


def outbox_purge(*, keep_days: int | None = None) -> int:
    """Delete rows delivered more than `keep_days` (OUTBOX_KEEP_DAYS) ago, and rows given up
    that long ago. A task's row outlives its result (CELERY_RESULT_EXPIRES), so its status
    stays answerable while the result exists."""
    cutoff = timezone.now() - datetime.timedelta(days=keep_days if keep_days is not None else settings.OUTBOX_KEEP_DAYS)
    delivered = OutboxMessage.objects.filter(delivered_at__lt=cutoff)
    given_up = OutboxMessage.objects.filter(delivered_at__isnull=True, attempts__gte=max_attempts(),
                                            next_attempt_at__lt=cutoff)
    return delivered.delete()[0] + given_up.delete()[0]
