"""The audit administrator's pages: the trail, searched and exported (the export is itself a
row of the trail), and one row in full. Read only: there is no page that adds, changes or
deletes a row."""

from __future__ import annotations

import json

from django.apps import apps
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from audit.filters import AuditEventFilterSet
from audit.models import AuditEvent
from core.tables import Column
from core.views import ObjectDetailView, ObjectListView

DETAIL_SHORT = 80


def object_label(event: AuditEvent) -> str:
    """What the row is about: the model's name and the object as it read then."""
    if not event.object_type:
        return event.object_text
    try:
        kind = str(apps.get_model(event.object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        kind = event.object_type
    return f"{kind} {event.object_text}".strip()


def detail_text(event: AuditEvent) -> str:
    return json.dumps(event.detail, ensure_ascii=False, sort_keys=True) if event.detail else ""


class ShortColumn(Column):
    """A column whose page cell is cut short; the export keeps the whole text."""

    def text(self, obj) -> str:
        return Truncator(super().text(obj)).chars(DETAIL_SHORT)


COLUMNS = [
    Column("time", _("time"), link=True),
    Column("username", _("user")),
    Column("unit_name", _("unit")),
    Column("ip", _("IP address")),
    Column("action", _("action")),
    Column("object_text", _("object"), value=object_label),
    Column("result", _("result")),
    ShortColumn("detail", _("detail"), value=detail_text),
]


class ReadOnlyMixin:
    """No add, edit, delete or import link, whatever else the user holds: the trail has no
    such pages (a superuser's permissions would otherwise ask for them)."""

    def has_model_perm(self, action: str) -> bool:
        return action == "view" and super().has_model_perm(action)


class AuditEventListView(ReadOnlyMixin, ObjectListView):
    model = AuditEvent
    filterset_class = AuditEventFilterSet
    columns = COLUMNS
    export_name = _("Audit trail")


class AuditEventDetailView(ReadOnlyMixin, ObjectDetailView):
    model = AuditEvent
    fields = [
        Column("seq", _("sequence")),
        *COLUMNS[:5],
        Column("object_type", _("object type")),
        Column("object_id", _("object id")),
        Column("object_text", _("object")),
        Column("result", _("result")),
        Column("user_agent", _("user agent")),
        Column("detail", _("detail"), value=detail_text),
        Column("algorithm", _("hash algorithm")),
        Column("prev_hash", _("previous hash")),
        Column("hash", _("hash")),
    ]
