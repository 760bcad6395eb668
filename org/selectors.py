"""Reads over accounts that are more than a list page."""

from __future__ import annotations

from org.models import ADMINISTRATOR_ROLES, User


def account_separation_breaches() -> list[tuple[str, str]]:
    """Active accounts that break the separation of the administrators (三权分立): a
    superuser (who holds every role at once), or an account holding two of the three
    administrator roles through its role field and its groups together. (username, why)."""
    breaches = []
    users = User.objects.filter(is_active=True).prefetch_related("groups").order_by("username")
    for user in users:
        if user.is_superuser:
            breaches.append((user.username, "is a superuser"))
        held = {user.role} | {group.name for group in user.groups.all()}
        admin_roles = sorted(held & set(ADMINISTRATOR_ROLES))
        if len(admin_roles) > 1:
            breaches.append((user.username, f"holds {' and '.join(admin_roles)}"))
    return breaches
