from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response

from audit.models import AuditAction
from audit.services import audit_record
from core.masking import mask_number
from core.validation import require_end_after_start
from core.api.serializers import ScopedPrimaryKeyRelatedField, Serializer, ValidatedModelSerializer
from core.api.viewsets import ScopedModelViewSet
from org.filters import PersonFilterSet, UnitFilterSet
from org.privacy import SENSITIVE_PERSON_FIELDS
from org.models import Person, Unit


class UnitSerializer(ValidatedModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "name", "kind", "parent", "code", "phone"]


@extend_schema_field({
    "type": "string", "maxLength": 32,
    "description": "A mobile or landline number; shown masked (138****5678) to whoever may not "
                   "see it whole (docs/SECURITY.md).",
})
class PhoneField(serializers.CharField):
    """A person's phone: checked on the way in by the model's own validator (full_clean); on
    the way out it may be masked, so the schema promises a string, not the input's pattern."""


class PersonSerializer(ValidatedModelSerializer):
    phone = PhoneField(max_length=32, required=False, allow_blank=True)

    class Meta:
        model = Person
        fields = [
            "id", "name", "kind", "unit", "school", "phone", "badge_no", "certificate_no",
            "hire_date", "active", "dismissed_reason", "dismissed_on",
        ]
        extra_kwargs = {"unit": {"required": False}}

    def to_representation(self, person):
        """The numbers masked for whoever may not see them whole (org/privacy.py)."""
        data = super().to_representation(person)
        request = self.context.get("request")
        if request is not None and not person.reveals_numbers_to(request.user):
            for name in SENSITIVE_PERSON_FIELDS:
                if data.get(name):
                    data[name] = mask_number(data[name])
        return data

    def validate(self, data):
        # A school's people belong to the school's station, as in the form.
        unit = data.get("unit", getattr(self.instance, "unit", None))
        if unit is None:
            school = data.get("school", getattr(self.instance, "school", None))
            if school is None:
                raise serializers.ValidationError(
                    {"unit": [_("Choose the unit, or the school for a school's people.")]}
                )
            data["unit"] = school.station
        return super().validate(data)


class UnitViewSet(ScopedModelViewSet):
    queryset = Unit.objects.all()
    serializer_class = UnitSerializer
    filterset_class = UnitFilterSet
    ordering_fields = ["name", "kind"]


class PersonViewSet(ScopedModelViewSet):
    queryset = Person.objects.select_related("unit", "school")
    serializer_class = PersonSerializer
    filterset_class = PersonFilterSet
    ordering_fields = ["name", "kind", "hire_date"]

    def retrieve(self, request, *args, **kwargs):
        person = self.get_object()
        audit_record(action=AuditAction.READ_PERSONAL, request=request, obj=person, detail={"via": "api"})
        return Response(self.get_serializer(person).data)


class PeriodQuery(Serializer):
    """The query of a figures endpoint, `?start=&end=&unit=`: whole days, both optional, the
    end not before the start, a unit in the user's scope (another station's is "does not
    exist"); any other parameter is a 400 naming it. The figures of incidents, inspections
    and the key-person register read it."""

    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)
    unit = ScopedPrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False)

    def validate(self, data):
        unknown = set(self.initial_data) - set(self.fields)
        if unknown:
            raise serializers.ValidationError({name: [_("Unknown query parameter.")] for name in sorted(unknown)})
        if data.get("start") and data.get("end"):
            require_end_after_start(start=data["start"], end=data["end"], end_field="end")
        return data
