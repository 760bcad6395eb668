"""Writes on units, accounts and people that are more than a form save."""

from __future__ import annotations

import datetime

from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from org.models import Person, Role, Unit, User
from org.scope import forget_scope


@transaction.atomic
def user_set_role(*, user: User, role: str, unit: Unit | None = None) -> User:
    """Give an account its one role (and unit): the role field and the group agree."""
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role %(role)s.") % {"role": role}})
    if unit is not None:
        user.unit = unit
    if role != Role.ADMIN and user.unit_id is None and not user.is_superuser:
        raise ValidationError({"unit": _("Every account except an administrator's needs a unit.")})
    user.role = role
    user.save(update_fields=["role", "unit"])
    group, _created = Group.objects.get_or_create(name=role)
    user.groups.set([group])
    forget_scope(user)
    return user


@transaction.atomic
def user_create(
    *, username: str, password: str, role: str, unit: Unit | None, full_name: str = "",
    is_superuser: bool = False, person: Person | None = None,
) -> User:
    """Create an account with its role; the password must pass the password rules."""
    user = User(username=username, is_superuser=is_superuser, is_staff=is_superuser or role == Role.ADMIN)
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
