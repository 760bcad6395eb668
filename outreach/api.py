"""API for outreach: activities, trainings, drills (with the "135" pull: `POST drills/pull/`
starts one, `POST drills/{id}/arrivals/` taps an arrival, `POST drills/{id}/close/` ends it)
and drill plans. Every write goes through outreach.services."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.permissions import HasPerms
from core.api.serializers import ModelSerializer, ScopedPrimaryKeyRelatedField, Serializer
from core.api.viewsets import ScopedReadOnlyModelViewSet
from org.models import Person, Unit
from outreach.filters import ActivityFilterSet, DrillFilterSet, DrillPlanFilterSet, TrainingFilterSet
from outreach.models import (
    Activity,
    ActivityKind,
    Drill,
    DrillArrival,
    DrillKind,
    DrillPlan,
    Stage,
    Topic,
    Training,
    TrainingKind,
)
from outreach.services import (
    activity_create,
    activity_update,
    drill_create,
    drill_plan_save,
    drill_update,
    rapid_response_arrival,
    rapid_response_close,
    rapid_response_pull_start,
    training_create,
    training_update,
)
from posts.models import School, Term


class WriteViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin,
                   ScopedReadOnlyModelViewSet):
    """Read, create, update and delete over the user's scope; the serializers write through
    the services."""


class ActivitySerializer(ModelSerializer):
    kind = serializers.ChoiceField(choices=ActivityKind.choices)
    topic = serializers.ChoiceField(choices=Topic.choices)
    school = ScopedPrimaryKeyRelatedField(queryset=School.objects.all(), required=False, allow_null=True)
    station = ScopedPrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False,
                                           help_text="For an open day with no school: the station that held it "
                                                     "(default: the user's).")
    photos = serializers.SerializerMethodField()

    class Meta:
        model = Activity
        fields = ["id", "kind", "topic", "school", "station", "date", "audience", "materials", "place", "note",
                  "photos"]

    def get_photos(self, activity) -> int:
        return len(activity.photos.all())

    def create(self, validated_data):
        return activity_create(user=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        return activity_update(activity=instance, user=self.context["request"].user, **validated_data)


class ActivityViewSet(WriteViewSet):
    """Publicity in schools: talks, exhibitions, films, open days and leaflets. Photos are
    added on the activity's page."""

    queryset = Activity.objects.prefetch_related("photos")
    serializer_class = ActivitySerializer
    filterset_class = ActivityFilterSet
    ordering_fields = ["date"]


