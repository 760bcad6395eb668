"""API for attendance and supervision: check-in/out on assignments, spot checks, bulletins.
The figures are reports/api.py."""

import contextlib

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from duty.filters import BulletinFilterSet, SpotCheckFilterSet
from duty.models import (
    Assignment,
    Bulletin,
    CheckIn,
    CheckInMethod,
    Finding,
    FindingIssue,
    KitItem,
    SpotCheck,
    SpotCheckMethod,
)
from duty.services.attendance import assignment_check_in, assignment_check_out, assignment_excuse
from duty.services.supervision import (
    bulletin_content,
    bulletin_create,
    bulletin_issue,
    bulletin_update,
    contradictions,
    SAMPLE_SIZE,
    SAMPLE_SIZE_MAX,
    random_sample,
    spot_check_create,
)
from core.api.permissions import HasPerms, ModelPermissions
from core.api.serializers import ModelSerializer, ScopedPrimaryKeyRelatedField, Serializer
from core.api.viewsets import ScopedReadOnlyModelViewSet
from org.models import Person, Unit
from posts.models import Post


class CheckInSerializer(serializers.Serializer):
    """A check-in as the phone gets it back. Declared field by field: it answers the
    busiest request of the morning, and a ModelSerializer rebuilds its fields each time."""

    id = serializers.IntegerField(read_only=True)
    assignment = serializers.IntegerField(source="assignment_id", read_only=True)
    at = serializers.DateTimeField(read_only=True)
    method = serializers.CharField(read_only=True)
    lat = serializers.DecimalField(max_digits=9, decimal_places=6, read_only=True)
    lng = serializers.DecimalField(max_digits=9, decimal_places=6, read_only=True)
    accuracy_m = serializers.IntegerField(read_only=True)
    distance_m = serializers.IntegerField(read_only=True)
    inside_geofence = serializers.BooleanField(read_only=True, allow_null=True)
    outside_reason = serializers.CharField(read_only=True)
    kit = serializers.ListField(child=serializers.CharField(), read_only=True)
    kit_missing = serializers.ListField(child=serializers.CharField(), read_only=True)
    flagged = serializers.BooleanField(read_only=True)


class CheckInRequestSerializer(Serializer):
    lat = serializers.FloatField(required=False, allow_null=True, min_value=-90, max_value=90)
    lng = serializers.FloatField(required=False, allow_null=True, min_value=-180, max_value=180)
    accuracy_m = serializers.IntegerField(required=False, allow_null=True, min_value=0)

    class Meta:
        model = CheckIn  # its numbers are bounded by the columns they are stored in
    equipment = serializers.ListField(child=serializers.ChoiceField(choices=KitItem.choices), required=False,
                                      allow_null=True, default=None)
    outside_reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    method = serializers.ChoiceField(choices=CheckInMethod.choices, required=False, default=CheckInMethod.PHONE)


class CheckOutRequestSerializer(Serializer):
    lat = serializers.FloatField(required=False, allow_null=True, min_value=-90, max_value=90)
    lng = serializers.FloatField(required=False, allow_null=True, min_value=-180, max_value=180)

    class Meta:
        model = CheckIn


class ExcuseSerializer(Serializer):
    reason = serializers.CharField(max_length=200)


