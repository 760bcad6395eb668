from django.core.validators import MaxValueValidator, MinValueValidator
from rest_framework import serializers
from rest_framework.utils.formatting import lazy_format

from core.bounds import DEFAULT_INTEGER_RANGE, FLOAT_LIMIT, column_range, model_column, narrow_field_range
from core.scope import write_refusal

NUMBER_FIELDS = (serializers.IntegerField, serializers.FloatField, serializers.DecimalField)


def bound_number_field(field: serializers.Field, low, high) -> None:
    """Narrow a number field's range to [low, high] (keeping a narrower one it already has),
    replacing its min/max validators so a value out of range gets exactly one message."""
    low, high = narrow_field_range(field, low, high)
    field.validators.append(MaxValueValidator(high, message=lazy_format(field.error_messages["max_value"], max_value=high)))
    field.validators.append(MinValueValidator(low, message=lazy_format(field.error_messages["min_value"], min_value=low)))


class ColumnBoundsMixin:
    """Every number a serializer takes in is bounded by the column it is stored in: the
    field of `Meta.model` it names (its `source`), else a plain integer column's range (a
    float: FLOAT_LIMIT). A number the database cannot hold is then a 400 naming the field,
    on SQLite as on PostgreSQL, never a 500."""

    def get_fields(self):
        fields = super().get_fields()
        model = getattr(getattr(self, "Meta", None), "model", None)
        for name, field in fields.items():
            if field.read_only or not isinstance(field, NUMBER_FIELDS):
                continue
            source = field.source if field.source not in (None, "*") else name
            bounds = column_range(model_column(model, source.replace(".", "__"))) if model else None
            if bounds is None:
                bounds = (-FLOAT_LIMIT, FLOAT_LIMIT) if isinstance(field, serializers.FloatField) else DEFAULT_INTEGER_RANGE
            bound_number_field(field, *bounds)
        return fields


class Serializer(ColumnBoundsMixin, serializers.Serializer):
    """A serializer that is not a model's. `Meta.model` may name the model whose columns
    bound its numbers (a check-in's location is stored in CheckIn's columns)."""


class ModelSerializer(ColumnBoundsMixin, serializers.ModelSerializer):
    """A model's serializer whose numbers are bounded by their columns."""


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A related object chosen by id, from what the requesting user may see. An id from
    another station is "does not exist", exactly like an id that does not exist."""

    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request")
        if request is None:
            return queryset.none()
        return queryset.visible_to(request.user)


class ValidatedModelSerializer(ModelSerializer):
    """Runs the model's full_clean() (field validators, clean(), unique and check
    constraints) so the API refuses exactly what the forms refuse.

    `Meta.derived_fields` names fields the model's clean() sets from others (a leave's
    station from its person): they are not asked for, and are saved as clean() set them."""

    serializer_related_field = ScopedPrimaryKeyRelatedField

    def validate(self, data):
        attrs = dict(data)
        opts = self.Meta.model._meta
        for field in [*opts.local_many_to_many, *opts.related_objects]:
            attrs.pop(field.name, None)
        if self.instance is None:
            instance = self.Meta.model(**attrs)
        else:
            instance = self.instance
            for key, value in attrs.items():
                setattr(instance, key, value)
        request = self.context.get("request")
        if request is not None:
            error = write_refusal(request.user, instance)
            if error:
                raise serializers.ValidationError(error)
        derived = list(getattr(self.Meta, "derived_fields", ()))
        instance.full_clean(exclude=derived)
        for name in derived:
            data[f"{name}_id"] = getattr(instance, f"{name}_id")
        return data
