"""Celery tasks: thin wrappers over duty.services, safe to run twice. Closing ended shifts
(deciding their attendance) is attendance/tasks.py."""

from __future__ import annotations

import datetime

from celery import shared_task

from duty.services.generation import GENERATE_TASK, shift_generate, shift_generate_upcoming
from duty.services.reminders import remind_upcoming
from duty.tallies import tally_mend
from org.models import Unit, User


@shared_task(name=GENERATE_TASK, bind=True, acks_late=True, reject_on_worker_lost=True)
def generate_shifts(self, *, start: str, end: str, unit_id: int | None = None, user_id: int | None = None) -> dict:
    """Generate one unit's shifts (or all); reports progress for the roster page."""
    unit = Unit.objects.get(pk=unit_id) if unit_id else None
    user = User.objects.get(pk=user_id) if user_id else None

    def progress(stage: str, done: int, total: int) -> None:
        if self.request.id:
            self.update_state(state="PROGRESS", meta={"stage": stage, "done": done, "total": total})

    result = shift_generate(
        start=datetime.date.fromisoformat(start), end=datetime.date.fromisoformat(end),
        unit=unit, user=user, progress=progress,
    )
    return result.as_dict()


@shared_task(name="duty.generate_upcoming", acks_late=True, reject_on_worker_lost=True)
def generate_upcoming(days: int | None = None) -> list[str]:
    """The nightly run: the coming days for every station, one task per station."""
    return shift_generate_upcoming(days=days)


@shared_task(name="duty.send_reminders", acks_late=True, reject_on_worker_lost=True)
def send_reminders() -> int:
    """Every few minutes: remind each assignee shortly before his shift, once."""
    return remind_upcoming()


@shared_task(name="duty.check_tallies", acks_late=True, reject_on_worker_lost=True)
def check_tallies() -> list[str]:
    """Nightly: the kept duty counts of the last days against a fresh count, mended where they
    differ (duty.tallies.tally_mend)."""
    return [day.isoformat() for day in tally_mend()]
