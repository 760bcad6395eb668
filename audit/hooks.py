"""Where the audit trail listens, one place each: Django's login signals (the login page and
the token endpoint), django-axes' lockout, django-simple-history's history rows (every create,
change and delete of business data), and core's bases (an object outside the user's scope,
an export). Connected once, in AuditConfig.ready()."""

from __future__ import annotations

from audit.models import AuditAction, AuditResult
from audit.services import audit_record

HISTORY_ACTIONS = {"+": AuditAction.CREATE, "~": AuditAction.CHANGE, "-": AuditAction.DELETE}


def _plain_request(request):
    """Django's request under DRF's, whose `user` DRF sets once it has authenticated."""
    return getattr(request, "_request", request)


def on_logged_in(sender, request=None, user=None, **kwargs):
    audit_record(action=AuditAction.LOGIN, request=request, user=user, detail={"via": _via(request)})


def on_logged_out(sender, request=None, user=None, **kwargs):
    if user is not None:
        audit_record(action=AuditAction.LOGOUT, request=request, user=user)


def on_login_failed(sender, credentials=None, request=None, **kwargs):
    username = str((credentials or {}).get("username") or "")
    request = _plain_request(request) if request is not None else None
    audit_record(action=AuditAction.LOGIN_FAILED, request=request, user=None, username=username,
                 result=AuditResult.FAILED, detail={"via": _via(request)})


def on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    request = _plain_request(request) if request is not None else None
    audit_record(action=AuditAction.LOCKOUT, request=request, user=None, username=username or "",
                 result=AuditResult.REFUSED, detail={"ip": ip_address, "via": _via(request)})


def _via(request) -> str:
    if request is None:
        return ""
    return "api" if request.path.startswith("/api/") else "page"


def on_history(sender, instance=None, history_instance=None, **kwargs):
    """A history row was written: the same change, in the trail, linked to its history row."""
    action = HISTORY_ACTIONS.get(getattr(history_instance, "history_type", ""))
    if action is None:
        return
    from simple_history.models import HistoricalRecords

    request = getattr(HistoricalRecords.context, "request", None)
    user = None if request is not None else history_instance.history_user
    detail = {"history_model": history_instance._meta.label_lower, "history_id": history_instance.pk}
    if action == AuditAction.CHANGE:
        previous = history_instance.prev_record
        if previous is not None:
            detail["fields"] = sorted(history_instance.diff_against(previous).changed_fields)
    audit_record(action=action, request=request, user=user, obj=instance, detail=detail)


def on_out_of_scope(sender, request=None, obj=None, **kwargs):
    audit_record(action=AuditAction.REFUSED, request=_plain_request(request), obj=obj, result=AuditResult.REFUSED,
                 detail={"path": request.path, "method": request.method, "status": 404})


def on_exported(sender, request=None, name="", filters=None, rows=0, format="xlsx", **kwargs):
    audit_record(action=AuditAction.EXPORT, request=_plain_request(request),
                 detail={"list": str(name), "model": sender._meta.label_lower if hasattr(sender, "_meta") else "",
                         "filters": filters or {}, "rows": rows, "format": format})


def connect() -> None:
    from axes.signals import user_locked_out
    from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
    from simple_history.signals import post_create_historical_record

    from core.signals import exported, out_of_scope

    user_logged_in.connect(on_logged_in, dispatch_uid="audit.login")
    user_logged_out.connect(on_logged_out, dispatch_uid="audit.logout")
    user_login_failed.connect(on_login_failed, dispatch_uid="audit.login_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="audit.lockout")
    post_create_historical_record.connect(on_history, dispatch_uid="audit.history")
    out_of_scope.connect(on_out_of_scope, dispatch_uid="audit.out_of_scope")
    exported.connect(on_exported, dispatch_uid="audit.exported")
