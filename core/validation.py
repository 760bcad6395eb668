"""Rules a form, a model's clean(), a serializer and a service share, written once.

A range in order: its end is not before its start (or, for a time window, strictly after it).
Each model keeps the matching CHECK constraint; this is the check that names the end field
and the reason before anything reaches the database."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

END_BEFORE_START = _("The end date is before the start date.")


def end_before_start_errors(
    *, start: Any, end: Any, end_field: str, message: Any = None, allow_equal: bool = True
) -> dict[str, Any]:
    """{end_field: message} when `end` comes before `start` (or equals it, unless
    `allow_equal`), else {}; a missing bound is left to the field's own "required" check.
    For a clean() that gathers its errors before raising them together."""
    if start is None or end is None:
        return {}
    if end < start or (end == start and not allow_equal):
        return {end_field: END_BEFORE_START if message is None else message}
    return {}


def require_end_after_start(
    *, start: Any, end: Any, end_field: str, message: Any = None, allow_equal: bool = True
) -> None:
    """Raise ValidationError({end_field: message}) when the range is out of order (see
    end_before_start_errors); `message` defaults to the one catalogue message."""
    errors = end_before_start_errors(
        start=start, end=end, end_field=end_field, message=message, allow_equal=allow_equal
    )
    if errors:
        raise ValidationError(errors)
