"""API `incidents/`: the incident log with DESIGN.md's key fields and the kind's own fields;
the handling steps are actions (`report/`, `take/`, `escalate/`, `refer/`, `close/`,
`reopen/`), and `figures/` answers the counts the work report reads."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.permissions import HasPerms, ModelPermissions
from core.api.serializers import ModelSerializer, ScopedPrimaryKeyRelatedField, Serializer
from core.api.viewsets import ScopedReadOnlyModelViewSet
from incidents.filters import IncidentFilterSet
from incidents.models import Incident, IncidentStep, StepKind
from incidents.selectors import incident_breakdown, incident_summary
from incidents.services import EDITABLE, incident_create, incident_step, incident_update
from org.api import PeriodQuery
from org.models import Person
from posts.models import Post, School


class StepSerializer(ModelSerializer):
    by = serializers.SerializerMethodField()
    person_name = serializers.CharField(source="person.name", default="", read_only=True)

    class Meta:
        model = IncidentStep
        fields = ["id", "kind", "at", "by", "person", "person_name", "department", "note"]

    def get_by(self, step) -> str:
        user = step.by
        return (user.get_full_name() or user.username) if user is not None else ""


class OnDutySerializer(ModelSerializer):
    class Meta:
        model = Person
        fields = ["id", "name", "kind"]
        read_only_fields = fields


class IncidentSerializer(ModelSerializer):
    school = ScopedPrimaryKeyRelatedField(queryset=School.objects.all(), required=False)
    post = ScopedPrimaryKeyRelatedField(queryset=Post.objects.all(), required=False, allow_null=True)
    on_duty = OnDutySerializer(many=True, read_only=True)
    steps = StepSerializer(many=True, read_only=True)
    draft = serializers.BooleanField(
        write_only=True, required=False, default=False,
        help_text="Keep it as a draft (only kind, time and school are checked) instead of reporting it.")

    class Meta:
        model = Incident
        fields = ["id", "kind", "occurred_at", "school", "post", "station", "shift", "on_duty", "people_count",
                  "summary", "action_taken", "resolved", "status", "id_checked", "items_checked", "outcome",
                  "parties", "mediation", "publicity", "publicity_text", "steps", "draft", "created_at",
                  "updated_at"]
        read_only_fields = ["station", "shift", "status", "created_at", "updated_at"]
        extra_kwargs = {"summary": {"required": False, "allow_blank": True}}

    def fields_given(self, validated_data) -> dict:
        return {name: value for name, value in validated_data.items() if name in EDITABLE}

    def create(self, validated_data):
        report = not validated_data.pop("draft", False)
        return incident_create(user=self.context["request"].user, report=report,
                               **self.fields_given(validated_data))

    def update(self, instance, validated_data):
        validated_data.pop("draft", None)
        try:
            return incident_update(incident=instance, user=self.context["request"].user,
                                   **self.fields_given(validated_data))
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from None


class IncidentStepRequestSerializer(Serializer):
    person = ScopedPrimaryKeyRelatedField(queryset=Person.objects.all(), required=False, allow_null=True)
    department = serializers.CharField(required=False, allow_blank=True, max_length=100)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


FIGURES = inline_serializer("IncidentFigures", {
    "summary": serializers.DictField(child=serializers.IntegerField()),
    "by_kind": serializers.ListField(child=serializers.DictField()),
    "by_station": serializers.ListField(child=serializers.DictField()),
    "by_month": serializers.ListField(child=serializers.DictField()),
})


class IncidentViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ScopedReadOnlyModelViewSet):
    """The on-site incident log. Create reports it (or keeps a draft with `draft: true`); the
    handling steps are actions on one incident, refused with a reason when its status does
    not allow them."""

    queryset = (
        Incident.objects.select_related("school", "post", "station")
        # The steps with who took them in one query, so a page of incidents stays at the ceiling.
        .prefetch_related("on_duty", Prefetch("steps", queryset=IncidentStep.objects.select_related("by", "person")))
    )
    serializer_class = IncidentSerializer
    filterset_class = IncidentFilterSet
    ordering_fields = ["occurred_at"]

    def _step(self, request, kind):
        incident = self.get_object()
        data = IncidentStepRequestSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        try:
            incident_step(incident=incident, user=request.user, kind=kind, **data.validated_data)
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from None
        incident = self.get_queryset().get(pk=incident.pk)
        return Response(IncidentSerializer(incident, context={"request": request}).data)

    step_permissions = [ModelPermissions, HasPerms("incidents.change_incident", on_object=True)]

    @extend_schema(request=None, responses=IncidentSerializer)
    @action(detail=True, methods=["post"], permission_classes=[ModelPermissions])
    def report(self, request, pk=None):
        """Send a draft: every rule of its kind is checked, and an emergency is told to the
        station and HQ. The draft's author, or the desk."""
        incident = self.get_object()
        try:
            incident_update(incident=incident, user=request.user, report=True)
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from None
        return Response(IncidentSerializer(self.get_queryset().get(pk=incident.pk), context={"request": request}).data)

    @extend_schema(request=IncidentStepRequestSerializer, responses=IncidentSerializer)
    @action(detail=True, methods=["post"], permission_classes=step_permissions)
    def take(self, request, pk=None):
        return self._step(request, StepKind.TAKEN)

    @extend_schema(request=IncidentStepRequestSerializer, responses=IncidentSerializer)
    @action(detail=True, methods=["post"], permission_classes=step_permissions)
    def escalate(self, request, pk=None):
        return self._step(request, StepKind.ESCALATED)

    @extend_schema(request=IncidentStepRequestSerializer, responses=IncidentSerializer)
    @action(detail=True, methods=["post"], permission_classes=step_permissions)
    def refer(self, request, pk=None):
        return self._step(request, StepKind.REFERRED)

    @extend_schema(request=IncidentStepRequestSerializer, responses=IncidentSerializer)
    @action(detail=True, methods=["post"], permission_classes=step_permissions)
    def close(self, request, pk=None):
        return self._step(request, StepKind.CLOSED)

    @extend_schema(request=IncidentStepRequestSerializer, responses=IncidentSerializer)
    @action(detail=True, methods=["post"], permission_classes=step_permissions)
    def reopen(self, request, pk=None):
        return self._step(request, StepKind.REOPENED)

    @extend_schema(
        parameters=[OpenApiParameter("start", str, description="First day (YYYY-MM-DD)."),
                    OpenApiParameter("end", str, description="Last day (YYYY-MM-DD)."),
                    OpenApiParameter("unit", int, description="A unit in your scope: it and the units below it.")],
        responses=FIGURES)
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def figures(self, request):
        """The counts the work report reads (the `stats/summary/` keys of incidents), and
        counts and person-times by kind, station and month."""
        query = PeriodQuery(data=request.query_params, context={"request": request})
        query.is_valid(raise_exception=True)
        params = {"user": request.user, **query.validated_data}
        return Response({"summary": incident_summary(**params), **incident_breakdown(**params)})

