"""Celery tasks: thin wrappers over duty.services, safe to run twice."""

from __future__ import annotations

import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from huxue.sms import SmsError, get_sms_backend

logger = logging.getLogger(__name__)


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


@shared_task(name="duty.generate_upcoming")
def generate_upcoming(days: int | None = None) -> list[str]:
    """The nightly run: the coming days for every station, one task per station so that
    several workers share the work."""
    from org.models import Unit, UnitKind

    days = days or settings.ROSTER_GENERATE_DAYS_AHEAD
    start = timezone.localdate()
    end = start + datetime.timedelta(days=days - 1)
    ids = []
    for unit_id in Unit.objects.filter(kind__in=[UnitKind.STATION, UnitKind.TEAM]).values_list("pk", flat=True):
        result = generate_shifts.delay(start=start.isoformat(), end=end.isoformat(), unit_id=unit_id)
        ids.append(result.id)
    return ids


@shared_task(name="duty.send_outbound_messages")
def send_outbound_messages(messages: list[dict]) -> int:
    """Email and SMS for in-app notifications already saved. A failed message is logged,
    not retried: retrying the batch would send the others twice, and the in-app
    notification is already there."""
    sms = get_sms_backend()
    sent = 0
    for message in messages:
        if message.get("email"):
            try:
                send_mail(message["title"], message.get("body") or message["title"], None, [message["email"]])
                sent += 1
            except OSError as exc:
                logger.warning("Email to %s failed: %s", message["email"], exc)
        if message.get("phone"):
            try:
                sms.send(message["phone"], message["title"])
                sent += 1
            except SmsError as exc:
                logger.warning("SMS to %s failed: %s", message["phone"], exc)
    return sent


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
