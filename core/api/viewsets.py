from rest_framework import viewsets


class ScopedModelViewSet(viewsets.ModelViewSet):
    """A model's API: list/retrieve/create/update/delete over the user's scope. Subclasses
    declare `queryset`, `serializer_class` and `filterset_class`, nothing else.

    Another station's object is outside the queryset, so it answers 404."""

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)


class ScopedReadOnlyModelViewSet(viewsets.ReadOnlyModelViewSet):
    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)
