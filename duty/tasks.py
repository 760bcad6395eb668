"""Celery tasks: thin wrappers over duty.services, safe to run twice."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.outbox import outbox_enqueue_task


@shared_task(name="duty.generate_shifts", bind=True, acks_late=True)
def generate_shifts(self, *, start: str, end: str, unit_id: int | None = None, user_id: int | None = None) -> dict:
    """Generate one unit's shifts (or all); reports progress for the roster page."""
    from duty.services.generation import shift_generate
    from org.models import Unit, User

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


def generate_shifts_later(*, start: datetime.date, end: datetime.date, unit_id: int | None = None,
                          user_id: int | None = None) -> str:
    """Queue one `duty.generate_shifts` run through the outbox (in the caller's transaction)
    and return the id it will run under, for the roster page to poll."""
    row = outbox_enqueue_task(name=generate_shifts.name, kwargs={
        "start": start.isoformat(), "end": end.isoformat(), "unit_id": unit_id, "user_id": user_id,
    })
    return str(row.task_id)


@shared_task(name="duty.generate_upcoming", acks_late=True)
def generate_upcoming(days: int | None = None) -> list[str]:
    """The nightly run: the coming days for every station, one task per station (queued
    through the outbox) so that several workers share the work."""
    from org.models import Unit, UnitKind

    days = days or settings.ROSTER_GENERATE_DAYS_AHEAD
    start = timezone.localdate()
    end = start + datetime.timedelta(days=days - 1)
    with transaction.atomic():
        return [
            generate_shifts_later(start=start, end=end, unit_id=unit_id)
            for unit_id in Unit.objects.filter(kind__in=[UnitKind.STATION, UnitKind.TEAM]).values_list("pk", flat=True)
        ]


@shared_task(name="duty.close_ended_shifts", acks_late=True)
def close_ended_shifts() -> int:
    """Every few minutes: decide the attendance of shifts that have ended (absences)."""
    from duty.services.attendance import close_ended_shifts as close

    return close()


@shared_task(name="duty.send_reminders", acks_late=True)
def send_reminders() -> int:
    """Every few minutes: remind each assignee shortly before his shift, once."""
    from duty.services.reminders import remind_upcoming

    return remind_upcoming()
