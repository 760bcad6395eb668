"""API per DESIGN.md: `inspections/` (actions `submit/`, `approve/`, `return/`), `hazards/`
(actions `rectify/`, `verify/`, `reopen/`), `notices/` (action `issue/`), `improvements/`,
`joint-operations/`, and `inspections/figures/` (the counts reports/ reads). Every write goes
through inspections.services; a refusal is a 400 naming the field."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.permissions import HasPerms, ModelPermissions
from core.api.serializers import ModelSerializer, ScopedPrimaryKeyRelatedField, Serializer
from core.api.viewsets import ScopedModelViewSet, ScopedReadOnlyModelViewSet
from inspections.filters import (
    HazardFilterSet,
    ImprovementFilterSet,
    InspectionFilterSet,
    JointOperationFilterSet,
    NoticeFilterSet,
)
from inspections.models import (
    AnswerResult,
    ChecklistTemplate,
    Hazard,
    HazardCategory,
    Improvement,
    ImprovementKind,
    Inspection,
    InspectionAnswer,
    JointOperation,
    Notice,
    Severity,
)
from inspections.selectors import inspection_breakdown, inspection_summary
from inspections.services import (
    hazard_create,
    hazard_transition,
    hazard_update,
    improvement_save,
    inspection_approve,
    inspection_create,
    inspection_return,
    inspection_submit,
    inspection_update,
    joint_operation_save,
    notice_create,
    notice_issue,
    notice_update,
)
from org.api import PeriodQuery
from org.models import Person, Unit
from posts.models import School


class AnswerSerializer(ModelSerializer):
    result = serializers.ChoiceField(choices=[("", "—"), *AnswerResult.choices], required=False, allow_blank=True)
    severity = serializers.ChoiceField(choices=[("", "—"), *Severity.choices], required=False, allow_blank=True)
    item = serializers.IntegerField(source="item_id", help_text="The checklist item's id.")
    text = serializers.CharField(source="item.text", read_only=True)
    section = serializers.CharField(source="item.section", read_only=True)

    class Meta:
        model = InspectionAnswer
        fields = ["item", "section", "text", "result", "note", "severity"]


class InspectionSerializer(ModelSerializer):
    school = ScopedPrimaryKeyRelatedField(queryset=School.objects.all())
    checklist = serializers.PrimaryKeyRelatedField(source="template", queryset=ChecklistTemplate.objects.all(),
                                                   required=False)
    inspectors = ScopedPrimaryKeyRelatedField(queryset=Person.objects.all(), many=True, required=False)
    answers = AnswerSerializer(many=True, required=False)
    hazards = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = ["id", "school", "date", "status", "checklist", "inspectors", "note", "round", "submitted_at",
                  "answers", "hazards"]
        read_only_fields = ["status", "round", "submitted_at"]

    def create(self, validated_data):
        answers = validated_data.pop("answers", [])
        inspection = inspection_create(user=self.context["request"].user, school=validated_data["school"],
                                       date=validated_data["date"], template=validated_data.get("template"),
                                       inspectors=validated_data.get("inspectors", []),
                                       note=validated_data.get("note", ""))
        if answers:
            inspection = inspection_update(inspection=inspection, user=self.context["request"].user,
                                           answers=self.answers_map(answers))
        return inspection

    def update(self, instance, validated_data):
        answers = validated_data.pop("answers", None)
        fields = {k: v for k, v in validated_data.items() if k in ("school", "date", "inspectors", "note", "template")}
        return inspection_update(inspection=instance, user=self.context["request"].user,
                                 answers=self.answers_map(answers or []), **fields)

    def get_fields(self):
        fields = super().get_fields()
        view = self.context.get("view")
        if view is not None and getattr(view, "action", None) == "list":
            fields.pop("answers")  # a list is long: the answers are on each inspection's own page
        return fields

    @staticmethod
    def answers_map(answers) -> dict:
        return {a["item_id"]: {k: v for k, v in a.items() if k in ("result", "note", "severity")} for a in answers}


class ReviewRequest(Serializer):
    comment = serializers.CharField(required=False, allow_blank=True)
    items = serializers.DictField(child=serializers.CharField(allow_blank=True, max_length=500), required=False,
                                  help_text="Comments on items: {item id: comment}.")



FIGURES = inline_serializer("InspectionFigures", {
    "summary": serializers.DictField(),
    "breakdown": serializers.DictField(),
})


class InspectionViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ScopedReadOnlyModelViewSet):
    """Inspections with their answers. `submit` sends one for review (its failed items become
    hazards); a supervisor `approve`s it or `return`s it with comments per item."""

    queryset = Inspection.objects.select_related("school").prefetch_related("inspectors", "hazards").order_by(
        "-date", "-pk")
    serializer_class = InspectionSerializer

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action != "list":
            queryset = queryset.prefetch_related(
                Prefetch("answers", queryset=InspectionAnswer.objects.select_related("item")))
        return queryset
    filterset_class = InspectionFilterSet
    ordering_fields = ["date", "submitted_at"]

    def _answer(self, request, inspection):
        return Response(InspectionSerializer(self.get_queryset().get(pk=inspection.pk),
                                             context={"request": request}).data)

    @extend_schema(request=None, responses=InspectionSerializer)
    @action(detail=True, methods=["post"],
            permission_classes=[ModelPermissions, HasPerms("inspections.change_inspection", on_object=True)])
    def submit(self, request, pk=None):
        inspection = inspection_submit(inspection=self.get_object(), user=request.user)
        return self._answer(request, inspection)

    review_permissions = [ModelPermissions, HasPerms("inspections.review_inspection", on_object=True)]

    @extend_schema(request=ReviewRequest, responses=InspectionSerializer)
    @action(detail=True, methods=["post"], permission_classes=review_permissions)
    def approve(self, request, pk=None):
        inspection = self.get_object()
        data = ReviewRequest(data=request.data)
        data.is_valid(raise_exception=True)
        inspection_approve(inspection=inspection, user=request.user, comment=data.validated_data.get("comment", ""))
        return self._answer(request, inspection)

    @extend_schema(request=ReviewRequest, responses=InspectionSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return", permission_classes=review_permissions)
    def return_(self, request, pk=None):
        inspection = self.get_object()
        data = ReviewRequest(data=request.data)
        data.is_valid(raise_exception=True)
        items = data.validated_data.get("items", {})
        bad = [key for key in items if not str(key).isdigit()]
        if bad:
            raise serializers.ValidationError({"items": [_("Name each item by its id.")]})
        inspection_return(inspection=inspection, user=request.user, comment=data.validated_data.get("comment", ""),
                          items=items)
        return self._answer(request, inspection)

    @extend_schema(
        parameters=[OpenApiParameter("start", str, description="First day (YYYY-MM-DD)."),
                    OpenApiParameter("end", str, description="Last day (YYYY-MM-DD)."),
                    OpenApiParameter("unit", int, description="A unit in your scope: it and the units below it.")],
        responses=FIGURES)
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def figures(self, request):
        """The counts the work report reads (the `stats/summary/` keys of this app) and the
        hazards by category and status, those overdue, and the improvements by kind."""
        query = PeriodQuery(data=request.query_params, context={"request": request})
        query.is_valid(raise_exception=True)
        params = {"user": request.user, **query.validated_data}
        return Response({"summary": inspection_summary(**params), "breakdown": inspection_breakdown(**params)})


class HazardSerializer(ModelSerializer):
    school = ScopedPrimaryKeyRelatedField(queryset=School.objects.all())
    inspection = ScopedPrimaryKeyRelatedField(queryset=Inspection.objects.all(), required=False, allow_null=True)
    category = serializers.ChoiceField(choices=HazardCategory.choices)
    severity = serializers.ChoiceField(choices=Severity.choices)
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)

    class Meta:
        model = Hazard
        fields = ["id", "inspection", "school", "category", "description", "severity", "found_on", "deadline",
                  "status", "source", "overdue", "overdue_since"]
        read_only_fields = ["deadline", "status", "source", "overdue_since"]
        extra_kwargs = {"found_on": {"required": False}}

    def create(self, validated_data):
        return hazard_create(user=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        fields = {k: v for k, v in validated_data.items() if k in ("category", "description", "severity", "found_on")}
        if {"school", "inspection"} & set(validated_data):
            raise serializers.ValidationError({"school": [_("A hazard's school and inspection cannot change.")]})
        return hazard_update(hazard=instance, user=self.context["request"].user, **fields)


class StepRequest(Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class HazardViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ScopedReadOnlyModelViewSet):
    """Hazards; the steps of their life are actions, each refused with a reason from a status
    it cannot be taken from. A hazard is notified by issuing a notice that lists it."""

    queryset = Hazard.objects.select_related("school").order_by("-found_on", "-pk")
    serializer_class = HazardSerializer
    filterset_class = HazardFilterSet
    ordering_fields = ["found_on", "deadline"]
    step_permissions = [ModelPermissions, HasPerms("inspections.change_hazard", on_object=True)]

    def _step(self, request, step):
        hazard = self.get_object()
        data = StepRequest(data=request.data)
        data.is_valid(raise_exception=True)
        hazard_transition(hazard=hazard, user=request.user, action=step, note=data.validated_data.get("note", ""))
        return Response(HazardSerializer(self.get_queryset().get(pk=hazard.pk), context={"request": request}).data)

    @extend_schema(request=StepRequest, responses=HazardSerializer)
    @action(detail=True, methods=["post"], permission_classes=step_permissions)
    def rectify(self, request, pk=None):
        """The school reports it put right (the note is its report)."""
        return self._step(request, "rectify")

    @extend_schema(request=StepRequest, responses=HazardSerializer)
    @action(detail=True, methods=["post"], permission_classes=step_permissions)
    def verify(self, request, pk=None):
        """A re-check verified it: closed (销号)."""
        return self._step(request, "verify")

    @extend_schema(request=StepRequest, responses=HazardSerializer)
    @action(detail=True, methods=["post"], permission_classes=step_permissions)
    def reopen(self, request, pk=None):
        """The re-check found it not put right (the note says why)."""
        return self._step(request, "reopen")


class NoticeSerializer(ModelSerializer):
    school = ScopedPrimaryKeyRelatedField(queryset=School.objects.all())
    hazards = ScopedPrimaryKeyRelatedField(queryset=Hazard.objects.all(), many=True, required=False)
    number_label = serializers.CharField(read_only=True)

    class Meta:
        model = Notice
        fields = ["id", "number", "year", "number_label", "school", "hazards", "issued_on", "deadline", "status",
                  "text"]
        read_only_fields = ["number", "year", "issued_on", "status"]
        extra_kwargs = {"deadline": {"required": False}}

    def create(self, validated_data):
        return notice_create(user=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        return notice_update(notice=instance, user=self.context["request"].user, **validated_data)


class NoticeViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ScopedReadOnlyModelViewSet):
    """Rectification notices: drafts are edited; `issue` numbers and freezes one."""

    queryset = Notice.objects.select_related("school").prefetch_related("hazards").order_by("-year", "-number", "-pk")
    serializer_class = NoticeSerializer
    filterset_class = NoticeFilterSet
    ordering_fields = ["issued_on", "number"]

    @extend_schema(request=None, responses=NoticeSerializer)
    @action(detail=True, methods=["post"],
            permission_classes=[ModelPermissions, HasPerms("inspections.change_notice", on_object=True)])
    def issue(self, request, pk=None):
        notice = notice_issue(notice=self.get_object(), user=request.user)
        return Response(NoticeSerializer(self.get_queryset().get(pk=notice.pk), context={"request": request}).data)


class ImprovementSerializer(ModelSerializer):
    school = ScopedPrimaryKeyRelatedField(queryset=School.objects.all())
    kind = serializers.ChoiceField(choices=ImprovementKind.choices)
    unit = serializers.CharField(read_only=True, help_text="The unit the quantity is counted in (面, 处, m², 套, 个).")

    class Meta:
        model = Improvement
        fields = ["id", "school", "kind", "quantity", "unit", "date", "note"]

    def create(self, validated_data):
        return improvement_save(user=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        return improvement_save(user=self.context["request"].user, improvement=instance, **validated_data)


class ImprovementViewSet(ScopedModelViewSet):
    queryset = Improvement.objects.select_related("school").order_by("-date", "-pk")
    serializer_class = ImprovementSerializer
    filterset_class = ImprovementFilterSet
    ordering_fields = ["date"]


class JointOperationSerializer(ModelSerializer):
    unit = ScopedPrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False,
                                        help_text="The organising unit; the user's own if left out.")
    venues_by_type = serializers.DictField(child=serializers.IntegerField(min_value=0, max_value=100_000),
                                           required=False)

    class Meta:
        model = JointOperation
        fields = ["id", "unit", "date", "title", "departments", "police_count", "venues_checked", "venues_by_type",
                  "hazards_found", "hazards_fixed", "vendors_cleared", "note"]

    def create(self, validated_data):
        return joint_operation_save(user=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        return joint_operation_save(user=self.context["request"].user, operation=instance, **validated_data)


class JointOperationViewSet(ScopedModelViewSet):
    queryset = JointOperation.objects.select_related("unit").order_by("-date", "-pk")
    serializer_class = JointOperationSerializer
    filterset_class = JointOperationFilterSet
    ordering_fields = ["date"]
