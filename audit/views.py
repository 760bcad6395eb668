"""The audit administrator's pages: the trail, searched and exported (the export is itself a
row of the trail), and one row in full. No page changes or deletes a row; the one write is a
browser's report that a page was printed (PrintRecordView), which appends a row."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from django import forms
from django.apps import apps
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse, HttpResponseBadRequest, QueryDict
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.views import View

from audit.filters import AuditEventFilterSet
from audit.models import AuditAction, AuditEvent
from audit.services import audit_record
from core.signals import query_filters
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


class PrintForm(forms.Form):
    path = forms.CharField(max_length=1000)
    rows = forms.IntegerField(required=False, min_value=0, max_value=10_000_000)

    def clean_path(self):
        path = self.cleaned_data["path"]
        if not path.startswith("/") or path.startswith("//"):
            raise forms.ValidationError(_("Give the page's own address."))
        return path


class PrintRecordView(LoginRequiredMixin, View):
    """A page printed in the browser (its Print button, static/js/huxue.js): the page, its
    filters and how many rows it listed, as a "print" row of the trail. The server-made
    print pages (roster, bulletin) record themselves when they are rendered."""

    http_method_names = ["post"]

    def post(self, request):
        form = PrintForm(request.POST)
        if not form.is_valid():
            return HttpResponseBadRequest(form.errors.as_text())
        address = urlsplit(form.cleaned_data["path"])
        audit_record(action=AuditAction.PRINT, request=request, detail={
            "page": address.path, "filters": query_filters(QueryDict(address.query)),
            "rows": form.cleaned_data["rows"],
        })
        return HttpResponse(status=204)
