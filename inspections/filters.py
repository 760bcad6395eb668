"""The FilterSets of the inspection, hazard, notice, improvement and joint-operation lists,
shared by the pages and the API (the contract's names: `school`, `status`, `category`,
`kind`, `date_from`/`date_to`, ...)."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet, MultipleChoiceFilter
from inspections.models import (
    ChecklistTemplate,
    Hazard,
    HazardCategory,
    HazardSource,
    HazardStatus,
    Improvement,
    ImprovementKind,
    Inspection,
    InspectionStatus,
    JointOperation,
    Notice,
    Severity,
)
from org.filters import visible_schools, visible_units


def _station(queryset, name, value):
    # A unit and the units below it, as the figures count a unit (a bureau: its stations).
    return queryset.filter(school__station_id__in=value.subtree_ids()) if value else queryset


class InspectionFilterSet(FilterSet):
    school = django_filters.ModelChoiceFilter(queryset=visible_schools, label=_("school"))
    station = django_filters.ModelChoiceFilter(queryset=visible_units, field_name="school__station", method="filter_station",
                                               label=_("police station"))
    status = MultipleChoiceFilter(choices=InspectionStatus.choices, label=_("status"))
    template = django_filters.ModelChoiceFilter(queryset=ChecklistTemplate.objects.all(), label=_("checklist"))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("from"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("to"))
    carried_out = django_filters.BooleanFilter(method="filter_carried_out", label=_("carried out (not a draft)"))

    class Meta:
        model = Inspection
        fields = ["school", "station", "status", "template", "date_from", "date_to", "carried_out"]

    def filter_station(self, queryset, name, value):
        return _station(queryset, name, value)

    def filter_carried_out(self, queryset, name, value):
        if value is None:
            return queryset
        drafts = {"status": InspectionStatus.DRAFT}
        return queryset.exclude(**drafts) if value else queryset.filter(**drafts)


class HazardFilterSet(FilterSet):
    school = django_filters.ModelChoiceFilter(queryset=visible_schools, label=_("school"))
    station = django_filters.ModelChoiceFilter(queryset=visible_units, field_name="school__station", method="filter_station",
                                               label=_("police station"))
    inspection = django_filters.NumberFilter(field_name="inspection_id", label=_("inspection"))
    category = MultipleChoiceFilter(choices=HazardCategory.choices, label=_("category"))
    status = MultipleChoiceFilter(choices=HazardStatus.choices, label=_("status"))
    severity = django_filters.ChoiceFilter(choices=Severity.choices, label=_("severity"))
    source = django_filters.ChoiceFilter(choices=HazardSource.choices, label=_("source"))
    found_on_from = django_filters.DateFilter(field_name="found_on", lookup_expr="gte", label=_("found from"))
    found_on_to = django_filters.DateFilter(field_name="found_on", lookup_expr="lte", label=_("found to"))
    deadline_from = django_filters.DateFilter(field_name="deadline", lookup_expr="gte", label=_("deadline from"))
    deadline_to = django_filters.DateFilter(field_name="deadline", lookup_expr="lte", label=_("deadline to"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("overdue"))

    class Meta:
        model = Hazard
        fields = ["school", "station", "inspection", "category", "status", "severity", "source", "found_on_from",
                  "found_on_to", "deadline_from", "deadline_to", "overdue"]

    def filter_station(self, queryset, name, value):
        return _station(queryset, name, value)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = Hazard.objects.overdue(today=timezone.localdate()).values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)


class NoticeFilterSet(FilterSet):
    school = django_filters.ModelChoiceFilter(queryset=visible_schools, label=_("school"))
    station = django_filters.ModelChoiceFilter(queryset=visible_units, field_name="school__station", method="filter_station",
                                               label=_("police station"))
    status = django_filters.ChoiceFilter(choices=Notice.Status.choices, label=_("status"))
    year = django_filters.NumberFilter(label=_("year"))
    number = django_filters.NumberFilter(label=_("number"))
    issued_on_from = django_filters.DateFilter(field_name="issued_on", lookup_expr="gte", label=_("issued from"))
    issued_on_to = django_filters.DateFilter(field_name="issued_on", lookup_expr="lte", label=_("issued to"))

    class Meta:
        model = Notice
        fields = ["school", "station", "status", "year", "number", "issued_on_from", "issued_on_to"]

    def filter_station(self, queryset, name, value):
        return _station(queryset, name, value)


class ImprovementFilterSet(FilterSet):
    school = django_filters.ModelChoiceFilter(queryset=visible_schools, label=_("school"))
    station = django_filters.ModelChoiceFilter(queryset=visible_units, field_name="school__station", method="filter_station",
                                               label=_("police station"))
    kind = MultipleChoiceFilter(choices=ImprovementKind.choices, label=_("kind"))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("from"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("to"))

    class Meta:
        model = Improvement
        fields = ["school", "station", "kind", "date_from", "date_to"]

    def filter_station(self, queryset, name, value):
        return _station(queryset, name, value)


class JointOperationFilterSet(FilterSet):
    unit = django_filters.ModelChoiceFilter(queryset=visible_units, method="filter_unit", label=_("organising unit"))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("from"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("to"))
    title = django_filters.CharFilter(lookup_expr="icontains", label=_("title"))

    class Meta:
        model = JointOperation
        fields = ["unit", "date_from", "date_to", "title"]

    def filter_unit(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(unit_id__in=value.subtree_ids())


class ChecklistTemplateFilterSet(FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains", label=_("name"))
    active = django_filters.BooleanFilter(label=_("active"))

    class Meta:
        model = ChecklistTemplate
        fields = ["name", "active"]
