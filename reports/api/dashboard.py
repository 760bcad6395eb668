"""GET /api/v1/stats/dashboard/?start=&end=&unit=: the HQ dashboard's data as JSON, the same
call the page makes (reports.selectors.dashboard.dashboard_data): today's duty now, weekly
trends, the station league with its district total, hazards and incidents, and the headline
figures with their lists."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.permissions import HasPerms
from core.validation import require_end_after_start
from org.api import PeriodQuery
from reports.selectors.dashboard import dashboard_data
from reports.selectors.duty import default_range

DASHBOARD_PARAMETERS = [
    OpenApiParameter("start", str, description="First day (YYYY-MM-DD); default the first of this month."),
    OpenApiParameter("end", str, description="Last day (YYYY-MM-DD); default today."),
    OpenApiParameter("unit", int, description="A unit in your scope: it and the units below it."),
]
DASHBOARD_RESPONSE = inline_serializer("Dashboard", {
    "start": serializers.DateField(),
    "end": serializers.DateField(),
    "unit": serializers.DictField(allow_null=True, help_text="{id, name} of the unit asked, or null."),
    "today": serializers.DateField(),
    "person_times": serializers.IntegerField(),
    "duty_now": serializers.DictField(help_text="The live board of the current peak: counts of posts by state, "
                                                "and per station."),
    "weeks": serializers.ListField(child=serializers.DictField(), help_text="One row per ISO week of the range."),
    "incident_kinds": serializers.ListField(child=serializers.DictField()),
    "league": serializers.DictField(help_text="{stations: [...], total: {...}}: one row per station and the "
                                              "district total."),
    "incidents_by_kind": serializers.ListField(child=serializers.DictField(), allow_null=True),
    "hazards": serializers.DictField(allow_null=True),
    "summary": serializers.ListField(child=serializers.DictField(),
                                     help_text="The headline figures: key, label, value, url of the list."),
})


class DashboardView(APIView):
    """The HQ dashboard's data for a range of whole days (default: this month to date) and a
    unit in the user's scope; a part the user may not read is null."""

    permission_classes = [HasPerms("attendance.view_checkin")]

    @extend_schema(parameters=DASHBOARD_PARAMETERS, responses=DASHBOARD_RESPONSE)
    def get(self, request):
        query = PeriodQuery(data=request.query_params, context={"request": request})
        query.is_valid(raise_exception=True)
        default_start, default_end = default_range(timezone.localdate())
        start = query.validated_data.get("start", default_start)
        end = query.validated_data.get("end", default_end)
        # One given and the other defaulted can still be out of order: a 400 naming `end`.
        require_end_after_start(start=start, end=end, end_field="end")
        return Response(dashboard_data(user=request.user, start=start, end=end,
                                       unit=query.validated_data.get("unit")))
