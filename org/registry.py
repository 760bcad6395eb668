"""What org brings to the whole system (core/registry.py): units and people, and their
share of each role's permissions. Accounts and units are the system administrator's, who
reads no person; a user's role, groups and permissions, and his second-factor devices, are
the security administrator's alone; the audit administrator gets nothing here (audit's
registry gives him the trail)."""

from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from core.registry import AppEntry, MenuItem, model_permissions as perms
from org import otp_views
from org.models import Role


def root_urls() -> list:
    # The second factor after the password, next to the login: /login/otp/… (org/otp_views.py).
    return [path("login/", include(otp_views.urlpatterns))]


entry = AppEntry(
    label="org",
    urls="org.urls",
    root_urls=root_urls,
    api_routes=[
        ("units", "org.api.UnitViewSet"),
        ("people", "org.api.PersonViewSet"),
    ],
    menu=[
        MenuItem("people", _("People"), "org:person_list", "org.view_person",
                 roles={Role.DISPATCHER: 6}, order=90),
        MenuItem("units", _("Units"), "org:unit_list", "org.view_unit", roles={Role.ADMIN: 1}, order=160),
        MenuItem("lockouts", _("Login lockouts"), "org:lockout_list", "axes.view_accessattempt",
                 roles={Role.SECURITY: 2}, order=170),
    ],
    role_permissions={
        Role.DISPATCHER: ["org.view_unit", *perms("org.person")],
        Role.OFFICER: ["org.view_unit"],
        Role.SUPERVISOR: ["org.view_unit", "org.view_person"],
        Role.HQ: ["org.view_unit", "org.view_person"],
        Role.ADMIN: [*perms("org.unit"), *perms("org.user"), "auth.view_group"],
        Role.SECURITY: [
            "org.view_user", "org.change_user_role", *perms("auth.group"), "auth.view_permission",
            # Every account's API tokens, and the login lockouts (org/lockout.py).
            "org.view_apitoken", "org.delete_apitoken",
            "axes.view_accessattempt", "axes.delete_accessattempt", "axes.view_accessfailurelog",
        ],
        Role.AUDITOR: [],
    },
)
