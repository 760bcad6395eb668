"""What each app brings to the whole system, collected in one place (NetBox's registry is the
model): its pages and their place in the menu, its API routes, what each role may do in it,
and its demo data.

An app declares them in its own `registry.py` as one `AppEntry` named `entry`; `entries()`
imports that module from every installed app that has one (as the admin's autodiscover
does), in INSTALLED_APPS order. huxue/ mounts the URLs and API routes, builds the menu and
org/ the role groups from what is collected here, so adding an app is listing it in
INSTALLED_APPS and nothing else central.

Roles are named by their codes ("dispatcher", "officer", "supervisor", "hq", "admin"): core
imports no app, and an app above org/ may write `Role.DISPATCHER`, which is the same string.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.apps import apps
from django.core.signals import setting_changed
from django.utils.module_loading import import_string, module_has_submodule


CRUD = ("view", "add", "change", "delete")


def model_permissions(model: str, actions: Sequence[str] = CRUD) -> list[str]:
    """"app.model" -> "app.<action>_model" for each action (all four by default), the way a
    registry names a role's permissions on a model."""
    app, name = model.split(".")
    return [f"{app}.{action}_{name}" for action in actions]


@dataclass(frozen=True)
class MenuItem:
    """A page in the navigation bar.

    `roles` places it in a role's own menu: role code -> position (1 first, then 2...; the
    positions of one role are shared by every app). Everyone else holding `permission` finds
    it under "More", in `order`.

    `personal`: one of the user's own pages (check in, my shifts), shown first, in `order`, to
    every user who stands posts himself (is linked to a person), whatever his role, and to
    nobody else; an empty `permission` asks for none."""

    key: str
    label: Any  # a lazy translation
    url_name: str
    permission: str
    roles: Mapping[str, int] = field(default_factory=dict)
    order: int = 100
    personal: bool = False


@dataclass(frozen=True)
class ShiftAction:
    """A button on the officer's current-shift page (the phone page he checks in on), for
    users holding `permission`: it opens `url_name` with `?assignment=<the assignment he is
    standing>`, so the page it opens knows the post, the shift and the people on it."""

    key: str
    label: Any  # a lazy translation
    url_name: str
    permission: str
    icon: str = ""


@dataclass(frozen=True)
class BoardAlert:
    """A line above the live duty board: something that needs the station now (an emergency
    not closed in time), with the page that lists it."""

    key: str
    text: str
    url: str
    count: int = 0
    level: str = "danger"


@dataclass(frozen=True)
class AppEntry:
    """One app's contributions. Every part is optional.

    - `urls`: the app's URLconf module, mounted at `url_prefix` (default: "<app label>/").
    - `root_urls`: a callable returning URL patterns mounted at the site's root, before every
      app's URLs (an old address kept for bookmarks, redirected to the page's new one).
    - `api_routes`: (prefix, viewset) pairs registered on the /api/v1/ router; the viewset
      may be named by dotted path, imported when the routes are built.
    - `api_urls`: a callable returning extra URL patterns under /api/v1/ (views that are not
      a model's viewset); called when the URLs are built, so it may import the app's views.
    - `menu`: the app's pages in the navigation bar.
    - `role_permissions`: role code -> the permissions ("app.codename") that role holds here.
    - `shift_actions`: buttons on the officer's current-shift page (ShiftAction).
    - `board_alerts`: a callable `(user, station, now) -> list[BoardAlert]` (named by dotted
      path), asked each time the live board is drawn; `station` is a unit, or None for every
      station in the user's scope.
    - `periodic_tasks`: task name -> (the name its django-celery-beat entry was created under
      by the app's data migration, its description or None), both lazy translations: after
      every migrate the entries are given their Chinese names (huxue/schedules.py).
    - `demo`: a callable `(context: DemoContext) -> dict` adding the app's demo data once the
      demo district (units, people, schools, posts, accounts) exists; `demo_reset`: a
      callable deleting it again, run before the district is deleted. Both named by dotted
      path, so they are imported only when the demo is loaded.
    """

    label: str
    urls: str | None = None
    url_prefix: str | None = None
    root_urls: Callable[[], list] | None = None
    api_routes: Sequence[tuple[str, Any]] = ()
    api_urls: Callable[[], list] | None = None
    menu: Sequence[MenuItem] = ()
    role_permissions: Mapping[str, Sequence[str]] = field(default_factory=dict)
    shift_actions: Sequence[ShiftAction] = ()
    board_alerts: str | None = None
    periodic_tasks: Mapping[str, tuple[Any, Any]] = field(default_factory=dict)
    demo: str | None = None
    demo_reset: str | None = None

    @property
    def prefix(self) -> str:
        return self.url_prefix if self.url_prefix is not None else f"{self.label}/"


