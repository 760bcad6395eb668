"""Celery tasks of the audit trail: the daily purge of rows older than AUDIT_KEEP_DAYS."""

from celery import shared_task

from audit.services import audit_purge


@shared_task(name="audit.purge", acks_late=True, ignore_result=True)
def purge() -> int:
    """Daily: delete the rows older than AUDIT_KEEP_DAYS (never fewer than 190 days)."""
    return audit_purge()
