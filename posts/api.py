from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import ValidatedModelSerializer
from core.api.viewsets import ScopedModelViewSet
from org.models import STANDARD_STAFFING, PersonKind
from posts.filters import (
    CalendarOverrideFilterSet,
    PostFilterSet,
    SchoolFilterSet,
    TermFilterSet,
    TimetableFilterSet,
)
from posts.models import CalendarOverride, Post, School, Term, Timetable, mask_to_weekdays, weekdays_to_mask


@extend_schema_field({"type": "object", "additionalProperties": {"type": "integer", "minimum": 0, "maximum": 50},
                      "example": {k.value: v for k, v in STANDARD_STAFFING.items()}})
class StaffingField(serializers.Field):
    """`{"police": 1, "guard": 2, …}` ⇄ the post's need_* columns. Kinds left out keep
    their current (or standard) count."""

    def __init__(self, **kwargs):
        super().__init__(source="*", required=False, **kwargs)

    def to_representation(self, post):
        return post.staffing

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError(_("Give an object of kind: count."))
        values = {}
        for kind, count in data.items():
            if kind not in PersonKind.values:
                raise serializers.ValidationError(
                    _("Unknown kind %(kind)s; use one of %(kinds)s.") % {"kind": kind, "kinds": ", ".join(PersonKind.values)}
                )
            if not isinstance(count, int) or isinstance(count, bool) or not 0 <= count <= 50:
                raise serializers.ValidationError(_("%(kind)s: give a whole number from 0 to 50.") % {"kind": kind})
            values[f"need_{kind}"] = count
        return values


@extend_schema_field({"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 7}})
class WeekdaysField(serializers.Field):
    """ISO weekdays as a list ([1, 2, 3, 4, 5] = Monday to Friday)."""

    def to_representation(self, mask):
        return mask_to_weekdays(mask)

    def to_internal_value(self, data):
        if not isinstance(data, list) or not data:
            raise serializers.ValidationError(_("Give a non-empty list of ISO weekdays, 1 (Monday) to 7 (Sunday)."))
        if any(not isinstance(d, int) or isinstance(d, bool) or not 1 <= d <= 7 for d in data):
            raise serializers.ValidationError(_("Weekdays are whole numbers from 1 (Monday) to 7 (Sunday)."))
        return weekdays_to_mask(data)


class SchoolSerializer(ValidatedModelSerializer):
    class Meta:
        model = School
        fields = ["id", "name", "kind", "station", "address", "lat", "lng", "pupils", "contact_name", "contact_phone"]


class PostSerializer(ValidatedModelSerializer):
    staffing = StaffingField()

    class Meta:
        model = Post
        fields = ["id", "school", "name", "station", "lat", "lng", "radius_m", "lead_minutes", "active", "staffing"]
        extra_kwargs = {"station": {"required": False}}

    def validate(self, data):
        if data.get("station") is None and getattr(self.instance, "station_id", None) is None:
            school = data.get("school")
            if school is None:
                raise serializers.ValidationError({"station": [_("Choose the police station.")]})
            data["station"] = school.station
        return super().validate(data)


class TermSerializer(ValidatedModelSerializer):
    class Meta:
        model = Term
        fields = ["id", "school", "name", "start", "end"]


class CalendarOverrideSerializer(ValidatedModelSerializer):
    class Meta:
        model = CalendarOverride
        fields = ["id", "school", "date", "is_school_day", "follows_weekday", "reason"]


class TimetableSerializer(ValidatedModelSerializer):
    weekdays = WeekdaysField()

    class Meta:
        model = Timetable
        fields = ["id", "school", "period", "weekdays", "start", "end", "valid_from", "valid_to"]


class SchoolViewSet(ScopedModelViewSet):
    queryset = School.objects.all()
    serializer_class = SchoolSerializer
    filterset_class = SchoolFilterSet
    ordering_fields = ["name", "pupils"]


class PostViewSet(ScopedModelViewSet):
    queryset = Post.objects.all()
    serializer_class = PostSerializer
    filterset_class = PostFilterSet
    ordering_fields = ["name"]


class TermViewSet(ScopedModelViewSet):
    queryset = Term.objects.all()
    serializer_class = TermSerializer
    filterset_class = TermFilterSet
    ordering_fields = ["start"]


class CalendarOverrideViewSet(ScopedModelViewSet):
    queryset = CalendarOverride.objects.all()
    serializer_class = CalendarOverrideSerializer
    filterset_class = CalendarOverrideFilterSet
    ordering_fields = ["date"]


class TimetableViewSet(ScopedModelViewSet):
    queryset = Timetable.objects.all()
    serializer_class = TimetableSerializer
    filterset_class = TimetableFilterSet
    ordering_fields = ["valid_from"]
