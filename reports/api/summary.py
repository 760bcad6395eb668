"""GET /api/v1/stats/summary/?start=&end=&unit=: every headline figure of the work report for a
range of whole days and a unit in the user's scope (reports.selectors.summary), with `links`,
for each figure the list page that counts it, and `api_links`, the same filters on the API."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.permissions import HasPerms
from reports.api.period import PERIOD_PARAMETERS, period_of
from reports.selectors.summary import SUMMARY_KEYS, stats_summary, summary_api_links, summary_links

SUMMARY_RESPONSE = inline_serializer("StatsSummary", {
    "start": serializers.DateField(),
    "end": serializers.DateField(),
    "unit": serializers.IntegerField(allow_null=True),
    **{key: (serializers.DictField(child=serializers.IntegerField()) if key == "improvements"
             else serializers.IntegerField()) for key in SUMMARY_KEYS},
    "links": serializers.DictField(child=serializers.CharField(allow_null=True)),
    "api_links": serializers.DictField(child=serializers.CharField(allow_null=True)),
})


class SummaryView(APIView):
    """The work report's figures: one key per figure of DESIGN.md's stats/summary table,
    counted by each app's own selector, so the lists, the dashboard and the briefing agree.
    A missing range is this month to date."""

    permission_classes = [HasPerms("attendance.view_checkin")]

    @extend_schema(parameters=PERIOD_PARAMETERS, responses=SUMMARY_RESPONSE)
    def get(self, request):
        start, end, unit = period_of(request)
        params = {"user": request.user, "start": start, "end": end, "unit": unit}
        return Response({
            "start": start, "end": end, "unit": unit.pk if unit else None,
            **stats_summary(**params),
            "links": summary_links(**params),
            "api_links": summary_api_links(**params),
        })
