"""Columns of a list: declared once per list, used by the HTML table and the Excel export."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable

from django.utils import timezone
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Column:
    """One column: `accessor` is a dotted attribute path ("school.name"); a field with
    choices shows its label. `link` makes the cell a link to the object's detail page."""

    accessor: str
    header: str
    link: bool = False
    value: Callable[[Any], Any] | None = None

    def raw(self, obj) -> Any:
        if self.value is not None:
            return self.value(obj)
        current = obj
        for part in self.accessor.split("."):
            if current is None:
                return None
            display = getattr(current, f"get_{part}_display", None)
            current = display() if callable(display) else getattr(current, part)
            if callable(current) and not hasattr(current, "_meta"):
                current = current()
        return current

    def text(self, obj) -> str:
        return display_text(self.raw(obj))


def display_text(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat(timespec="minutes") if isinstance(value, datetime.time) else value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def cell_value(value):
    """A value as Excel should store it: numbers and dates as such, the rest as text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, (int, float, datetime.date, datetime.time)):
        return value
    if isinstance(value, Decimal):
        return float(value)
    return str(value)
