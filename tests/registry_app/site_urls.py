"""The site's URLconf built again, with the registry as it is when this module is imported
(inside the test that installs this app)."""

from huxue.api.routers import build_api_urlpatterns, build_router
from huxue.urls import build_urlpatterns

urlpatterns = build_urlpatterns(build_api_urlpatterns(build_router()))
