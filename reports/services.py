"""The writes of reports/: the work briefing's narrative, saved per unit and period (HQ edits
it in the browser), and put back to the default."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from org.models import Unit, User
from core.validation import require_end_after_start
from org.scope import require_in_scope
from reports.briefing_default import default_narrative
from reports.models import NARRATIVE_FIELDS, Briefing


@transaction.atomic
def briefing_save(*, user: User, unit: Unit, start: datetime.date, end: datetime.date,
                  **fields: str) -> Briefing:
    """Save the narrative of `unit`'s briefing for the period (created on first save, else
    changed): the fields of NARRATIVE_FIELDS given, the others kept (or the default's, on
    the first save). Refuses a unit outside the user's scope, a period ending before it
    starts, and a placeholder naming no figure, each on its field."""
    require_in_scope(user, unit.pk, field="unit", message=_("This unit is not in your scope."))
    require_end_after_start(start=start, end=end, end_field="end")
    unknown = sorted(set(fields) - set(NARRATIVE_FIELDS))
    if unknown:
        raise ValidationError({name: _("Not a field of the briefing.") for name in unknown})
    briefing = Briefing.objects.select_for_update().filter(unit=unit, start=start, end=end).first()
    if briefing is None:
        briefing = Briefing(unit=unit, start=start, end=end, **default_narrative())
    for name, value in fields.items():
        setattr(briefing, name, (value or "").replace("\r\n", "\n").strip())
    briefing.updated_by = user
    briefing.full_clean()
    briefing.save()
    return briefing


@transaction.atomic
def briefing_reset(*, user: User, unit: Unit, start: datetime.date, end: datetime.date) -> bool:
    """Drop what was saved for the period, so it reads the default again. False when nothing
    was saved."""
    require_in_scope(user, unit.pk, field="unit", message=_("This unit is not in your scope."))
    briefing = Briefing.objects.select_for_update().filter(unit=unit, start=start, end=end).first()
    if briefing is None:
        return False
    briefing.delete()
    return True
