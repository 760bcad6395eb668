"""The audit administrator's search over the trail (the list page and its export): a time
range, who (the account, or the username tried), his unit, what was done, to what, and
the result."""

import django_filters
from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from audit.models import AuditAction, AuditEvent, AuditResult
from core.filters import FilterSet


def accounts(request):
    return get_user_model()._default_manager.order_by("username")


def units(request):
    # The user's unit, reached through the user model's own field: audit sits below org.
    return get_user_model()._meta.get_field("unit").related_model._default_manager.order_by("name")


def object_types() -> list[tuple[str, str]]:
    """Every installed model, as the trail names it ("org.person"), with its name."""
    return sorted(((model._meta.label_lower, f"{model._meta.verbose_name}（{model._meta.label_lower}）")
                   for model in apps.get_models()), key=lambda choice: choice[0])


def datetime_input() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class AuditEventFilterSet(FilterSet):
    time_from = django_filters.DateTimeFilter(field_name="time", lookup_expr="gte", label=_("start time"),
                                              widget=datetime_input())
    time_to = django_filters.DateTimeFilter(field_name="time", lookup_expr="lte", label=_("end time"),
                                            widget=datetime_input())
    user = django_filters.ModelChoiceFilter(queryset=accounts, label=_("user"))
    username = django_filters.CharFilter(lookup_expr="icontains", label=_("username"))
    unit = django_filters.ModelChoiceFilter(queryset=units, method="filter_unit", label=_("unit"))
    action = django_filters.ChoiceFilter(choices=AuditAction.choices, label=_("action"))
    object_type = django_filters.ChoiceFilter(choices=object_types, label=_("object type"))
    object_id = django_filters.CharFilter(label=_("object id"))
    result = django_filters.ChoiceFilter(choices=AuditResult.choices, label=_("result"))

    class Meta:
        model = AuditEvent
        fields = ["time_from", "time_to", "user", "username", "unit", "action", "object_type", "object_id", "result"]

    def filter_unit(self, queryset, name, value):
        # The row keeps the unit's id (and its name then), not a foreign key.
        return queryset.filter(unit_id=value.pk)
