"""Writes on units, accounts and people that are more than a form save."""

from __future__ import annotations

import datetime

from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record
from org.models import ADMINISTRATOR_ROLES, Person, Role, Unit, User
from org.scope import forget_scope


# The permission that lets a user change another's role, groups and permissions: the
# security administrator's alone (三权分立).
ROLE_PERMISSION = "org.change_user_role"


@transaction.atomic
def user_set_role(
    *, user: User, role: str, unit: Unit | None = None, by: User | None = None, request=None,
) -> User:
    """Give an account its one role (and unit): the role field and the group agree. Audited
    as a role change (from, to), with `request`'s address when there is one.

    `by` is the person doing it; only a holder of `ROLE_PERMISSION` (the security
    administrator) may, otherwise PermissionDenied. Without `by` it is the system itself
    (creating an account, loading the demo)."""
    if by is not None and not by.has_perm(ROLE_PERMISSION):
        raise PermissionDenied(_("Only the security administrator changes roles and permissions."))
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role %(role)s.") % {"role": role}})
    previous = User.objects.filter(pk=user.pk).values_list("role", flat=True).first() or ""
    if unit is not None:
        user.unit = unit
    if role not in ADMINISTRATOR_ROLES and user.unit_id is None and not user.is_superuser:
        raise ValidationError({"unit": _("Every account except an administrator's needs a unit.")})
    user.role = role
    user.is_staff = role in (Role.ADMIN, Role.SECURITY) or user.is_superuser
    user.save(update_fields=["role", "unit", "is_staff"])
    group, _created = Group.objects.get_or_create(name=role)
    groups_before = sorted(user.groups.values_list("name", flat=True))
    user.groups.set([group])
    forget_scope(user)
    if previous != role or groups_before != [role]:
        audit_record(action="role_change", request=request, user=by, obj=user,
                     detail={"from": previous, "to": role, "groups_before": groups_before})
    return user


@transaction.atomic
def user_create(
    *, username: str, password: str, role: str, unit: Unit | None, full_name: str = "",
    is_superuser: bool = False, person: Person | None = None,
) -> User:
    """Create an account with its role; the password must pass the password rules."""
    user = User(username=username, is_superuser=is_superuser)
    if full_name:
        user.last_name, user.first_name = full_name[:1], full_name[1:]
    validate_password(password, user)
    user.set_password(password)
    user.unit = unit
    user.full_clean(exclude=["password"])
    user.save()
    user_set_role(user=user, role=role)
    if person is not None:
        person.user = user
        person.save(update_fields=["user"])
    return user


@transaction.atomic
def person_dismiss(*, person: Person, reason: str, on: datetime.date) -> Person:
    """Dismiss (清退) a person: inactive, with the reason and the date."""
    if not reason.strip():
        raise ValidationError({"dismissed_reason": _("Give the reason for the dismissal.")})
    person.active = False
    person.dismissed_reason = reason.strip()
    person.dismissed_on = on
    person.full_clean()
    person.save()
    return person
