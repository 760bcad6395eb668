"""The error pages: Chinese, in the site's layout, phone-sized, each with a way back (the page
the user came from, when it is one of ours, and the home page).

403, 404, 429 and a refused form (CSRF) render in the base layout with the request. The 500
page renders without the request, context processors or the database: whatever broke the
request must not break its error page too."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import RedirectView

SERVER_ERROR_STYLESHEETS = ("vendor/bootstrap/bootstrap.min.css", "vendor/bootstrap-icons/bootstrap-icons.min.css",
                            "css/huxue.css")


def back_url(request: HttpRequest) -> str | None:
    """The page the user came from, if it is on this site and is not this page."""
    referer = request.META.get("HTTP_REFERER", "")
    try:
        host = request.get_host()
    except Exception:  # a host the settings refuse: no way back through it
        return None
    if not referer or referer == request.build_absolute_uri():
        return None
    if not url_has_allowed_host_and_scheme(referer, allowed_hosts={host}, require_https=request.is_secure()):
        return None
    return referer


def _error_page(request: HttpRequest, template: str, status: int, **context) -> HttpResponse:
    return render(request, template, {"back_url": back_url(request), **context}, status=status)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return _error_page(request, "404.html", 404)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    # A service's refusal says why (e.g. "only the station's dispatcher can…"); the bare
    # "you lack the permission" of a view says nothing, and the page's own text stands.
    reason = str(exception) if exception is not None else ""
    return _error_page(request, "403.html", 403, reason=reason)


def too_many_requests(request: HttpRequest, exception=None) -> HttpResponse:
    return _error_page(request, "429.html", 429)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a form refused because its token had expired or was missing."""
    return _error_page(request, "csrf_failure.html", 403)


def server_error(request: HttpRequest | None = None) -> HttpResponse:
    """handler500: a plain page that needs nothing that may have failed."""
    context = {"stylesheets": [], "home_url": "/", "back_url": None}
    try:
        context["stylesheets"] = [static(path) for path in SERVER_ERROR_STYLESHEETS]
    except Exception:  # e.g. a missing static manifest: the page without its styles
        pass
    try:
        context["home_url"] = reverse("home")
    except Exception:
        pass
    if request is not None:
        context["back_url"] = back_url(request)
    try:
        return HttpResponseServerError(loader.get_template("500.html").render(context))
    except Exception:
        return HttpResponseServerError("<h1>Server Error (500)</h1>", content_type="text/html")


class FaviconView(RedirectView):
    """/favicon.ico, which browsers and tools ask for on their own, answers with the icon."""

    permanent = False

    def get_redirect_url(self, *args, **kwargs):
        return static("img/favicon.ico")
