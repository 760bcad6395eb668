"""The app registry (core/registry.py): an app brings its pages, menu places, API routes, role
permissions and demo data in its own registry.py, and listing it in INSTALLED_APPS is all it
takes; huxue/ builds the site from what is collected, and no other module collects it."""

import re
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.test import modify_settings, override_settings
from django.urls import URLResolver, reverse
from rest_framework.test import APIClient

from core import registry
from core.registry import AppEntry
from huxue.api.routers import api_urlpatterns, router
from huxue.urls import urlpatterns
from org.models import Role, User
from org.roles import sync_role_groups
from tests.registry_app import views as registry_app_views

ROOT = Path(__file__).resolve().parents[2]
OUR_APPS = ["core", "org", "posts", "duty", "reports", "demo", "supervision"]


@pytest.fixture
def registry_app():
    """tests/registry_app installed as one more app, and the site's URLs built again with it."""
    sys.modules.pop("tests.registry_app.site_urls", None)
    with (
        modify_settings(INSTALLED_APPS={"append": "tests.registry_app"}),
        override_settings(ROOT_URLCONF="tests.registry_app.site_urls"),
    ):
        yield
    sys.modules.pop("tests.registry_app.site_urls", None)


def menu(client, user) -> tuple[list[str], list[str]]:
    client.force_login(user)
    response = client.get(reverse("duty:notifications"))
    assert response.status_code == 200
    return [item["url"] for item in response.context["nav_items"]], [item["url"] for item in response.context["nav_more"]]


@pytest.mark.django_db
def test_an_app_listed_in_installed_apps_brings_its_pages_menu_api_permissions_and_demo(cast, client, registry_app):
    assert [entry.label for entry in registry.entries()][-1] == "registry_app"

    # Its pages, at its prefix, and the old address it keeps at the root.
    assert reverse("registry_app:things") == "/registry_app/things/"
    client.force_login(cast.alice)
    assert client.get("/registry_app/things/").content == b"registry app things"
    assert client.get("/old-things/")["Location"] == "/registry_app/things/"

    # Its API route on the router and its API view, before the JSON 404.
    api = APIClient()
    api.force_authenticate(cast.alice)
    assert api.get("/api/v1/registry-things/").json() == {"registry_app": "things"}
    assert api.get("/api/v1/registry-ping/").json() == {"registry_app": "ping"}
    assert api.get("/api/v1/registry-nothing/").status_code == 404

    # Its permission for the dispatcher's group, once the groups are synced.
    sync_role_groups(apps)
    alice = User.objects.get(pk=cast.alice.pk)
    assert alice.has_perm("auth.view_permission")
    assert not User.objects.get(pk=cast.sam.pk).has_perm("auth.view_permission")

    # Its menu: last in the dispatcher's own bar, under "More" for the others, its personal
    # page between the check-in and the shifts of whoever stands posts.
    things, mine, further = (reverse(f"registry_app:{name}") for name in ("things", "mine", "more"))
    bar, more = menu(client, alice)
    assert bar[:3] == [reverse(name) for name in ("duty:roster", "attendance:live", "incidents:incident_list")]
    assert bar[-1] == things and bar.count(things) == 1
    assert more[-1] == further and things not in more
    bar, more = menu(client, cast.henry)
    assert things not in bar + more and more[-1] == further
    bar, more = menu(client, cast.oscar)
    assert bar == [reverse("attendance:checkin"), mine, reverse("duty:my_shifts")] and more == []

    # Its demo hook runs after the others, and its reset before theirs.
    hooks = registry.demo_hooks()
    assert hooks[-1] == (registry.entries()[-1], registry_app_views.demo_seed)
    assert registry.demo_reset_hooks()[0] is registry_app_views.demo_reset


def test_without_it_the_app_is_gone_again():
    labels = [entry.label for entry in registry.entries()]
    assert "registry_app" not in labels
    assert all(item.key not in {"registry_things", "registry_more", "registry_mine"} for item in registry.menu_items())