@dataclass(frozen=True)
class DemoContext:
    """What an app's demo hook is given: the day the demo is built for, the end of the demo
    term, the random seed, and where to say what it is doing (None: quiet)."""

    today: Any
    term_end: Any
    seed: int
    stdout: Any = None

    def say(self, text: str) -> None:
        if self.stdout is not None:
            self.stdout.write(text)


@cache
def entries() -> tuple[AppEntry, ...]:
    """Every installed app's entry, in INSTALLED_APPS order."""
    found = []
    for config in apps.get_app_configs():
        if not module_has_submodule(config.module, "registry"):
            continue
        module = importlib.import_module(f"{config.name}.registry")
        entry = getattr(module, "entry", None)
        if isinstance(entry, AppEntry):
            found.append(entry)
    return tuple(found)


def _forget_entries(*, setting, **kwargs) -> None:
    # A test that installs another app (override_settings) sees it, and stops seeing it after.
    if setting == "INSTALLED_APPS":
        entries.cache_clear()


setting_changed.connect(_forget_entries, dispatch_uid="core.registry.forget_entries")


def menu_items() -> list[MenuItem]:
    """Every app's menu items, in `order` (apps in INSTALLED_APPS order where equal)."""
    return sorted((item for entry in entries() for item in entry.menu), key=lambda item: item.order)


def api_routes() -> list[tuple[str, Any]]:
    """Every app's (prefix, viewset) pairs, the viewsets named by dotted path imported."""
    return [
        (prefix, import_string(viewset) if isinstance(viewset, str) else viewset)
        for entry in entries()
        for prefix, viewset in entry.api_routes
    ]


def role_permissions(role: str) -> list[str]:
    """Every permission a role holds, across the apps, in order, without repeats."""
    seen: dict[str, None] = {}
    for entry in entries():
        for perm in entry.role_permissions.get(role, ()):
            seen.setdefault(perm, None)
    return list(seen)


def shift_actions(user) -> list[ShiftAction]:
    """The buttons of the current-shift page this user may use, in INSTALLED_APPS order."""
    return [action for entry in entries() for action in entry.shift_actions if user.has_perm(action.permission)]


def board_alerts(*, user, station, now) -> list[BoardAlert]:
    """Every app's alerts for the live board of `station` (None: all in scope)."""
    return [
        alert
        for entry in entries() if entry.board_alerts
        for alert in import_string(entry.board_alerts)(user=user, station=station, now=now)
    ]


def periodic_tasks() -> dict[str, tuple[Any, Any]]:
    """Every app's periodic tasks and their names, in INSTALLED_APPS order."""
    return {task: names for entry in entries() for task, names in entry.periodic_tasks.items()}


def demo_hooks() -> list[tuple[AppEntry, Callable]]:
    return [(entry, import_string(entry.demo)) for entry in entries() if entry.demo]


def demo_reset_hooks() -> list[Callable]:
    """The apps' demo resets, top app first (an app's rows point at the apps below it)."""
    return [import_string(entry.demo_reset) for entry in reversed(entries()) if entry.demo_reset]
