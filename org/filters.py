import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet
from org.models import Person, PersonKind, Unit, UnitKind


def visible_units(request):
    if request is None:
        return Unit.objects.none()
    return Unit.objects.visible_to(request.user)


def visible_schools(request):
    # A person's school is the relation Person declares ("posts.School"): org reaches the
    # school model through it, never by importing posts/, which stands above org.
    School = Person._meta.get_field("school").related_model
    if request is None:
        return School.objects.none()
    return School.objects.visible_to(request.user)


class UnitTreeFilter(django_filters.ModelChoiceFilter):
    """A unit and the units below it, as the figures count a unit (a bureau: its stations and
    their teams). `field_name` names the row's unit (`station`, `unit`, `school__station`)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", visible_units)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in django_filters.constants.EMPTY_VALUES:
            return qs
        return qs.filter(**{f"{self.field_name}_id__in": value.subtree_ids()})


class SearchFilterSet(FilterSet):
    """Adds `q`, a free-text search over the fields named in `search_fields`."""

    search_fields: tuple[str, ...] = ("name",)
    q = django_filters.CharFilter(method="search", label=_("Search"))

    def search(self, queryset, name, value):
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value.strip()})
        return queryset.filter(condition)


class UnitFilterSet(SearchFilterSet):
    kind = django_filters.ChoiceFilter(choices=UnitKind.choices, label=_("kind"))
    parent = django_filters.ModelChoiceFilter(queryset=visible_units, label=_("parent unit"))

    class Meta:
        model = Unit
        fields = ["q", "kind", "parent"]


class PersonFilterSet(SearchFilterSet):
    search_fields = ("name", "badge_no", "phone")
    kind = django_filters.ChoiceFilter(choices=PersonKind.choices, label=_("kind"))
    unit = UnitTreeFilter(label=_("unit"))
    school = django_filters.ModelChoiceFilter(queryset=visible_schools, label=_("school"))
    active = django_filters.BooleanFilter(label=_("active"))
    hire_date_from = django_filters.DateFilter(field_name="hire_date", lookup_expr="gte", label=_("hired on or after"))
    hire_date_to = django_filters.DateFilter(field_name="hire_date", lookup_expr="lte", label=_("hired on or before"))

    class Meta:
        model = Person
        fields = ["q", "kind", "unit", "school", "active", "hire_date_from", "hire_date_to"]
