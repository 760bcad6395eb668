from rest_framework import serializers

from org.scope import district_wide_write_error


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A related object chosen by id, from what the requesting user may see. An id from
    another station is "does not exist", exactly like an id that does not exist."""

    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request")
        if request is None:
            return queryset.none()
        return queryset.visible_to(request.user)


class ValidatedModelSerializer(serializers.ModelSerializer):
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
            error = district_wide_write_error(request.user, instance)
            if error:
                raise serializers.ValidationError(error)
        derived = list(getattr(self.Meta, "derived_fields", ()))
        instance.full_clean(exclude=derived)
        for name in derived:
            data[f"{name}_id"] = getattr(instance, f"{name}_id")
        return data
