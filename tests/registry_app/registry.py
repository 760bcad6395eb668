from django.urls import path
from django.views.generic import RedirectView

from core.registry import AppEntry, MenuItem
from tests.registry_app import views


def root_urls() -> list:
    return [path("old-things/", RedirectView.as_view(pattern_name="registry_app:things"))]


def api_urls() -> list:
    return [path("registry-ping/", views.PingView.as_view(), name="api-registry-ping")]


entry = AppEntry(
    label="registry_app",
    urls="tests.registry_app.urls",
    root_urls=root_urls,
    api_routes=[("registry-things", "tests.registry_app.views.ThingViewSet")],
    api_urls=api_urls,
    menu=[
        # Last in a dispatcher's own menu; under "More" for the others who may view units.
        MenuItem("registry_things", "Registry things", "registry_app:things", "auth.view_permission",
                 roles={"dispatcher": 99}),
        MenuItem("registry_more", "Registry more", "registry_app:more", "org.view_unit", order=10_000),
        # Between "Check in" and "My shifts", for everyone who stands posts.
        MenuItem("registry_mine", "Registry mine", "registry_app:mine", "", personal=True, order=15),
    ],
    role_permissions={"dispatcher": ["auth.view_permission"]},
    demo="tests.registry_app.views.demo_seed",
    demo_reset="tests.registry_app.views.demo_reset",
)
