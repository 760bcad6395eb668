"""The reports API: the duty figures at /api/v1/stats/duty/ (and, deprecated, at their first
address /api/v1/stats/attendance/, which answers the same)."""

from __future__ import annotations

import datetime

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from core.api.permissions import HasPerms
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.serializers import ScopedPrimaryKeyRelatedField, Serializer
from core.validation import require_end_after_start
from org.models import Unit
from reports.selectors import Scope, attendance_by_person, attendance_by_post, duty_summary

FIGURES_PARAMETERS = [
    OpenApiParameter("start", datetime.date, required=True),
    OpenApiParameter("end", datetime.date, required=True),
    OpenApiParameter("unit", int),
    OpenApiParameter("detail", str, enum=["post", "person"]),
]
FIGURES_RESPONSE = inline_serializer("DutyFigures", {"person_times": serializers.IntegerField()})


class FiguresSerializer(Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    unit = ScopedPrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False, allow_null=True)

    def validate(self, data):
        require_end_after_start(start=data["start"], end=data["end"], end_field="end")
        return data


class DutyFiguresView(APIView):
    """GET ?start=&end=&unit=: person-times deployed, attendance rates by station, findings
    by kind and station, bulletins issued; `detail=post|person` adds the finer tables."""

    permission_classes = [HasPerms("attendance.view_checkin")]

    @extend_schema(parameters=FIGURES_PARAMETERS, responses=FIGURES_RESPONSE)
    def get(self, request):
        params = FiguresSerializer(data=request.query_params, context={"request": request})
        params.is_valid(raise_exception=True)
        scope = Scope(user=request.user, **params.validated_data)
        body = duty_summary(scope)
        detail = request.query_params.get("detail")
        if detail == "post":
            body["attendance_by_post"] = attendance_by_post(scope)
        elif detail == "person":
            body["attendance_by_person"] = attendance_by_person(scope)
        return Response(body)


class AttendanceFiguresView(DutyFiguresView):
    """The figures' first address, /api/v1/stats/attendance/: the same answer as
    /api/v1/stats/duty/, kept so no client breaks; deprecated."""

    @extend_schema(parameters=FIGURES_PARAMETERS,
                   responses=FIGURES_RESPONSE, deprecated=True,
                   description="Deprecated: the same figures are at /api/v1/stats/duty/.")
    def get(self, request):
        return super().get(request)
