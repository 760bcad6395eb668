"""The /api/v1/ router: every installed app's viewsets and API views, as each declares them in
its registry.py (core/registry.py), under DESIGN.md's names."""

from django.urls import include, path, re_path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view, permission_classes, renderer_classes
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.routers import DefaultRouter

from core import registry
from huxue.api.auth import ApiTokenViewSet, ObtainTokenView


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@permission_classes([AllowAny])
@renderer_classes([JSONRenderer])
def api_not_found(request, *args, **kwargs):
    raise NotFound(_("No such API address."))


def build_router() -> DefaultRouter:
    """A router with every installed app's viewsets (core/registry.py)."""
    router = DefaultRouter()
    for prefix, viewset in registry.api_routes():
        router.register(prefix, viewset)
    return router


def build_api_urlpatterns(router: DefaultRouter) -> list:
    """/api/v1/: the token and a user's tokens, the apps' plain API views, the router, then the JSON 404."""
    return [
        path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
        path("auth/tokens/", ApiTokenViewSet.as_view({"get": "list"}), name="api-token-list"),
        path("auth/tokens/<int:pk>/", ApiTokenViewSet.as_view({"get": "retrieve", "delete": "destroy"}),
             name="api-token-detail"),
        *[pattern for entry in registry.entries() if entry.api_urls for pattern in entry.api_urls()],
        path("", include(router.urls)),
        # Anything else under the API (an id that is not a number, a misspelt resource) is the
        # API's 404, in JSON like every other answer, not the site's HTML page. Only paths with
        # the trailing slash: one without is redirected to it first (APPEND_SLASH).
        re_path(r"^[\s\S]*/$", api_not_found, name="api-not-found"),
    ]


router = build_router()
api_urlpatterns = build_api_urlpatterns(router)
