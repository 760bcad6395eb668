"""The API's list filtering: the view's FilterSet (the same one its list page uses), and an
unknown query parameter is a 400 naming it, so a misspelt or unsupported filter never
silently answers every row."""

from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import filters, serializers
from rest_framework.settings import api_settings


class StrictDjangoFilterBackend(DjangoFilterBackend):
    """DjangoFilterBackend that refuses, on a list, a query parameter that is neither one of
    the FilterSet's filters nor one the other list machinery reads (the page and page size,
    ordering, search, format)."""

    def filter_queryset(self, request, queryset, view):
        if getattr(view, "action", "list") == "list":
            allowed = self.allowed_parameters(request, queryset, view)
            unknown = sorted(set(request.query_params) - allowed)
            if unknown:
                raise serializers.ValidationError({name: [_("Unknown query parameter.")] for name in unknown})
        return super().filter_queryset(request, queryset, view)

    def allowed_parameters(self, request, queryset, view) -> set[str]:
        allowed = {api_settings.URL_FORMAT_OVERRIDE}
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            for name, filter_ in filterset_class.base_filters.items():
                allowed.add(name)
                # A filter of two inputs (a range) reads name_<suffix> for each.
                suffixes = getattr(filter_.field_class.widget, "suffixes", None)
                if suffixes:
                    allowed.update(f"{name}_{suffix}" if suffix else name for suffix in suffixes)
        paginator = getattr(view, "paginator", None)
        for attribute in ("page_query_param", "page_size_query_param", "limit_query_param",
                          "offset_query_param", "cursor_query_param"):
            value = getattr(paginator, attribute, None)
            if value:
                allowed.add(value)
        for backend in getattr(view, "filter_backends", ()):
            if issubclass(backend, filters.OrderingFilter):
                allowed.add(backend.ordering_param)
            elif issubclass(backend, filters.SearchFilter):
                allowed.add(backend.search_param)
        return allowed
