"""The attendance API: check-in, check-out and excuse on an assignment
(/api/v1/assignments/{id}/check-in/, check-out/, excuse/), and how far a phone is from a post
(/api/v1/posts/{id}/distance/). Mounted by attendance/registry.py at the addresses they had
when they were duty's; spot checks and bulletins are supervision/api.py, the figures
reports/api.py."""

import contextlib

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from attendance.models import CheckIn, CheckInMethod, KitItem
from attendance.services import assignment_check_in, assignment_check_out, assignment_excuse, geofence_verdict
from core.api.permissions import HasPerms, ModelPermissions
from core.api.serializers import Serializer
from duty.models import Assignment
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


class AssignmentAttendanceViewSet(viewsets.GenericViewSet):
    """Attendance on an assignment: `check-in` and `check-out` at the post, and the
    dispatcher's `excuse` for an absence."""

    # Actions on duty's assignments that duty's AssignmentViewSet does not know about: routed
    # by attendance/registry.py at assignments/{id}/check-in/ etc., named "assignment-check-in"
    # etc., as when they were that viewset's.

    queryset = Assignment.objects.select_related("person", "shift")

    # check-in and check-out are not "add an assignment" (the model permission for a POST,
    # which officers do not have): signed in is enough to reach them, and the service decides
    # whose assignment it is and who may record a radio roll-call.

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)

    def get_serializer_class(self):
        # The body each action reads. Every route here answers a POST only, so an OPTIONS
        # request (action "metadata") describes the body of its route's POST.
        action = self.action_map.get("post", self.action)
        return {"check_in": CheckInRequestSerializer, "check_out": CheckOutRequestSerializer,
                "excuse": ExcuseSerializer}[action]

    @staticmethod
    def _pk(pk) -> int:
        try:
            return int(pk)
        except (TypeError, ValueError):
            raise Http404 from None

    @staticmethod
    @contextlib.contextmanager
    def _found_or_404():
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


class LocationSerializer(Serializer):
    lat = serializers.FloatField(min_value=-90, max_value=90)
    lng = serializers.FloatField(min_value=-180, max_value=180)


class PostDistanceView(APIView):
    """GET ?lat=&lng=: the distance in metres from the post's point (the school's when the
    post has none) and whether it is inside the geofence, by the check-in's own rule. Both
    are null when there is no point to measure from. Another station's post is not found."""

    permission_classes = [HasPerms("posts.view_post")]

    @extend_schema(
        parameters=[OpenApiParameter("lat", float, required=True), OpenApiParameter("lng", float, required=True)],
        responses=inline_serializer("PostDistance", {
            "distance_m": serializers.IntegerField(allow_null=True),
            "inside": serializers.BooleanField(allow_null=True),
            "radius_m": serializers.IntegerField(),
        }),
    )
    def get(self, request, pk: int):
        post = get_object_or_404(Post.objects.visible_to(request.user).select_related("school"), pk=pk)
        location = LocationSerializer(data=request.query_params)
        location.is_valid(raise_exception=True)
        _lat, _lng, distance, inside = geofence_verdict(post=post, **location.validated_data)
        return Response({"distance_m": round(distance) if distance is not None else None, "inside": inside,
                         "radius_m": post.radius_m})
