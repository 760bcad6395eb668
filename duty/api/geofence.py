"""How far a phone is from a post, and whether that is inside its geofence: the answer the
check-in would give, for the post page's "how far am I" button."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from duty.services.attendance import geofence_verdict
from core.api.permissions import HasPerms
from core.api.serializers import Serializer
from posts.models import Post


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
