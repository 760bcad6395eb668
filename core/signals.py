"""Signals the bases send for the audit trail (audit/ listens; core imports no app):

- `out_of_scope`: a page or API detail asked for an object that exists but lies outside the
  user's scope (answered 404 as ever): `request`, `obj`.
- `exported`: a list was exported: `request`, `name` (what list), `filters` (the query),
  `rows` (how many), `format` ("xlsx" unless said; "backup" for `manage.py backup`, which has
  no request)."""

from django.core.exceptions import ValidationError
from django.dispatch import Signal

out_of_scope = Signal()
exported = Signal()


def report_out_of_scope(request, model, lookup: dict) -> None:
    """After a scoped lookup found nothing: if the object exists beyond the user's scope, say
    so. Called only on the way to a 404."""
    try:
        obj = model._default_manager.filter(**lookup).first()
    except (ValueError, TypeError, ValidationError):  # a malformed id: nothing to report
        return
    if obj is not None:
        out_of_scope.send(sender=model, request=request, obj=obj)


def query_filters(query) -> dict:
    """A request's query as the filters of an export: each key's values, without the page
    and the export switch."""
    return {key: values if len(values) > 1 else values[0]
            for key, values in query.lists() if key not in ("page", "export") and any(values)}
