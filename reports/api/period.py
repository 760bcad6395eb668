"""The period every figures endpoint of reports/ reads: `start`, `end` (whole days, both
included; default this month to date, reports.selectors.duty.default_range) and `unit` (one in
the user's scope), parsed by org.api.PeriodQuery."""

from __future__ import annotations

import datetime

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter

from core.validation import require_end_after_start
from org.api import PeriodQuery
from org.models import Unit
from reports.selectors.duty import default_range

PERIOD_PARAMETERS = [
    OpenApiParameter("start", str, description="First day (YYYY-MM-DD); default the first of this month."),
    OpenApiParameter("end", str, description="Last day (YYYY-MM-DD); default today."),
    OpenApiParameter("unit", int, description="A unit in your scope: it and the units below it."),
]


def period_of(request) -> tuple[datetime.date, datetime.date, Unit | None]:
    """(start, end, unit) of the request's query; a 400 naming the field for bad input."""
    query = PeriodQuery(data=request.query_params, context={"request": request})
    query.is_valid(raise_exception=True)
    default_start, default_end = default_range(timezone.localdate())
    start = query.validated_data.get("start", default_start)
    end = query.validated_data.get("end", default_end)
    # One given and the other defaulted can still be out of order: the same 400 naming `end`.
    require_end_after_start(start=start, end=end, end_field="end")
    return start, end, query.validated_data.get("unit")
