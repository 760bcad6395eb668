"""The range of values a model column holds, so that every form, serializer and filter refuses
a number the database would refuse (PostgreSQL answers "integer out of range" with an error,
SQLite stores anything), and refuses it the same way on both.

The range comes from the column's type (a PositiveSmallIntegerField holds 0 to 32767 on every
database Django supports), narrowed by the field's own Min/MaxValueValidators; a DecimalField
holds what its digits allow. A float column has no bound worth the name, so a sensible one
stands in for it."""

from __future__ import annotations

from decimal import Decimal

from django.core import validators
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations

# A float column is double precision: no typed number overflows it, but none of ours is
# meaningful beyond this either, and the bound keeps a typo from being stored.
FLOAT_LIMIT = 1e15

# What an integer input that is stored nowhere may hold: a plain 32-bit integer column.
DEFAULT_INTEGER_RANGE = BaseDatabaseOperations.integer_field_ranges["IntegerField"]

Number = int | float | Decimal


def _limit(validator) -> Number:
    value = validator.limit_value
    return value() if callable(value) else value


def column_range(model_field) -> tuple[Number, Number] | None:
    """(lowest, highest) value the column of `model_field` holds, or None for a column that
    is not a number (a relation is checked by looking its id up, not by its range)."""
    if isinstance(model_field, models.ForeignObject) or not isinstance(model_field, models.Field):
        return None
    if isinstance(model_field, models.DecimalField):
        places = model_field.decimal_places or 0
        high = Decimal(10) ** ((model_field.max_digits or 0) - places) - Decimal(10) ** -places
        low = -high
    elif isinstance(model_field, models.FloatField):
        low, high = -FLOAT_LIMIT, FLOAT_LIMIT
    elif isinstance(model_field, models.IntegerField):
        ranges = BaseDatabaseOperations.integer_field_ranges
        low, high = ranges.get(model_field.get_internal_type(), ranges["BigIntegerField"])
    else:
        return None
    # The field's own validators narrow it (not `.validators`: that adds the connection's
    # range, which on SQLite is 64-bit whatever the type).
    for validator in model_field._validators:
        if isinstance(validator, validators.MinValueValidator):
            low = max(low, _limit(validator))
        elif isinstance(validator, validators.MaxValueValidator):
            high = min(high, _limit(validator))
    return low, high


def model_column(model, path: str):
    """The model field that `path` ("hire_date", "shift_id", "shift__date") ends at, or None."""
    field = None
    for part in path.split("__"):
        if model is None:
            return None
        try:
            field = model._meta.get_field(part)
        except Exception:  # FieldDoesNotExist, or a property
            return None
        model = field.related_model
    return field


def narrow_field_range(field, low: Number, high: Number) -> tuple[Number, Number]:
    """Narrow a form or serializer number field (both keep `min_value`/`max_value` and a
    `validators` list) to [low, high], keeping a narrower range it already has; its old
    range validators are dropped, so the caller adds one pair. Returns the range set."""
    if field.min_value is not None:
        low = max(low, field.min_value)
    if field.max_value is not None:
        high = min(high, field.max_value)
    field.min_value, field.max_value = low, high
    field.validators = [
        v for v in field.validators if not isinstance(v, (validators.MinValueValidator, validators.MaxValueValidator))
    ]
    return low, high
