"""Columns of a list: declared once per list, used by the HTML table and the Excel export."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable

from django.utils import timezone
from django.utils.translation import gettext as _

from core.masking import mask_number


@dataclass(frozen=True)
class Column:
    """One column: `accessor` is a dotted attribute path ("school.name"); a field with
    choices shows its label. `link` makes the cell a link to the object's detail page.

    `sensitive` marks a number that identifies a person (a mobile, badge or certificate
    number): pages and exports show it through `shown(obj, user)`, masked unless the row it
    belongs to reveals its numbers to the user (`reveals_numbers_to(user)`, which the model
    answers: org/privacy.py holds the rule)."""

    accessor: str
    header: str
    link: bool = False
    value: Callable[[Any], Any] | None = None
    sensitive: bool = False

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

    def shown(self, obj, user) -> Any:
        """The value as `user` may see it."""
        value = self.raw(obj)
        if not self.sensitive or not value:
            return value
        owner = obj
        for part in self.accessor.split(".")[:-1]:
            owner = getattr(owner, part, None)
        reveals = getattr(owner, "reveals_numbers_to", None)
        return value if reveals is None or reveals(user) else mask_number(value)

    def text_for(self, obj, user) -> str:
        return display_text(self.shown(obj, user)) if self.sensitive else self.text(obj)


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
