"""The project's own pages: the home page every sign-in lands on, the health check, and where
browsers report Content-Security-Policy violations."""

from __future__ import annotations

import json
import logging

from celery import current_app as celery_app
from celery.app.backends import by_url as backend_by_url
from celery.backends.base import DisabledBackend
from celery.backends.redis import RedisBackend
from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import connections
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from django.views import View
from django.views.generic import TemplateView
from kombu import Connection

from org.models import Role
from reports.selectors.home import dispatcher_home, home_counts, hq_home, supervisor_home


class HomeView(LoginRequiredMixin, TemplateView):
    """Where signing in lands, each role on its own figures (reports.selectors.home, every
    number from the selector of the app that counts it, each card a link to the list that
    counts it): a station's dispatcher his station's gaps, hazards, emergencies and overdue
    follow-ups; a supervisor the review queue, findings and bulletins; HQ the month's
    headline figures and what is overdue; the other roles the counts of their scope. An
    officer's work is his shift, on a phone at the gate: he goes straight to the check-in
    page (his shift now, or the next one)."""

    template_name = "home.html"
    # Role -> (the selector of its figures, the template that shows them).
    ROLE_HOMES = {
        Role.DISPATCHER: (dispatcher_home, "home/dispatcher.html"),
        Role.SUPERVISOR: (supervisor_home, "home/supervisor.html"),
        Role.HQ: (hq_home, "home/hq.html"),
    }

    def get(self, request, *args, **kwargs):
        if request.user.role == Role.OFFICER:
            return redirect("attendance:checkin")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        selector, template = self.ROLE_HOMES.get(user.role, (home_counts, "home/counts.html"))
        context.update(figures=selector(user), role_template=template)
        return context


def result_backend_status() -> str:
    """"ok" when Celery's result backend (CELERY_RESULT_BACKEND, read now) answers: Redis a
    PING, the file backend a probe file written and deleted in its folder (its constructor
    does that); "disabled" when none is set; else "error: <kind>"."""
    try:
        backend_class, url = backend_by_url(settings.CELERY_RESULT_BACKEND or None, celery_app.loader)
        backend = backend_class(app=celery_app, url=url)
        if isinstance(backend, DisabledBackend):
            return "disabled"
        if isinstance(backend, RedisBackend):
            backend.connparams.update(socket_connect_timeout=2, socket_timeout=2)
            try:
                backend.client.ping()
            finally:
                backend.client.connection_pool.disconnect()
        return "ok"
    except Exception as exc:  # any error means "not usable"
        return f"error: {exc.__class__.__name__}"


class HealthView(View):
    """Answers whether the database, the broker and the result backend are reachable (for
    load balancers and monitoring): 200 when all are, 503 otherwise."""

    def get(self, request):
        checks = {}
        try:
            with connections["default"].cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
            checks["database"] = "ok"
        except Exception as exc:  # any driver error means "not reachable"
            checks["database"] = f"error: {exc.__class__.__name__}"
        try:
            # A fresh connection to the broker the settings name (not Celery's pool, which
            # would answer from a connection made earlier).
            with Connection(settings.CELERY_BROKER_URL, connect_timeout=2,
                            transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS) as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
            checks["broker"] = "ok"
        except Exception as exc:
            checks["broker"] = f"error: {exc.__class__.__name__}"
        # The roster page polls task results there: a broken one leaves it waiting forever.
        checks["result_backend"] = result_backend_status()
        healthy = not any(value.startswith("error") for value in checks.values())
        return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)


csp_logger = logging.getLogger("huxue.csp")
CSP_REPORT_MAX_BYTES = 8 * 1024


@method_decorator(csrf_exempt, name="dispatch")
class CspReportView(View):
    """Where browsers POST a Content-Security-Policy violation (the policy's report-uri): logged
    as a warning, answered 204. A browser sends no CSRF token with a report, and anyone may
    post here, so the body is read only up to CSP_REPORT_MAX_BYTES and only the report's few
    known fields are logged, each cut short."""

    http_method_names = ["post"]
    FIELDS = ("document-uri", "violated-directive", "effective-directive", "blocked-uri",
              "source-file", "line-number", "column-number", "disposition")

    def post(self, request):
        body = request.read(CSP_REPORT_MAX_BYTES + 1)
        if len(body) > CSP_REPORT_MAX_BYTES:
            return HttpResponse(status=413)
        try:
            report = json.loads(body).get("csp-report", {})
        except (ValueError, AttributeError):
            return HttpResponse(status=400)
        if not isinstance(report, dict):
            return HttpResponse(status=400)
        fields = {key: str(report.get(key, ""))[:300] for key in self.FIELDS if key in report}
        csp_logger.warning("Content-Security-Policy violation: %s", json.dumps(fields, ensure_ascii=False))
        return HttpResponse(status=204)
