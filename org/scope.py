"""Unit scope: the one rule for what a user may see.

A user sees his unit and the units below it; HQ sees its whole bureau; a superuser sees
everything. Every queryset of business data goes through `ScopedQuerySet.visible_to(user)`,
which calls `scope_unit_ids()` here, so the rule lives in one place.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser as User

_CACHE_ATTR = "_huxue_scope_unit_ids"
_EVERYWHERE_ATTR = "_huxue_scope_everywhere"
BUREAU_WIDE_ROLES = frozenset({"hq", "supervisor"})


def unit_tree(unit_model) -> tuple[dict[int, int | None], dict[int, str]]:
    """Every unit's parent and kind, in one query."""
    parents: dict[int, int | None] = {}
    kinds: dict[int, str] = {}
    for pk, parent_id, kind in unit_model.objects.order_by().values_list("pk", "parent_id", "kind"):
        parents[pk] = parent_id
        kinds[pk] = kind
    return parents, kinds


def unit_model_of(user: User):
    """The unit model, reached through the user's own `unit` field: scope names no model."""
    return user._meta.get_field("unit").related_model


def subtree_ids(root_id: int, parents: dict[int, int | None]) -> frozenset[int]:
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent_id in parents.items():
        children[parent_id].append(pk)
    seen: set[int] = set()
    stack = [root_id]
    while stack:
        pk = stack.pop()
        if pk in seen:
            continue
        seen.add(pk)
        stack.extend(children.get(pk, ()))
    return frozenset(seen)


def ancestor_ids(unit_id: int, parents: dict[int, int | None]) -> frozenset[int]:
    """The units above a unit (not the unit itself)."""
    found: set[int] = set()
    node = parents.get(unit_id)
    while node is not None and node not in found:
        found.add(node)
        node = parents.get(node)
    return frozenset(found)


def scope_root_id(user: User, parents: dict[int, int | None], kinds: dict[int, str]) -> int | None:
    """The unit whose subtree the user sees: his own, or for HQ and supervisors (督察, who
    check every station without notice) the bureau above it."""
    unit_id = user.unit_id
    if unit_id is None:
        return None
    if user.role in BUREAU_WIDE_ROLES:
        node: int | None = unit_id
        while node is not None:
            if kinds.get(node) == "bureau":
                return node
            node = parents.get(node)
    return unit_id


def scope_unit_ids(user: User) -> frozenset[int] | None:
    """Ids of the units the user may see, or None for "all" (a superuser).

    Cached on the user object, so a request pays one small query however many
    querysets it scopes.
    """
    if not user.is_authenticated:
        return frozenset()
    if user.is_superuser:
        return None
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    parents, kinds = unit_tree(unit_model_of(user))
    root = scope_root_id(user, parents, kinds)
    ids = frozenset() if root is None else subtree_ids(root, parents)
    setattr(user, _CACHE_ATTR, ids)
    setattr(user, _EVERYWHERE_ATTR, bool(ids) and len(ids) == len(parents))
    return ids


def scope_is_everywhere(user: User) -> bool:
    """Whether the user's scope holds every unit there is (HQ at the top of the tree, or a
    superuser): a row is then in scope exactly when it has a unit, and a query need not list
    every unit's id (at a province's size, 1,700 ids in IN (...) lead PostgreSQL's planner
    to scan whole tables)."""
    if scope_unit_ids(user) is None:
        return user.is_authenticated
    return getattr(user, _EVERYWHERE_ATTR, False)


def in_scope(user: User | None, unit_id: int | None) -> bool:
    """Whether the unit is one the user sees (always, for no user: a task or a command)."""
    if user is None:
        return True
    ids = scope_unit_ids(user)
    return ids is None or unit_id in ids


def require_in_scope(user: User | None, unit_id: int | None, *, field: str, message: str) -> None:
    """For services: a field error naming what lies outside the user's scope."""
    if not in_scope(user, unit_id):
        raise ValidationError({field: message})


def forget_scope(user: User) -> None:
    """Drop the cached scope, e.g. after the user's unit changed."""
    for attr in (_CACHE_ATTR, _EVERYWHERE_ATTR):
        if hasattr(user, attr):
            delattr(user, attr)


def sees_whole_bureau(user: User) -> bool:
    """True when the user's scope is the whole bureau: with the permission to write terms or
    overrides, he may write district-wide ones (for all schools). HQ sees the bureau but
    writes nothing, so in practice this is the system administrator."""
    if user.is_superuser:
        return True
    if user.unit_id is None:
        return False
    ids = scope_unit_ids(user) or frozenset()
    return unit_model_of(user).objects.filter(pk__in=ids, kind="bureau").exists()


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows which unit a row belongs to.

    The model names the path to its unit in `scope_path` (e.g. "station" or
    "school__station"); rows whose `scope_null` field is empty (district-wide rows such as a
    term for all schools) are visible to everyone who may see the model at all.
    """

    def visible_to(self, user: User) -> ScopedQuerySet:
        ids = scope_unit_ids(user)
        if ids is None:
            return self.all()
        path = self.model.scope_path
        if scope_is_everywhere(user):
            if not path:
                return self.all()
            # Every unit: in scope is having one (the same rows as listing every id).
            condition = Q(**{f"{path}__isnull": False})
        else:
            condition = Q(**{f"{path}__in": ids}) if path else Q(pk__in=ids)
        null_field = getattr(self.model, "scope_null", None)
        if null_field:
            condition |= Q(**{f"{null_field}__isnull": True})
        return self.filter(condition)

    def write_refusal(self, user: User, obj) -> dict | None:
        """core.scope's protocol: the field error when the user may not write this row."""
        return district_wide_write_error(user, obj)


def can_write_object(user: User, obj) -> bool:
    """A row with no school (a term or override for every school) belongs to the whole
    district: only someone who sees the whole bureau may change it."""
    null_field = getattr(type(obj), "scope_null", None)
    if null_field and getattr(obj, f"{null_field}_id") is None:
        return sees_whole_bureau(user)
    return True


def district_wide_write_error(user: User, obj) -> dict | None:
    """The field error for someone creating or changing a district-wide row without seeing
    the whole bureau, or None."""
    if can_write_object(user, obj):
        return None
    null_field = type(obj).scope_null
    message = _("Only an administrator of the whole bureau can set this for every school; choose a school.")
    return {null_field: [message]}


class GlobalQuerySet(models.QuerySet):
    """For reference data every signed-in user may read (the holiday calendar): the same
    `visible_to` interface, no restriction."""

    def visible_to(self, user: User) -> GlobalQuerySet:
        return self.all()
