import datetime

from celery.result import AsyncResult
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from core.outbox import outbox_task
from duty.filters import AssignmentFilterSet, LeaveFilterSet, ShiftFilterSet, StandingAssignmentFilterSet
from duty.models import Assignment, AttendanceStatus, Leave, Shift, StandingAssignment
from duty.selectors.roster import roster_candidates, roster_week
from duty.services.assignments import (
    assignment_create,
    assignment_delete,
    assignment_move,
    require_monday,
    week_copy,
    week_publish,
)
from duty.services.generation import GENERATE_TASK, shift_generate, shift_generate_check, shift_generate_later
from duty.services.standing import (
    STANDING_FIELDS,
    standing_assignment_create,
    standing_assignment_delete,
    standing_assignment_update,
)
from duty.services.leave import leave_create, leave_update
from core.api.permissions import HasPerms, ModelPermissions
from core.api.serializers import ModelSerializer, ScopedPrimaryKeyRelatedField, ValidatedModelSerializer
from core.api.viewsets import ScopedModelViewSet, ScopedReadOnlyModelViewSet
from org.models import Person, Unit
from posts.api import WeekdaysField


class ShiftSerializer(serializers.ModelSerializer):
    class Meta:
        model = Shift
        fields = ["id", "post", "station", "date", "period", "starts_at", "ends_at", "status", "published",
                  "calendar_guess"]
        read_only_fields = fields


class GenerateSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    unit = ScopedPrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False, allow_null=True)

    def get_fields(self):
        # The field is named `async` in the request, a word Python keeps for itself.
        fields = super().get_fields()
        fields["async"] = serializers.BooleanField(
            required=False, default=False,
            help_text="Queue the work for a Celery worker: 202 with the task id and its status URL.")
        return fields


class GenerateResultSerializer(serializers.Serializer):
    """What a generation did (duty.services.generation.GenerationResult); documents the answer."""

    created = serializers.IntegerField()
    existing = serializers.IntegerField(help_text="Wanted shifts that were already there, unchanged.")
    retimed = serializers.IntegerField()
    cancelled = serializers.IntegerField()
    restored = serializers.IntegerField()
    left = serializers.IntegerField(help_text="Shifts left alone because they have started or someone checked in.")
    standing_assigned = serializers.IntegerField()
    guessed_days = serializers.IntegerField()
    skipped_past = serializers.IntegerField(
        help_text="Wanted shifts not created because they had already started when asked for (past dates).")
    standing_skipped = serializers.ListField(child=serializers.CharField())
    run_id = serializers.IntegerField(allow_null=True)


class GenerateQueuedSerializer(serializers.Serializer):
    task = serializers.UUIDField()
    status_url = serializers.CharField()


class GenerateStatusSerializer(serializers.Serializer):
    state = serializers.CharField(help_text="Celery's state: PENDING, PROGRESS, SUCCESS or FAILURE (or RETRY, REVOKED).")
    queued = serializers.BooleanField(help_text="Still in the outbox: not yet handed to the broker.")
    progress = serializers.DictField(help_text="In PROGRESS: stage, done, total.")
    result = serializers.DictField(
        help_text="In SUCCESS: what the generation did (the fields of GenerateResult); empty before.")
    error = serializers.CharField(required=False, help_text="In FAILURE: why.")


class AssignmentSerializer(ModelSerializer):
    shift = ScopedPrimaryKeyRelatedField(queryset=Shift.objects.all())
    person = ScopedPrimaryKeyRelatedField(queryset=Person.objects.all())
    person_name = serializers.CharField(source="person.name", read_only=True)
    person_kind = serializers.CharField(source="person.kind", read_only=True)
    # The contract's `status`: the attendance (pending until the shift is decided).
    status = serializers.ChoiceField(source="attendance", choices=AttendanceStatus.choices, read_only=True)

    class Meta:
        model = Assignment
        fields = ["id", "shift", "person", "person_name", "person_kind", "status", "active", "source", "starts_at",
                  "ends_at", "checked_in_at", "checked_out_at"]
        read_only_fields = ["active", "source", "starts_at", "ends_at", "checked_in_at", "checked_out_at"]

    def create(self, validated_data):
        return assignment_create(shift=validated_data["shift"], person=validated_data["person"],
                                 user=self.context["request"].user)

    def to_representation(self, assignment):
        data = super().to_representation(assignment)
        request = self.context.get("request")
        if request is not None and not assignment.attendance_visible_to(request.user):
            # A colleague on the officer's own shift: who stands with him, not when he came
            # or went. Null, like a row without a check-in, so the answer tells nothing.
            data["checked_in_at"] = data["checked_out_at"] = None
        return data


class MoveSerializer(serializers.Serializer):
    shift = ScopedPrimaryKeyRelatedField(queryset=Shift.objects.all())


