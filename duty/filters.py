import django_filters
from django.utils.translation import gettext_lazy as _

from duty.models import (
    Assignment,
    AttendanceStatus,
    Leave,
    Shift,
    ShiftStatus,
    StandingAssignment,
)
from core.filters import FilterSet, MultipleChoiceFilter
from org.filters import SearchFilterSet, UnitTreeFilter, visible_schools, visible_units
from org.models import Person, PersonKind
from posts.models import Period, Post


def visible_posts(request):
    return Post.objects.none() if request is None else Post.objects.visible_to(request.user).select_related("school")


def visible_people(request):
    return Person.objects.none() if request is None else Person.objects.visible_to(request.user)


class ShiftFilterSet(FilterSet):
    unit = django_filters.ModelChoiceFilter(field_name="station", queryset=visible_units, label=_("police station"))
    post = django_filters.ModelChoiceFilter(queryset=visible_posts, label=_("post"))
    school = django_filters.ModelChoiceFilter(field_name="post__school", queryset=visible_schools, label=_("school"))
    person = django_filters.ModelChoiceFilter(
        field_name="assignments__person", queryset=visible_people, label=_("person"), distinct=True
    )
    date = django_filters.DateFilter(label=_("date"))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("from"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("to"))
    period = django_filters.ChoiceFilter(choices=Period.choices, label=_("period"))
    status = django_filters.ChoiceFilter(choices=ShiftStatus.choices, label=_("status"))
    published = django_filters.BooleanFilter(label=_("published"))

    class Meta:
        model = Shift
        fields = ["unit", "post", "school", "person", "date", "date_from", "date_to", "period", "status", "published"]


class AssignmentFilterSet(FilterSet):
    unit = UnitTreeFilter(field_name="station", label=_("police station"))
    shift = django_filters.NumberFilter(field_name="shift_id", label=_("shift"))
    post = django_filters.ModelChoiceFilter(field_name="shift__post", queryset=visible_posts, label=_("post"))
    person = django_filters.ModelChoiceFilter(queryset=visible_people, label=_("person"))
    date_from = django_filters.DateFilter(field_name="shift__date", lookup_expr="gte", label=_("from"))
    date_to = django_filters.DateFilter(field_name="shift__date", lookup_expr="lte", label=_("to"))
    period = django_filters.ChoiceFilter(field_name="shift__period", choices=Period.choices, label=_("period"))
    # An assignment's status is its attendance (pending, on time, late, absent, …).
    status = django_filters.ChoiceFilter(field_name="attendance", choices=AttendanceStatus.choices, label=_("status"))
    active = django_filters.BooleanFilter(label=_("active"))
    person_kind = MultipleChoiceFilter(field_name="person__kind", choices=PersonKind.choices, label=_("kind of person"))
    checked_in = django_filters.BooleanFilter(field_name="checked_in_at", lookup_expr="isnull", exclude=True,
                                              label=_("checked in"))

    class Meta:
        model = Assignment
        fields = ["unit", "shift", "post", "person", "date_from", "date_to", "period", "status", "active",
                  "person_kind", "checked_in"]


class StandingAssignmentFilterSet(FilterSet):
    post = django_filters.ModelChoiceFilter(queryset=visible_posts, label=_("post"))
    person = django_filters.ModelChoiceFilter(queryset=visible_people, label=_("person"))
    unit = django_filters.ModelChoiceFilter(field_name="station", queryset=visible_units, label=_("police station"))
    on = django_filters.DateFilter(method="filter_on", label=_("valid on"))

    class Meta:
        model = StandingAssignment
        fields = ["post", "person", "unit", "on"]

    def filter_on(self, queryset, name, value):
        return queryset.filter(start_date__lte=value, end_date__gte=value)


class LeaveFilterSet(SearchFilterSet):
    search_fields = ("person__name", "reason")
    person = django_filters.ModelChoiceFilter(queryset=visible_people, label=_("person"))
    unit = django_filters.ModelChoiceFilter(field_name="station", queryset=visible_units, label=_("unit"))
    on = django_filters.DateFilter(method="filter_on", label=_("includes the date"))

    class Meta:
        model = Leave
        fields = ["q", "person", "unit", "on"]

    def filter_on(self, queryset, name, value):
        return queryset.filter(start_date__lte=value, end_date__gte=value)
