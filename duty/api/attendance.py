"""API for attendance: check-in/out on assignments. Spot checks and bulletins are
supervision/api.py; the figures are reports/api.py."""

import contextlib

from django.http import Http404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from core.api.permissions import HasPerms, ModelPermissions
from core.api.serializers import Serializer
from duty.models import Assignment, CheckIn, CheckInMethod, KitItem
from duty.services.attendance import assignment_check_in, assignment_check_out, assignment_excuse


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
