"""The FilterSets of the outreach lists, shared by the pages and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet, MultipleChoiceFilter
from org.filters import UnitTreeFilter, visible_schools, visible_units
from outreach.models import (
    Activity,
    ActivityKind,
    Drill,
    DrillKind,
    DrillPlan,
    DrillSource,
    Stage,
    Topic,
    Training,
    TrainingKind,
    stage_met_q,
    stage_missed_q,
)
from posts.models import Term


def visible_terms(request):
    if request is None:
        return Term.objects.none()
    return Term.objects.visible_to(request.user)


class DateRangeFilterSet(FilterSet):
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("from"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("to"))


class ActivityFilterSet(DateRangeFilterSet):
    kind = django_filters.ChoiceFilter(choices=ActivityKind.choices, label=_("kind"))
    topic = django_filters.ChoiceFilter(choices=Topic.choices, label=_("topic"))
    school = django_filters.ModelChoiceFilter(queryset=visible_schools, label=_("school"))
    station = UnitTreeFilter(field_name="station", label=_("police station"))

    class Meta:
        model = Activity
        fields = ["kind", "topic", "school", "station", "date_from", "date_to"]


class TrainingFilterSet(DateRangeFilterSet):
    kind = django_filters.ChoiceFilter(choices=TrainingKind.choices, label=_("kind"))
    unit = UnitTreeFilter(field_name="unit", label=_("organising unit"))
    school = django_filters.ModelChoiceFilter(queryset=visible_schools, label=_("school"))

    class Meta:
        model = Training
        fields = ["kind", "unit", "school", "date_from", "date_to"]


class DrillFilterSet(DateRangeFilterSet):
    kind = MultipleChoiceFilter(choices=DrillKind.choices, label=_("kind"))
    school = django_filters.ModelChoiceFilter(queryset=visible_schools, label=_("school"))
    station = UnitTreeFilter(field_name="station", label=_("police station"))
    source = django_filters.ChoiceFilter(choices=DrillSource.choices, label=_("source"))
    met = django_filters.BooleanFilter(method="filter_met", label=_('"135" all stages met'))

    class Meta:
        model = Drill
        fields = ["kind", "school", "station", "source", "met", "date_from", "date_to"]

    def filter_met(self, queryset, name, value):
        """Yes: every stage met; no: some stage missed (the rule is outreach.models')."""
        if value:
            condition = Q()
            for stage in Stage.values:
                condition &= stage_met_q(stage)
            return queryset.filter(condition)
        condition = Q()
        for stage in Stage.values:
            condition |= stage_missed_q(stage)
        return queryset.filter(condition)


class DrillPlanFilterSet(FilterSet):
    school = django_filters.ModelChoiceFilter(queryset=visible_schools, label=_("school"))
    station = django_filters.ModelChoiceFilter(queryset=visible_units, label=_("police station"))
    term = django_filters.ModelChoiceFilter(queryset=visible_terms, label=_("term"))
    kind = django_filters.ChoiceFilter(choices=DrillKind.choices, label=_("kind"))

    class Meta:
        model = DrillPlan
        fields = ["school", "station", "term", "kind"]
