"""API for supervision: spot checks with their findings (and a random sample of the posts on
duty now), and the bulletins (drafts edited, `issue` numbers and freezes them)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from attendance.api import CheckInSerializer
from core.api.permissions import HasPerms, ModelPermissions
from core.api.serializers import ModelSerializer, ScopedPrimaryKeyRelatedField
from core.api.viewsets import ScopedReadOnlyModelViewSet
from org.models import Person, Unit
from posts.models import Post
from supervision.filters import BulletinFilterSet, SpotCheckFilterSet
from supervision.models import Bulletin, Finding, FindingIssue, SpotCheck, SpotCheckMethod
from supervision.selectors import bulletin_content, contradictions
from supervision.services import (
    SAMPLE_SIZE,
    SAMPLE_SIZE_MAX,
    bulletin_create,
    bulletin_issue,
    bulletin_update,
    random_sample,
    spot_check_create,
)


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
            permission_classes=[ModelPermissions, HasPerms("supervision.add_spotcheck")])
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
            permission_classes=[ModelPermissions, HasPerms("supervision.change_bulletin")])
    def issue(self, request, pk=None):
        bulletin = bulletin_issue(bulletin=self.get_object(), user=request.user)
        return Response(BulletinSerializer(bulletin, context={"request": request}).data)
