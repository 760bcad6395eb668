"""The base of every list filter (django-filter FilterSets, shared by the list pages and the
API): yes/no filters offer "all" rather than "unknown", and number filters are bounded by
the column they filter, so an absurd id is a 400 naming the parameter."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from core.bounds import column_range, model_column


class AllYesNoSelect(forms.NullBooleanSelect):
    """A yes/no filter: 全部 (no filter), 是, 否. It reads what NullBooleanSelect reads
    (true/false, True/False), so `?active=true` works the same in the API."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", _("All")), ("true", _("Yes")), ("false", _("No"))]

    def format_value(self, value):
        value = super().format_value(value)
        return ["" if value == "unknown" else value]


class AnyOfField(django_filters.fields.MultipleChoiceField):
    """Several values of one parameter (`?kind=help&kind=alarm`); an empty one (`?kind=`, a
    form left at "all") is no filter rather than an invalid choice."""

    def to_python(self, value):
        return [item for item in super().to_python(value) if item != ""]

    def validate(self, value):
        if value:
            super().validate(value)


class MultipleChoiceFilter(django_filters.MultipleChoiceFilter):
    """Rows matching any of the values given; none given, every row."""

    field_class = AnyOfField


class FilterSet(django_filters.FilterSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model = self._meta.model
        for filter_ in self.filters.values():
            if isinstance(filter_, django_filters.BooleanFilter):
                filter_.extra.setdefault("widget", AllYesNoSelect)
            elif isinstance(filter_, django_filters.NumberFilter):
                bounds = column_range(model_column(model, filter_.field_name))
                if bounds is not None:
                    filter_.extra.setdefault("min_value", bounds[0])
                    filter_.extra.setdefault("max_value", bounds[1])
            else:
                continue
            # The form field is built from `extra` on first use; build it afresh.
            filter_.__dict__.pop("_field", None)
