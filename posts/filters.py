import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet
from org.filters import SearchFilterSet, UnitTreeFilter, visible_schools, visible_units
from posts.selectors import school_covered_q
from posts.models import CalendarOverride, Holiday, Period, Post, School, SchoolKind, Term, Timetable


class SchoolFilterSet(SearchFilterSet):
    search_fields = ("name", "address")
    kind = django_filters.ChoiceFilter(choices=SchoolKind.choices, label=_("kind"))
    station = UnitTreeFilter(field_name="station", label=_("police station"))
    # 全覆盖: a school is covered when it has an active post (what the figures count).
    covered = django_filters.BooleanFilter(method="filter_covered", label=_("has an active post"))

    class Meta:
        model = School
        fields = ["q", "kind", "station", "covered"]

    def filter_covered(self, queryset, name, value):
        return queryset.filter(school_covered_q() if value else ~school_covered_q())


class PostFilterSet(SearchFilterSet):
    search_fields = ("name", "school__name")
    school = django_filters.ModelChoiceFilter(queryset=visible_schools, label=_("school"))
    station = UnitTreeFilter(field_name="station", label=_("police station"))
    active = django_filters.BooleanFilter(label=_("active"))

    class Meta:
        model = Post
        fields = ["q", "school", "station", "active"]


class TermFilterSet(SearchFilterSet):
    school = django_filters.ModelChoiceFilter(queryset=visible_schools, label=_("school"))
    on = django_filters.DateFilter(method="filter_on", label=_("includes the date"))

    class Meta:
        model = Term
        fields = ["q", "school", "on"]

    def filter_on(self, queryset, name, value):
        return queryset.filter(start__lte=value, end__gte=value)


class CalendarOverrideFilterSet(SearchFilterSet):
    search_fields = ("reason",)
    school = django_filters.ModelChoiceFilter(queryset=visible_schools, label=_("school"))
    date = django_filters.DateFilter(label=_("date"))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("from"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("to"))
    is_school_day = django_filters.BooleanFilter(label=_("school day"))

    class Meta:
        model = CalendarOverride
        fields = ["q", "school", "date", "date_from", "date_to", "is_school_day"]


class TimetableFilterSet(FilterSet):
    school = django_filters.ModelChoiceFilter(queryset=visible_schools, label=_("school"))
    station = django_filters.ModelChoiceFilter(
        field_name="school__station", queryset=visible_units, label=_("police station")
    )
    period = django_filters.ChoiceFilter(choices=Period.choices, label=_("period"))
    on = django_filters.DateFilter(method="filter_on", label=_("valid on"))

    class Meta:
        model = Timetable
        fields = ["school", "station", "period", "on"]

    def filter_on(self, queryset, name, value):
        return queryset.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=value), valid_from__lte=value)


class HolidayFilterSet(FilterSet):
    year = django_filters.NumberFilter(field_name="year_id", label=_("year"))
    kind = django_filters.ChoiceFilter(choices=Holiday.Kind.choices, label=_("kind"))

    class Meta:
        model = Holiday
        fields = ["year", "kind"]