class TrainingSerializer(ModelSerializer):
    kind = serializers.ChoiceField(choices=TrainingKind.choices)
    unit = ScopedPrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False,
                                        help_text="The organising unit (default: the user's).")
    school = ScopedPrimaryKeyRelatedField(queryset=School.objects.all(), required=False, allow_null=True)
    people = ScopedPrimaryKeyRelatedField(queryset=Person.objects.all(), many=True, required=False)

    class Meta:
        model = Training
        fields = ["id", "unit", "kind", "date", "school", "place", "batch", "trainees", "subjects", "people"]

    def create(self, validated_data):
        return training_create(user=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        return training_update(training=instance, user=self.context["request"].user, **validated_data)


class TrainingViewSet(WriteViewSet):
    """Trainings: police batches and school-security sessions."""

    queryset = Training.objects.prefetch_related("people")
    serializer_class = TrainingSerializer
    filterset_class = TrainingFilterSet
    ordering_fields = ["date"]


class StageSerializer(Serializer):
    stage = serializers.CharField()
    label = serializers.CharField()
    target = serializers.IntegerField(help_text="Seconds after the alarm.")
    at = serializers.DateTimeField(allow_null=True)
    seconds = serializers.IntegerField(allow_null=True, help_text="Seconds after the alarm it arrived.")
    margin = serializers.IntegerField(allow_null=True, help_text="Seconds to spare (negative: over the target).")
    result = serializers.ChoiceField(choices=["met", "missed", "pending"])


class DrillSerializer(ModelSerializer):
    school = ScopedPrimaryKeyRelatedField(queryset=School.objects.all())
    kind = serializers.ChoiceField(choices=DrillKind.choices)
    date = serializers.DateField(required=False, help_text="The alarm's day when an alarm is given.")
    stages = serializers.SerializerMethodField()

    class Meta:
        model = Drill
        fields = ["id", "school", "station", "kind", "date", "participants", "alarm_at", "school_response_at",
                  "police_arrival_at", "reinforcement_at", "source", "closed_at", "note", "stages"]
        read_only_fields = ["station", "source", "closed_at"]

    @extend_schema(responses=StageSerializer(many=True))
    def get_stages(self, drill) -> list[dict]:
        return [StageSerializer(result).data for result in drill.stage_results()]

    def validate(self, attrs):
        if self.instance is None and not attrs.get("date") and not attrs.get("alarm_at"):
            raise serializers.ValidationError({"date": [_("Give the date, or the time of the alarm.")]})
        return attrs

    def create(self, validated_data):
        return drill_create(user=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        return drill_update(drill=instance, user=self.context["request"].user, **validated_data)


class PullSerializer(Serializer):
    school = ScopedPrimaryKeyRelatedField(queryset=School.objects.all())


class ArrivalSerializer(Serializer):
    stage = serializers.ChoiceField(choices=Stage.choices)
    lat = serializers.DecimalField(max_digits=9, decimal_places=6, min_value=-90, max_value=90, required=False,
                                   allow_null=True)
    lng = serializers.DecimalField(max_digits=9, decimal_places=6, min_value=-180, max_value=180, required=False,
                                   allow_null=True)
    accuracy_m = serializers.IntegerField(min_value=0, required=False, allow_null=True)

    class Meta:
        model = DrillArrival


class ArrivalOutSerializer(ModelSerializer):
    class Meta:
        model = DrillArrival
        fields = ["id", "drill", "stage", "user", "person", "tapped_at", "lat", "lng", "accuracy_m", "distance_m"]


class DrillViewSet(WriteViewSet):
    """Drills in schools, and the "135" rapid response: a drill recorded afterwards, or a pull
    started from Huxue (`pull`) whose arrivals are tapped on phones (`arrivals`)."""

    queryset = Drill.objects.all()
    serializer_class = DrillSerializer
    filterset_class = DrillFilterSet
    ordering_fields = ["date", "alarm_at"]

    @extend_schema(request=PullSerializer, responses={201: DrillSerializer})
    # Starting a pull is not adding a drill by hand: HQ's command centre may pull, not record.
    @action(detail=False, methods=["post"], permission_classes=[HasPerms("outreach.view_drill", "outreach.start_pull")])
    def pull(self, request):
        """Start a "135" pull at a school now: the alarm is the server's clock, and the people on
        duty nearby are called."""
        data = PullSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        drill = rapid_response_pull_start(school=data.validated_data["school"], user=request.user)
        return Response(DrillSerializer(drill, context={"request": request}).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ArrivalSerializer, responses={201: inline_serializer(
        "ArrivalAnswer", {"arrival": ArrivalOutSerializer(), "drill": DrillSerializer()})})
    @action(detail=True, methods=["post"],
            permission_classes=[HasPerms("outreach.view_drill"),
                                HasPerms("outreach.add_drillarrival", on_object=True)])
    def arrivals(self, request, pk=None):
        """Tap an arrival for a stage: stamped by the server's clock, the phone's position kept.
        Officers tap without the right to add drills: reading the drill (his station's, or a
        pull he was called to) and adding arrivals is what it takes."""
        drill = self.get_object()
        data = ArrivalSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        arrival = rapid_response_arrival(drill=drill, user=request.user, **data.validated_data)
        drill.refresh_from_db()
        return Response({"arrival": ArrivalOutSerializer(arrival).data,
                         "drill": DrillSerializer(drill, context={"request": request}).data},
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=DrillSerializer)
    @action(detail=True, methods=["post"],
            permission_classes=[HasPerms("outreach.view_drill"), HasPerms("outreach.start_pull", on_object=True)])
    def close(self, request, pk=None):
        """End a pull: a stage not arrived by now is missed."""
        drill = rapid_response_close(drill=self.get_object(), user=request.user)
        return Response(DrillSerializer(drill, context={"request": request}).data)


class DrillPlanSerializer(ModelSerializer):
    school = ScopedPrimaryKeyRelatedField(queryset=School.objects.all())
    term = ScopedPrimaryKeyRelatedField(queryset=Term.objects.all())
    kind = serializers.ChoiceField(choices=DrillKind.choices)

    class Meta:
        model = DrillPlan
        fields = ["id", "school", "station", "term", "kind", "planned"]
        read_only_fields = ["station"]
        validators = []  # the unique constraint is checked by the service's full_clean, as a 400

    def create(self, validated_data):
        return drill_plan_save(user=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        return drill_plan_save(user=self.context["request"].user, plan=instance, **validated_data)


class DrillPlanViewSet(WriteViewSet):
    """Each school's planned drills of a kind in a term."""

    queryset = DrillPlan.objects.select_related("school", "term")
    serializer_class = DrillPlanSerializer
    filterset_class = DrillPlanFilterSet
