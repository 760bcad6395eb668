"""The FilterSets of the spot-check and bulletin lists, shared by the pages and the API."""

import datetime

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet
from duty.filters import visible_posts
from org.filters import visible_units
from supervision.models import Bulletin, SpotCheck, SpotCheckMethod


class SpotCheckFilterSet(FilterSet):
    station = django_filters.ModelChoiceFilter(queryset=visible_units, label=_("police station"))
    post = django_filters.ModelChoiceFilter(queryset=visible_posts, label=_("post"))
    shift = django_filters.NumberFilter(field_name="shift_id", label=_("shift"))
    method = django_filters.ChoiceFilter(choices=SpotCheckMethod.choices, label=_("method"))
    # Whole days of the local calendar, though checked_at is a moment.
    checked_at_from = django_filters.DateFilter(field_name="checked_at", method="filter_from", label=_("from"))
    checked_at_to = django_filters.DateFilter(field_name="checked_at", method="filter_to", label=_("to"))

    class Meta:
        model = SpotCheck
        fields = ["station", "post", "shift", "method", "checked_at_from", "checked_at_to"]

    def filter_from(self, queryset, name, value):
        return queryset.filter(**{f"{name}__gte": day_start(value)})

    def filter_to(self, queryset, name, value):
        return queryset.filter(**{f"{name}__lt": day_start(value + datetime.timedelta(days=1))})


class BulletinFilterSet(FilterSet):
    status = django_filters.ChoiceFilter(choices=Bulletin.Status.choices, label=_("status"))
    year = django_filters.NumberFilter(label=_("year"))
    number = django_filters.NumberFilter(label=_("number"))
    unit = django_filters.ModelChoiceFilter(queryset=visible_units, label=_("issuing unit"))
    issued_at_from = django_filters.DateFilter(field_name="issued_at", method="filter_from", label=_("issued on or after"))
    issued_at_to = django_filters.DateFilter(field_name="issued_at", method="filter_to", label=_("issued on or before"))
    read_at = django_filters.ModelChoiceFilter(queryset=visible_units, field_name="unit", method="filter_read_at",
                                               label=_("read at the unit"))

    class Meta:
        model = Bulletin
        fields = ["status", "year", "number", "unit", "issued_at_from", "issued_at_to", "read_at"]

    def filter_read_at(self, queryset, name, value):
        return queryset.read_at(value)

    filter_from = SpotCheckFilterSet.filter_from
    filter_to = SpotCheckFilterSet.filter_to


def day_start(day: datetime.date) -> datetime.datetime:
    """The first moment of a local calendar day."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())