class WeekSerializer(serializers.Serializer):
    station = ScopedPrimaryKeyRelatedField(queryset=Unit.objects.all())
    week = serializers.DateField(help_text="The Monday of the week.")

    def validate_week(self, value):
        try:
            require_monday(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict["week"]) from None
        return value


class StandingAssignmentSerializer(ValidatedModelSerializer):
    weekdays = WeekdaysField()

    class Meta:
        model = StandingAssignment
        fields = ["id", "person", "post", "weekdays", "periods", "start_date", "end_date"]
        derived_fields = ["station"]


class LeaveSerializer(ValidatedModelSerializer):
    class Meta:
        model = Leave
        fields = ["id", "person", "start_date", "end_date", "reason"]
        derived_fields = ["station"]


class ShiftViewSet(ScopedReadOnlyModelViewSet):
    """Shifts are generated, not typed in: read them, and generate them with `generate`."""

    queryset = Shift.objects.select_related("post")
    serializer_class = ShiftSerializer
    filterset_class = ShiftFilterSet
    ordering_fields = ["date", "starts_at"]

    @extend_schema(
        request=GenerateSerializer,
        responses={200: GenerateResultSerializer, 202: GenerateQueuedSerializer},
    )
    @action(detail=False, methods=["post"], url_path="generate",
            permission_classes=[ModelPermissions, HasPerms("duty.add_shift")])
    def generate(self, request):
        """Generate the shifts of a date range for a unit (default: everything you see).
        With `"async": true` the work is queued for a Celery worker (through the outbox, so a
        broker outage only delays it): 202, the task id and its status URL."""
        serializer = GenerateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data.get("async"):
            shift_generate_check(start=data["start"], end=data["end"], unit=data.get("unit"), user=request.user)
            task_id = shift_generate_later(
                start=data["start"], end=data["end"], unit_id=data["unit"].pk if data.get("unit") else None,
                user_id=request.user.pk,
            )
            status_url = reverse("shift-generate-status", kwargs={"task_id": task_id})
            return Response({"task": task_id, "status_url": status_url}, status=status.HTTP_202_ACCEPTED)
        result = shift_generate(start=data["start"], end=data["end"], unit=data.get("unit"), user=request.user)
        return Response(result.as_dict())

    @extend_schema(responses=GenerateStatusSerializer)
    @action(detail=False, methods=["get"], url_path=r"generate/(?P<task_id>[\w-]+)",
            permission_classes=[ModelPermissions, HasPerms("duty.add_shift")])
    def generate_status(self, request, task_id=None):
        """The state of an asynchronous generation you started: PENDING (`queued` while it
        waits in the outbox for the broker), PROGRESS (with stage and counts), SUCCESS (with
        the result) or FAILURE. A task id you did not start answers 404."""
        row = outbox_task(task_id=task_id, name=GENERATE_TASK)
        if row is None or row.task_kwargs.get("user_id") != request.user.pk:
            raise Http404
        body = {"state": "PENDING", "queued": row.delivered_at is None, "progress": {}, "result": {}}
        if body["queued"]:
            return Response(body)
        result = AsyncResult(str(row.task_id))
        body["state"] = result.state
        if result.state == "PROGRESS" and isinstance(result.info, dict):
            body["progress"] = result.info
        elif result.state == "SUCCESS":
            body["result"] = result.result
        elif result.state == "FAILURE":
            body["error"] = str(result.info)
        return Response(body)


class AssignmentViewSet(mixins.CreateModelMixin, mixins.DestroyModelMixin, ScopedReadOnlyModelViewSet):
    """People on shifts. Create and delete go through the assignment rules; `move` moves a
    person to another shift (the board's drag and drop). Attendance (`check-in`, `check-out`,
    `excuse`) is recorded at the same addresses."""

    queryset = Assignment.objects.select_related("person", "shift")
    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilterSet
    ordering_fields = ["starts_at"]

    def perform_destroy(self, instance):
        assignment_delete(assignment=instance, user=self.request.user)

    @extend_schema(request=MoveSerializer, responses=AssignmentSerializer)
    # Checked on the object: another station's assignment answers 404 before a missing
    # permission answers 403.
    @action(detail=True, methods=["post"],
            permission_classes=[ModelPermissions, HasPerms("duty.change_assignment", on_object=True)])
    def move(self, request, pk=None):
        assignment = self.get_object()
        serializer = MoveSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        moved = assignment_move(assignment=assignment, to_shift=serializer.validated_data["shift"], user=request.user)
        return Response(AssignmentSerializer(moved, context={"request": request}).data)


