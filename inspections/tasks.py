"""Celery tasks: thin wrappers over inspections.services, safe to run twice."""

from celery import shared_task

from inspections.services import flag_overdue_hazards as flag_overdue


@shared_task(name="inspections.flag_overdue_hazards", acks_late=True, reject_on_worker_lost=True)
def flag_overdue_hazards() -> int:
    """Daily: flag the hazards past their deadline (each once) and tell the station and HQ."""
    return flag_overdue()
