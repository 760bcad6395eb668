"""The register's filters, shared by the list page and the API (the contract's names:
`category`, `risk`, `station`, `school`, `officer`, `status`), and `id_number` (found by its
keyed hash, never by decrypting), `name`, `overdue` (a follow-up past due), `archived` (left
out unless asked for) and `registered_on_from`/`registered_on_to`."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet, MultipleChoiceFilter
from keypersons.models import Category, KeyPerson, Risk, Status
from duty.filters import visible_people
from org.filters import UnitTreeFilter, visible_schools


class KeyPersonFilterSet(FilterSet):
    id_number = django_filters.CharFilter(method="filter_id_number", label=_("ID number"))
    name = django_filters.CharFilter(lookup_expr="icontains", label=_("name"))
    category = MultipleChoiceFilter(choices=Category.choices, method="filter_category", label=_("category"))
    risk = MultipleChoiceFilter(choices=Risk.choices, label=_("risk level"))
    status = MultipleChoiceFilter(choices=Status.choices, label=_("status"))
    station = UnitTreeFilter(field_name="station", label=_("police station"))
    school = django_filters.ModelChoiceFilter(queryset=visible_schools, field_name="schools", label=_("school"))
    officer = django_filters.ModelChoiceFilter(queryset=visible_people, label=_("responsible officer"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("follow-up overdue"))
    archived = django_filters.BooleanFilter(method="filter_archived", label=_("archived"))
    registered_on_from = django_filters.DateFilter(field_name="registered_on", lookup_expr="gte",
                                                   label=_("registered from"))
    registered_on_to = django_filters.DateFilter(field_name="registered_on", lookup_expr="lte",
                                                 label=_("registered to"))
    # On the register at some time from `on_register_from` to `on_register_to` (the figures'
    # "screened"): archived persons count when archived within or after the period.
    on_register_from = django_filters.DateFilter(method="filter_on_register_from", label=_("on the register from"))
    on_register_to = django_filters.DateFilter(method="filter_on_register_to", label=_("on the register to"))

    class Meta:
        model = KeyPerson
        fields = ["id_number", "name", "category", "risk", "status", "station", "school", "officer", "overdue",
                  "archived", "registered_on_from", "registered_on_to", "on_register_from", "on_register_to"]

    def filter_queryset(self, queryset):
        # Archived persons are left out unless `archived` is asked for.
        data = self.form.cleaned_data
        if data.get("archived") is None and data.get("on_register_from") is None:
            queryset = queryset.on_register()
        return super().filter_queryset(queryset)

    def filter_id_number(self, queryset, name, value):
        return queryset.with_id_number(value) if value.strip() else queryset

    def filter_category(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(pk__in=KeyPerson.objects.filter(category_rows__category__in=value).values("pk"))

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = KeyPerson.objects.overdue().values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)

    def filter_on_register_from(self, queryset, name, value):
        return queryset.not_archived_before(value)

    def filter_on_register_to(self, queryset, name, value):
        return queryset.registered_by(value)

    def filter_archived(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(archived_at__isnull=not value)
