"""The /api/v1/ router: each app registers its viewsets here, under DESIGN.md's names."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from huxue.api.auth import ObtainTokenView
from duty import api as duty_api
from org import api as org_api
from posts import api as posts_api

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
    path("roster/", duty_api.RosterView.as_view(), name="api-roster"),
    path("roster/candidates/", duty_api.RosterCandidatesView.as_view(), name="api-roster-candidates"),
    path("roster/publish/", duty_api.RosterPublishView.as_view(), name="api-roster-publish"),
    path("roster/copy-week/", duty_api.RosterCopyWeekView.as_view(), name="api-roster-copy-week"),
    path("stats/attendance/", duty_api.AttendanceFiguresView.as_view(), name="api-stats-attendance"),
    path("", include(router.urls)),
]
