"""Celery tasks of the base: the outbox's delivery, and its clean-up."""

from celery import shared_task
from django.db import DatabaseError

from core.outbox import DELIVER_BATCH, outbox_deliver, outbox_purge


@shared_task(
    name="core.deliver_outbox", acks_late=True, reject_on_worker_lost=True, ignore_result=True,
    autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=5,
)
def deliver_outbox(limit: int = DELIVER_BATCH) -> dict:
    """Every few seconds (a beat entry): send what the outbox holds. Safe to run twice or
    twice at once: each row is claimed under a lock and marked delivered in that transaction."""
    return outbox_deliver(limit=limit).as_dict()


@shared_task(name="core.purge_outbox", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def purge_outbox() -> int:
    """Daily: forget rows delivered (or given up) more than OUTBOX_KEEP_DAYS ago."""
    return outbox_purge()