class StandingAssignmentViewSet(ScopedModelViewSet):
    """Written through duty.services.standing, which puts the person on the matching shifts
    already generated (or takes him off the ones it no longer covers)."""

    queryset = StandingAssignment.objects.select_related("person", "post")
    serializer_class = StandingAssignmentSerializer
    filterset_class = StandingAssignmentFilterSet

    def standing_fields(self, serializer) -> dict:
        return {name: value for name, value in serializer.validated_data.items() if name in STANDING_FIELDS}

    def perform_create(self, serializer):
        serializer.instance = standing_assignment_create(
            user=self.request.user, **self.standing_fields(serializer)).standing

    def perform_update(self, serializer):
        serializer.instance = standing_assignment_update(
            user=self.request.user, standing=serializer.instance, **self.standing_fields(serializer)).standing

    def perform_destroy(self, instance):
        standing_assignment_delete(user=self.request.user, standing=instance)


class LeaveViewSet(ScopedModelViewSet):
    """Leave is written through duty.services.leave, which takes the person off the shifts
    he is booked on within the leave's days."""

    queryset = Leave.objects.select_related("person")
    serializer_class = LeaveSerializer
    filterset_class = LeaveFilterSet

    def leave_fields(self, serializer) -> dict:
        return {name: serializer.validated_data[name] for name in ("person", "start_date", "end_date", "reason")
                if name in serializer.validated_data}

    def perform_create(self, serializer):
        serializer.instance = leave_create(user=self.request.user, **self.leave_fields(serializer)).leave

    def perform_update(self, serializer):
        serializer.instance = leave_update(user=self.request.user, leave=serializer.instance,
                                           **self.leave_fields(serializer)).leave


class RosterView(APIView):
    """GET ?station=&week=: one station's week for the roster board."""

    permission_classes = [HasPerms("duty.view_shift")]

    @extend_schema(parameters=[OpenApiParameter("station", int, required=True),
                               OpenApiParameter("week", datetime.date, required=True)],
                   responses=inline_serializer("RosterWeekBoard", {"rows": serializers.ListField()}))
    def get(self, request):
        station_id = request.query_params.get("station", "")
        if not station_id.isdigit():
            raise serializers.ValidationError({"station": [_("Give the station's id.")]})
        # Another station's roster is "not found", like any object outside the scope.
        station = get_object_or_404(Unit.objects.visible_to(request.user), pk=int(station_id))
        serializer = WeekSerializer(data={"station": station.pk, "week": request.query_params.get("week")},
                                    context={"request": request})
        serializer.is_valid(raise_exception=True)
        return Response(roster_week(station=station, week_start=serializer.validated_data["week"], user=request.user))


class RosterCandidatesView(APIView):
    """GET ?shift=&q=&kind=: who can be picked for a shift, with load and reasons. Only for
    those who assign: the list names people."""

    permission_classes = [HasPerms("duty.view_shift", "org.view_person", "duty.add_assignment")]

    @extend_schema(parameters=[OpenApiParameter("shift", int, required=True), OpenApiParameter("q", str),
                               OpenApiParameter("kind", str)],
                   responses=inline_serializer("Candidate", {
                       "id": serializers.IntegerField(), "name": serializers.CharField(),
                       "kind": serializers.CharField(), "load": serializers.IntegerField(),
                       "available": serializers.BooleanField(), "reason": serializers.CharField()}, many=True))
    def get(self, request):
        try:
            shift_id = int(request.query_params.get("shift", ""))
        except ValueError:
            raise serializers.ValidationError({"shift": [_("Give the shift's id.")]}) from None
        shift = get_object_or_404(Shift.objects.visible_to(request.user), pk=shift_id)
        return Response(roster_candidates(shift=shift, user=request.user, q=request.query_params.get("q", ""),
                                          kind=request.query_params.get("kind", "")))


class RosterPublishView(APIView):
    """POST {station, week}: publish the week; officers see it and people are told."""

    permission_classes = [HasPerms("duty.change_rosterweek")]

    @extend_schema(request=WeekSerializer, responses=inline_serializer("Published", {"published_at": serializers.DateTimeField()}))
    def post(self, request):
        serializer = WeekSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        week = week_publish(station=serializer.validated_data["station"], week_start=serializer.validated_data["week"],
                            user=request.user)
        return Response({"published_at": week.published_at})


class RosterCopyWeekView(APIView):
    """POST {station, week}: copy last week's assignments into this week."""

    permission_classes = [HasPerms("duty.add_assignment")]

    @extend_schema(request=WeekSerializer, responses=inline_serializer("Copied", {
        "copied": serializers.IntegerField(), "skipped": serializers.ListField(child=serializers.CharField())}))
    def post(self, request):
        serializer = WeekSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        result = week_copy(station=serializer.validated_data["station"], week_start=serializer.validated_data["week"],
                           user=request.user)
        return Response({"copied": result.copied, "skipped": result.skipped})
