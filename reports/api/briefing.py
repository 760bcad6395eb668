"""GET /api/v1/reports/briefing/?start=&end=&unit=&format=docx|txt: the work briefing of a
period and unit as a Word file or plain text, the same document as the briefing page's
downloads (reports.briefing), audited as an export.

`format` names the document here, not the API's renderer: errors are always JSON."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from core.api.permissions import HasPerms
from core.documents import DOCX_CONTENT_TYPE
from org.api import PeriodQuery
from reports.selectors.briefing import briefing_unit
from reports.briefing import briefing_export

FORMATS = ("docx", "txt")
DOWNLOAD = "The briefing as an attachment: Word (format=docx) or plain text in UTF-8 (format=txt)."


class BriefingQuery(PeriodQuery):
    """PeriodQuery (a unit in scope, nothing unknown, the end not before the start) with both
    days required, and the document's format; the unit defaults to the top of the scope."""

    start = serializers.DateField()
    end = serializers.DateField()
    format = serializers.ChoiceField(choices=FORMATS)

    def validate(self, data):
        data = super().validate(data)
        unit = briefing_unit(self.context["request"].user, data.get("unit"))
        if unit is None:
            raise serializers.ValidationError({"unit": [_("Choose a unit.")]})
        return {**data, "unit": unit}


class JsonOnly(BaseContentNegotiation):
    """The answer is a file or a JSON error, never chosen by `?format=` (which is the file's)."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class BriefingView(APIView):
    """The work briefing as a document: HQ's narrative for the unit and period (or the
    default), its placeholders filled from stats/summary, the good deeds marked for publicity
    as its closing examples."""

    permission_classes = [HasPerms("reports.view_briefing")]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = JsonOnly

    @extend_schema(
        operation_id="reports_briefing_retrieve",
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE, required=True, description="First day of the period."),
            OpenApiParameter("end", OpenApiTypes.DATE, required=True, description="Last day of the period."),
            OpenApiParameter("unit", OpenApiTypes.INT,
                             description="A unit in your scope; default the top of your scope."),
            OpenApiParameter("format", OpenApiTypes.STR, enum=list(FORMATS), required=True,
                             description="docx (Word) or txt (plain text, UTF-8)."),
        ],
        responses={
            (200, DOCX_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description=DOWNLOAD),
            (200, "text/plain"): OpenApiResponse(OpenApiTypes.STR, description=DOWNLOAD),
            (400, "application/json"): OpenApiResponse(OpenApiTypes.OBJECT,
                                                       description="{field: [messages]}"),
        },
    )
    def get(self, request):
        query = BriefingQuery(data=request.query_params, context={"request": request})
        query.is_valid(raise_exception=True)
        data = dict(query.validated_data)
        extension = data.pop("format")
        return briefing_export(request, data, extension)

