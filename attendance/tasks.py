"""Celery tasks: thin wrappers over attendance.services, safe to run twice."""

from celery import shared_task

from attendance.services import close_ended_shifts as close_ended


# The name is the one the task had in duty: the beat's schedule rows (duty 0006) and
# attendance/registry.py (its name in the back office) call it by it.
@shared_task(name="duty.close_ended_shifts", acks_late=True, reject_on_worker_lost=True)
def close_ended_shifts() -> int:
    """Every few minutes: decide the attendance of shifts that have ended (absences)."""
    return close_ended()
