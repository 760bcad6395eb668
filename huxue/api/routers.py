"""The /api/v1/ router: each app registers its viewsets here, under DESIGN.md's names."""

from django.urls import include, path, re_path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view, permission_classes, renderer_classes
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.routers import DefaultRouter

from huxue.api.auth import ObtainTokenView
from duty import api as duty_api
from org import api as org_api
from posts import api as posts_api
from reports import api as reports_api


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@permission_classes([AllowAny])
@renderer_classes([JSONRenderer])
def api_not_found(request, *args, **kwargs):
    raise NotFound(_("No such API address."))


router = DefaultRouter()
router.register("units", org_api.UnitViewSet)
router.register("people", org_api.PersonViewSet)
router.register("schools", posts_api.SchoolViewSet)
router.register("posts", posts_api.PostViewSet)
router.register("terms", posts_api.TermViewSet)
router.register("calendar-overrides", posts_api.CalendarOverrideViewSet)
router.register("timetables", posts_api.TimetableViewSet)
router.register("shifts", duty_api.ShiftViewSet)
router.register("assignments", duty_api.AssignmentViewSet)
router.register("standing-assignments", duty_api.StandingAssignmentViewSet)
router.register("leaves", duty_api.LeaveViewSet)
router.register("spot-checks", duty_api.SpotCheckViewSet)
router.register("bulletins", duty_api.BulletinViewSet)

api_urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("posts/<int:pk>/distance/", duty_api.PostDistanceView.as_view(), name="api-post-distance"),
    path("roster/", duty_api.RosterView.as_view(), name="api-roster"),
    path("roster/candidates/", duty_api.RosterCandidatesView.as_view(), name="api-roster-candidates"),
    path("roster/publish/", duty_api.RosterPublishView.as_view(), name="api-roster-publish"),
    path("roster/copy-week/", duty_api.RosterCopyWeekView.as_view(), name="api-roster-copy-week"),
    path("stats/duty/", reports_api.DutyFiguresView.as_view(), name="api-stats-duty"),
    # The figures' first address, deprecated: the same answer as stats/duty/.
    path("stats/attendance/", reports_api.AttendanceFiguresView.as_view(), name="api-stats-attendance"),
    path("", include(router.urls)),
    # Anything else under the API (an id that is not a number, a misspelt resource) is the
    # API's 404, in JSON like every other answer, not the site's HTML page. Only paths with
    # the trailing slash: one without is redirected to it first (APPEND_SLASH).
    re_path(r"^[\s\S]*/$", api_not_found, name="api-not-found"),
]
