"""How the bases reach a user's scope without importing the app that defines it.

A model whose rows belong to a unit answers, through its default manager (org.scope's
ScopedQuerySet implements both; GlobalQuerySet the first):

- `visible_to(user)`: the rows the user may see. Every base reads through it, so another
  station's object is outside the queryset and answers 404.
- `write_refusal(user, obj)`: a field-error map when the user may not write this row (a
  district-wide row needs someone who sees the whole bureau), else None. Optional.
"""

from __future__ import annotations


def write_refusal(user, obj) -> dict | None:
    """The model's own answer to "may this user write this row?", as a field-error map."""
    check = getattr(type(obj)._default_manager, "write_refusal", None)
    return None if check is None else check(user, obj)


def can_write(user, obj) -> bool:
    return write_refusal(user, obj) is None
