"""The reads of the work briefing: the unit it is for, its narrative (HQ's for that unit and
period, else the default), and what it reports (stats/summary's figures, the good deeds
marked for publicity), each through its owner's selector in the user's scope."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from incidents.selectors import publicity_examples
from org.models import Unit, User
from reports.briefing_default import default_narrative
from reports.models import Briefing
from reports.selectors.summary import stats_summary

__all__ = ["EXAMPLES_LIMIT", "BriefingContent", "briefing_content", "briefing_narrative", "briefing_unit"]

# The closing examples: the latest good deeds marked for publicity, at most this many.
EXAMPLES_LIMIT = 10


def briefing_unit(user: User, unit: Unit | None = None) -> Unit | None:
    """The unit a briefing is for: the one asked, else the top of the user's scope (HQ's and
    a supervisor's bureau, a dispatcher's station); None when the user sees no single top
    unit (a superuser over several bureaus), who must choose. One query when not given."""
    if unit is not None:
        return unit
    units = list(Unit.objects.visible_to(user).order_by("pk"))
    ids = {row.pk for row in units}
    roots = [row for row in units if row.parent_id not in ids]
    return roots[0] if len(roots) == 1 else None


def briefing_narrative(*, user: User, unit: Unit, start: datetime.date,
                       end: datetime.date) -> tuple[dict[str, str], Briefing | None]:
    """The narrative HQ saved for this unit and period (and its row), or the default and None."""
    saved = (Briefing.objects.visible_to(user).filter(unit=unit, start=start, end=end)
             .select_related("updated_by").first())
    return (saved.narrative(), saved) if saved is not None else (default_narrative(), None)


@dataclass(frozen=True)
class BriefingContent:
    unit: Unit
    start: datetime.date
    end: datetime.date
    narrative: dict[str, str]
    saved: Briefing | None
    figures: dict
    examples: list


def briefing_content(*, user: User, unit: Unit, start: datetime.date, end: datetime.date) -> BriefingContent:
    """Everything a briefing is made of, for a unit in the user's scope and a period: the
    narrative, stats_summary's figures, and the closing examples. A fixed number of queries."""
    narrative, saved = briefing_narrative(user=user, unit=unit, start=start, end=end)
    return BriefingContent(
        unit=unit, start=start, end=end, narrative=narrative, saved=saved,
        figures=stats_summary(user=user, start=start, end=end, unit=unit),
        examples=publicity_examples(user=user, start=start, end=end, unit=unit, limit=EXAMPLES_LIMIT),
    )