class AttendanceActionsMixin:
    """check-in, check-out and excuse on assignments/{id}/ (mixed into AssignmentViewSet)."""

    # check-in and check-out are not "add an assignment" (the viewset's model permission for
    # a POST, which officers do not have): signed in is enough to reach them, and each action
    # checks duty.add_checkin itself.

    @staticmethod
    def _pk(pk) -> int:
        from django.http import Http404

        try:
            return int(pk)
        except (TypeError, ValueError):
            raise Http404 from None

    @staticmethod
    @contextlib.contextmanager
    def _found_or_404():
        from django.http import Http404

        try:
            yield
        except Assignment.DoesNotExist:
            raise Http404 from None

    @extend_schema(request=CheckInRequestSerializer, responses={201: CheckInSerializer, 200: CheckInSerializer})
    @action(detail=True, methods=["post"], url_path="check-in", permission_classes=[IsAuthenticated])
    def check_in(self, request, pk=None):
        """Check in at the post (the phone sends its location and the kit worn). A repeat
        answers 200 with the first check-in; a dispatcher records a radio roll-call with
        `"method": "radio"`. Another station's assignment answers 404."""
        data = CheckInRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # The service finds, locks and scope-checks the row in one query: this is the
        # morning's busiest request.
        with self._found_or_404():
            check_in, created = assignment_check_in(
                assignment=Assignment(pk=self._pk(pk)), user=request.user, **data.validated_data
            )
        return Response(CheckInSerializer(check_in).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(request=CheckOutRequestSerializer, responses={200: inline_serializer(
        "CheckOut", {"checked_out_at": serializers.DateTimeField(), "attendance": serializers.CharField()})})
    @action(detail=True, methods=["post"], url_path="check-out", permission_classes=[IsAuthenticated])
    def check_out(self, request, pk=None):
        data = CheckOutRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with self._found_or_404():
            done = assignment_check_out(assignment=Assignment(pk=self._pk(pk)), user=request.user,
                                        **data.validated_data)
        return Response({"checked_out_at": done.checked_out_at, "attendance": done.attendance})

    @extend_schema(request=ExcuseSerializer, responses={200: inline_serializer(
        "Excused", {"attendance": serializers.CharField(), "excuse_reason": serializers.CharField()})})
    @action(detail=True, methods=["post"],
            permission_classes=[ModelPermissions, HasPerms("duty.change_assignment")])
    def excuse(self, request, pk=None):
        assignment = self.get_object()
        data = ExcuseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        done = assignment_excuse(assignment=assignment, user=request.user, reason=data.validated_data["reason"])
        return Response({"attendance": done.attendance, "excuse_reason": done.excuse_reason})


class FindingSerializer(ModelSerializer):
    person = ScopedPrimaryKeyRelatedField(queryset=Person.objects.all(), required=False, allow_null=True)
    issue = serializers.ChoiceField(choices=FindingIssue.choices)

    class Meta:
        model = Finding
        fields = ["id", "person", "issue", "note"]


class SpotCheckSerializer(ModelSerializer):
    post = ScopedPrimaryKeyRelatedField(queryset=Post.objects.all())
    method = serializers.ChoiceField(choices=SpotCheckMethod.choices)
    findings = FindingSerializer(many=True, required=False)
    contradictions = serializers.SerializerMethodField()

    class Meta:
        model = SpotCheck
        fields = ["id", "post", "shift", "station", "method", "checked_at", "supervisor", "note", "findings",
                  "contradictions"]
        read_only_fields = ["shift", "station", "supervisor"]

    def get_contradictions(self, check) -> list[dict]:
        if self.context.get("view") is None or self.context["view"].action != "retrieve":
            return []
        return [
            {"finding": item["finding"].pk, "person": item["finding"].person_id, "issue": item["finding"].issue,
             "check_in": CheckInSerializer(item["check_in"]).data}
            for item in contradictions(check)
        ]

    def create(self, validated_data):
        findings = validated_data.pop("findings", [])
        return spot_check_create(
            post=validated_data["post"], method=validated_data["method"], checked_at=validated_data["checked_at"],
            note=validated_data.get("note", ""), supervisor=self.context["request"].user,
            findings=[{"person": f.get("person"), "issue": f["issue"], "note": f.get("note", "")} for f in findings],
        )


class SpotCheckViewSet(mixins.CreateModelMixin, ScopedReadOnlyModelViewSet):
    """Spot checks with their findings. Create posts the check and all its findings at once;
    `sample` suggests an unannounced random sample of the posts on duty now."""

    queryset = SpotCheck.objects.select_related("post").prefetch_related("findings")
    serializer_class = SpotCheckSerializer
    ordering_fields = ["checked_at"]
    filterset_class = SpotCheckFilterSet

    @extend_schema(parameters=[OpenApiParameter(
                       "size", int, description=f"How many posts (1 to {SAMPLE_SIZE_MAX}; {SAMPLE_SIZE} if left out).")],
                   responses=inline_serializer("SampleShift", {
        "shift": serializers.IntegerField(), "post": serializers.IntegerField(), "post_name": serializers.CharField(),
        "station": serializers.CharField(), "window": serializers.CharField()}, many=True))
    # A plain list (a sample is small and whole): neither paginated nor filtered.
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[],
            permission_classes=[ModelPermissions, HasPerms("duty.add_spotcheck")])
    def sample(self, request):
        try:
            size = int(request.query_params.get("size", SAMPLE_SIZE))  # random_sample keeps it in bounds
        except ValueError:
            raise serializers.ValidationError({"size": [_("Give a whole number.")]}) from None
        return Response([
            {"shift": s.pk, "post": s.post_id, "post_name": str(s.post),
             "station": s.station.name, "window": s.window_display}
            for s in random_sample(user=request.user, size=size)
        ])


class BulletinSerializer(ModelSerializer):
    unit = ScopedPrimaryKeyRelatedField(queryset=Unit.objects.all())

    class Meta:
        model = Bulletin
        fields = ["id", "unit", "title", "period_start", "period_end", "text", "status", "year", "number",
                  "issued_at", "content"]
        read_only_fields = ["status", "year", "number", "issued_at", "content"]

    def create(self, validated_data):
        return bulletin_create(user=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("unit", None)
        return bulletin_update(bulletin=instance, user=self.context["request"].user, **validated_data)

    def to_representation(self, bulletin):
        data = super().to_representation(bulletin)
        if self.context.get("view") is not None and self.context["view"].action == "retrieve":
            data["content"] = bulletin_content(bulletin=bulletin, user=self.context["request"].user)
        return data


class BulletinViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ScopedReadOnlyModelViewSet):
    """Supervision bulletins: drafts are edited, `issue` numbers and freezes them."""

    queryset = Bulletin.objects.select_related("unit")
    serializer_class = BulletinSerializer
    filterset_class = BulletinFilterSet
    ordering_fields = ["issued_at", "number"]

    @extend_schema(request=None, responses=BulletinSerializer)
    @action(detail=True, methods=["post"],
            permission_classes=[ModelPermissions, HasPerms("duty.change_bulletin")])
    def issue(self, request, pk=None):
        bulletin = bulletin_issue(bulletin=self.get_object(), user=request.user)
        return Response(BulletinSerializer(bulletin, context={"request": request}).data)