def test_the_entries_come_in_installed_apps_order_from_installed_apps_only():
    labels = [entry.label for entry in registry.entries()]
    installed = [config.label for config in apps.get_app_configs()]
    assert labels == [label for label in installed if label in labels]
    assert [label for label in labels if label in ("org", "posts", "duty", "reports")] == [
        "org", "posts", "duty", "reports"]
    assert AppEntry(label="things").prefix == "things/"
    assert AppEntry(label="things", url_prefix="").prefix == ""


def test_every_apps_urls_are_mounted_at_its_prefix():
    mounted = {(str(p.pattern), p.urlconf_name.__name__) for p in urlpatterns if isinstance(p, URLResolver)
               and hasattr(p.urlconf_name, "__name__")}
    for entry in registry.entries():
        if entry.urls:
            assert (entry.prefix, entry.urls) in mounted, entry.label


def test_every_api_route_is_on_the_router_and_every_api_view_before_the_404():
    registered = [(prefix, viewset) for prefix, viewset, _basename in router.registry]
    assert registered == registry.api_routes()
    names = [getattr(pattern, "name", None) for pattern in api_urlpatterns]
    assert names[0] == "api-token" and names[-1] == "api-not-found"
    for entry in registry.entries():
        for pattern in entry.api_urls() if entry.api_urls else []:
            assert pattern.name in names, (entry.label, pattern.name)


@pytest.mark.django_db
def test_every_menu_page_resolves_and_asks_for_a_permission_that_exists():
    keys = [item.key for item in registry.menu_items()]
    assert len(keys) == len(set(keys))
    orders = [item.order for item in registry.menu_items()]
    assert orders == sorted(orders)
    for item in registry.menu_items():
        assert reverse(item.url_name).startswith("/"), item.key
        assert item.permission or item.personal, item.key
        if item.permission:
            app_label, codename = item.permission.split(".")
            assert Permission.objects.filter(content_type__app_label=app_label, codename=codename).exists(), item
        assert set(item.roles) <= set(Role.values), item.key


@pytest.mark.django_db
def test_every_role_permission_exists_and_each_app_names_only_its_own():
    # org keeps the accounts: the administrators read their groups and their login lockouts.
    others = {"org": {"auth", "axes"}}
    for entry in registry.entries():
        assert set(entry.role_permissions) <= set(Role.values), entry.label
        for perms in entry.role_permissions.values():
            for perm in perms:
                app_label, codename = perm.split(".")
                assert app_label == entry.label or app_label in others.get(entry.label, set()), (entry.label, perm)
                assert Permission.objects.filter(content_type__app_label=app_label, codename=codename).exists(), perm
    for role in Role.values:
        perms = registry.role_permissions(role)
        assert len(perms) == len(set(perms))


PERMISSION_STRING = re.compile(r"""["'](\w+)\.(?:view|add|change|delete)_\w+["']""")


def test_org_roles_names_no_permission():
    # Each app's registry.py says what a role may do in it, org's own included.
    source = (ROOT / "org" / "roles.py").read_text()
    assert PERMISSION_STRING.findall(source) == []


# What only core/registry.py and huxue/ may do: collect every app's menu, URLs and API routes.
COLLECTING = [
    re.compile(r"\bmenu_items\("),
    re.compile(r"\bapi_routes\("),
    re.compile(r"\.register\(\s*[\"']"),  # a router's registration
    re.compile(r"include\(\s*[\"'](?:%s)\.urls" % "|".join(OUR_APPS)),
    re.compile(r"\b(?:PAGES|ROLE_MENUS|ROLE_PERMISSIONS)\b"),
]


def test_no_module_outside_core_registry_and_huxue_collects_the_apps():
    offenders = []
    for app in OUR_APPS:
        for path in (ROOT / app).rglob("*.py"):
            if path == ROOT / "core" / "registry.py":
                continue
            source = path.read_text()
            offenders += [(str(path.relative_to(ROOT)), p.pattern) for p in COLLECTING if p.search(source)]
    assert offenders == []
    # ...and huxue/ names no app's permission, page or API view: it reads them all from the registry.
    for name in ("urls.py", "context_processors.py", "api/routers.py"):
        source = (ROOT / "huxue" / name).read_text()
        assert PERMISSION_STRING.findall(source) == [], name
        assert not re.search(r"^from (?:org|posts|duty|reports|supervision)(?:\.| )(?!models)", source, re.M), name
