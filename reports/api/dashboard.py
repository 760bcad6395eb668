"""GET /api/v1/stats/dashboard/?start=&end=&unit=: the HQ dashboard's data as JSON, the same
call the page makes (reports.selectors.dashboard.dashboard_data): today's duty now, weekly
trends, the station league with its district total, hazards and incidents, and the headline
figures with their lists."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.permissions import HasPerms
from reports.api.period import PERIOD_PARAMETERS, period_of
from reports.selectors.dashboard import dashboard_data

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

    @extend_schema(parameters=PERIOD_PARAMETERS, responses=DASHBOARD_RESPONSE)
    def get(self, request):
        start, end, unit = period_of(request)
        return Response(dashboard_data(user=request.user, start=start, end=end, unit=unit))
