"""The incident list's filters, shared by the page and the API (the contract's names: `kind`,
`station`, `school`, `post`, `occurred_at_from`/`occurred_at_to`, `resolved`, `publicity`),
and `overdue` (emergencies not closed in time) and `reported` (drafts left out)."""

import datetime

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet, MultipleChoiceFilter
from duty.filters import visible_posts
from incidents.models import Incident, IncidentKind, IncidentStatus
from incidents.selectors import day_start
from org.filters import visible_schools, visible_units


class IncidentFilterSet(FilterSet):
    kind = MultipleChoiceFilter(choices=IncidentKind.choices, label=_("kind"))
    # A unit and the units below it, as the figures count a unit (a bureau: its stations).
    station = django_filters.ModelChoiceFilter(queryset=visible_units, method="filter_station",
                                               label=_("police station"))
    school = django_filters.ModelChoiceFilter(queryset=visible_schools, label=_("school"))
    post = django_filters.ModelChoiceFilter(queryset=visible_posts, label=_("post"))
    status = django_filters.ChoiceFilter(choices=IncidentStatus.choices, label=_("status"))
    # Whole days of the local calendar, though occurred_at is a moment.
    occurred_at_from = django_filters.DateFilter(field_name="occurred_at", method="filter_from", label=_("from"))
    occurred_at_to = django_filters.DateFilter(field_name="occurred_at", method="filter_to", label=_("to"))
    resolved = django_filters.BooleanFilter(label=_("resolved"))
    publicity = django_filters.BooleanFilter(label=_("for publicity"))
    reported = django_filters.BooleanFilter(method="filter_reported", label=_("reported"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("emergency overdue"))

    class Meta:
        model = Incident
        fields = ["kind", "station", "school", "post", "status", "occurred_at_from", "occurred_at_to", "resolved",
                  "publicity", "reported", "overdue"]

    def filter_station(self, queryset, name, value):
        return queryset.filter(station_id__in=value.subtree_ids())

    def filter_from(self, queryset, name, value):
        return queryset.filter(**{f"{name}__gte": day_start(value)})

    def filter_to(self, queryset, name, value):
        return queryset.filter(**{f"{name}__lt": day_start(value + datetime.timedelta(days=1))})

    def filter_reported(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.reported() if value else queryset.filter(status=IncidentStatus.DRAFT)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = Incident.objects.overdue_emergencies().values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)
