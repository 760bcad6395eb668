"""Who reaches the register, and how (PIPL Art. 51, MLPS level 3 access control).

- The register's keepers: a Django group (KEEPERS_GROUP) the security administrator gives to
  particular accounts, not a role: not every dispatcher keeps it. They read it in their scope,
  register, change, archive, record follow-ups and reveal a number for a stated purpose.
- Supervisors (督察) and HQ read it masked, by role: they check that the station keeps it and
  answer the report's figure ("41 screened, all stable"), which needs the rows, never the
  numbers. They reveal nothing and change nothing.
- The audit administrator reads who looked at whom (the access history), not the register.
- Everyone else, officers and the other administrators included, has no access at all.

And every one of them must have given his second factor this session (django-otp), whether
or not his role is in OTP_REQUIRED_ROLES: a keeper who is a dispatcher is asked for it at the
register's door (keypersons:verify). An API token counts only for roles whose token endpoint
asked the code (org.otp.second_factor_required): a dispatcher-keeper's token is refused here,
he uses the pages."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from org.models import ApiToken, Role, User
from org.otp import second_factor_required
from org.scope import scope_unit_ids

KEEPERS_GROUP = "keyperson_register"
KEEPER_PERMISSIONS = (
    "keypersons.view_keyperson", "keypersons.add_keyperson", "keypersons.change_keyperson",
    "keypersons.reveal_keyperson", "keypersons.view_followup", "keypersons.add_followup",
)
AUDIT_PERMISSION = "audit.view_auditevent"


def second_factor_passed(request) -> bool:
    """Whether this request's user has given his second factor: a session verified by
    django-otp, or an API token minted with the code."""
    user = request.user
    if not user.is_authenticated:
        return False
    if isinstance(getattr(request, "auth", None), ApiToken):
        return second_factor_required(user)
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


class SecondFactorPassed(permissions.BasePermission):
    """The API's door to the register: 403 without a second factor."""

    message = _("The key-person register needs your two-factor code: log in on the site, open the register and "
                "enter it.")

    def has_permission(self, request, view):
        return second_factor_passed(request)


def sync_keepers_group(apps) -> None:
    """The keepers' group with exactly its permissions (a migration's RunPython, and after
    every migrate and flush, as org does for the role groups). Its members are left as they
    are: the security administrator chooses them."""
    from django.contrib.auth.management import create_permissions

    config = apps.get_app_config("keypersons")
    original = getattr(config, "models_module", None)
    config.models_module = original or True
    try:
        create_permissions(config, apps=apps, verbosity=0)
    finally:
        config.models_module = original
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=KEEPERS_GROUP)
    wanted = Q()
    for perm in KEEPER_PERMISSIONS:
        app_label, codename = perm.split(".")
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    group.permissions.set(Permission.objects.filter(wanted))


def keepers_and_hq(station_id: int) -> list[User]:
    """Who is told of a lost contact or an overdue follow-up: the register's keepers whose
    scope holds the station, and HQ's accounts whose scope holds it."""
    candidates = User.objects.filter(Q(groups__name=KEEPERS_GROUP) | Q(role=Role.HQ), is_active=True).distinct()
    found = []
    for user in candidates.order_by("pk"):
        ids = scope_unit_ids(user)
        if ids is None or station_id in ids:
            found.append(user)
    return found
