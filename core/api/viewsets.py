from django.http import Http404
from rest_framework import viewsets

from core.signals import report_out_of_scope


class ScopedGetObjectMixin:
    """A detail outside the user's scope answers 404 as ever; when the object exists beyond
    his scope, the refusal is reported (core.signals.out_of_scope) first."""

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            lookup_url_kwarg = self.lookup_url_kwarg or self.lookup_field
            if lookup_url_kwarg in self.kwargs:
                model = self.get_queryset().model
                report_out_of_scope(self.request, model, {self.lookup_field: self.kwargs[lookup_url_kwarg]})
            raise


class ScopedModelViewSet(ScopedGetObjectMixin, viewsets.ModelViewSet):
    """A model's API: list/retrieve/create/update/delete over the user's scope. Subclasses
    declare `queryset`, `serializer_class` and `filterset_class`, nothing else.

    Another station's object is outside the queryset, so it answers 404."""

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)


class ScopedReadOnlyModelViewSet(ScopedGetObjectMixin, viewsets.ReadOnlyModelViewSet):
    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)
