"""Reminding people shortly before their shift, once each."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duty.models import Assignment, ShiftStatus
from duty.services.notifications import shift_text, notify_people


@transaction.atomic
def remind_upcoming(*, now: datetime.datetime | None = None) -> int:
    """Notify everyone whose published shift starts within REMIND_BEFORE_MINUTES and who has
    not been reminded yet; `reminded_at` makes a second run send nothing."""
    now = now or timezone.now()
    horizon = now + datetime.timedelta(minutes=settings.REMIND_BEFORE_MINUTES)
    rows = list(
        Assignment.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(active=True, reminded_at__isnull=True, checked_in_at__isnull=True,
                starts_at__gt=now, starts_at__lte=horizon,
                shift__published=True, shift__status=ShiftStatus.SCHEDULED)
        .select_related("shift__post__school")
    )
    if not rows:
        return 0
    items = [
        (a.person_id, _("Reminder: your shift %(shift)s") % {"shift": shift_text(a.shift)}, "", a.shift_id)
        for a in rows
    ]
    notify_people(items=items)
    Assignment.objects.filter(pk__in=[a.pk for a in rows]).update(reminded_at=now)
    return len(rows)
