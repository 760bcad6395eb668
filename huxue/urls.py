from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import IsAuthenticated

from core import registry
from huxue.api.routers import api_urlpatterns
from huxue.errors import FaviconView
from huxue.views import CspReportView, HealthView, HomeView


def app_urlpatterns() -> list:
    """Every installed app's pages (core/registry.py): first the old addresses apps keep at
    the root, then each app's URLconf at its prefix."""
    entries = registry.entries()
    patterns = [pattern for entry in entries if entry.root_urls for pattern in entry.root_urls()]
    patterns += [path(entry.prefix, include(entry.urls)) for entry in entries if entry.urls]
    return patterns


def build_urlpatterns(api: list) -> list:
    """The site: its own pages, every app's, the back office and the API (`api`: /api/v1/)."""
    return [
        path("", HomeView.as_view(), name="home"),
        path("favicon.ico", FaviconView.as_view(), name="favicon"),
        path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
        path("logout/", auth_views.LogoutView.as_view(), name="logout"),
        path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
        path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
        path("healthz", HealthView.as_view(), name="healthz"),
        *app_urlpatterns(),
        path("admin/", admin.site.urls),
        path("api/v1/", include(api)),
        # The API's description is for signed-in users only: the schema answers 401, the
        # page sends to the login. Swagger UI's split view serves its start-up script as a
        # file of its own (the Content-Security-Policy refuses inline script). Redoc cannot
        # run under the policy (it writes <style> elements before it can be given a nonce,
        # starts a worker from a blob: address and loads its logo from its CDN), so its old
        # address leads to Swagger UI.
        path("api/schema/", SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]), name="schema"),
        path("api/docs/", login_required(SpectacularSwaggerSplitView.as_view(url_name="schema")), name="api-docs"),
        path("api/redoc/", login_required(RedirectView.as_view(pattern_name="api-docs")), name="api-redoc"),
        path("csp-report/", CspReportView.as_view(), name="csp-report"),
    ]


urlpatterns = build_urlpatterns(api_urlpatterns)

admin.site.site_header = "护学 Huxue"
admin.site.site_title = "护学后台"

# Chinese error pages in the site's layout (huxue/errors.py); a refused form is
# settings.CSRF_FAILURE_VIEW.
handler403 = "huxue.errors.permission_denied"
handler404 = "huxue.errors.page_not_found"
handler500 = "huxue.errors.server_error"
