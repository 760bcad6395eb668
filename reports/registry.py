"""What reports brings to the whole system (core/registry.py): the duty figures page and
API ask for attendance's `attendance.view_checkin`, as the live board does; the work
briefing has its own model and permissions (role_permissions below)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from core.registry import AppEntry, MenuItem
from core.registry import model_permissions as perms
from org.models import Role
from reports.api import briefing as briefing_api
from reports.api import duty as api
from reports.api import dashboard as dashboard_api
from reports.api import summary as summary_api


def root_urls() -> list:
    # The figures' first address, kept for bookmarks (query string and all).
    return [
        path("duty/figures/", RedirectView.as_view(pattern_name="reports:figures", permanent=True,
                                                  query_string=True)),
    ]


def api_urls() -> list:
    return [
        path("stats/summary/", summary_api.SummaryView.as_view(), name="api-stats-summary"),
        path("stats/dashboard/", dashboard_api.DashboardView.as_view(), name="api-stats-dashboard"),
        path("reports/briefing/", briefing_api.BriefingView.as_view(), name="api-reports-briefing"),
        path("stats/duty/", api.DutyFiguresView.as_view(), name="api-stats-duty"),
        # The figures' first address, deprecated: the same answer as stats/duty/.
        path("stats/attendance/", api.AttendanceFiguresView.as_view(), name="api-stats-attendance"),
    ]


entry = AppEntry(
    label="reports",
    urls="reports.urls",
    root_urls=root_urls,
    api_urls=api_urls,
    menu=[
        # HQ's first page; a supervisor's after his daily ones (the live board is first in
        # every bar: order 15 puts the dashboard ahead of it where they share HQ's position 1).
        MenuItem("dashboard", _("Dashboard"), "reports:dashboard", "attendance.view_checkin",
                 roles={Role.HQ: 1, Role.SUPERVISOR: 5}, order=15),
        MenuItem("figures", _("Figures"), "reports:figures", "attendance.view_checkin",
                 roles={Role.SUPERVISOR: 4, Role.HQ: 2}, order=30),
        # The work briefing (工作总结): HQ writes it, supervisors read it; a station reads its own
        # under "More".
        MenuItem("briefing", _("Work briefing"), "reports:briefing", "reports.view_briefing",
                 roles={Role.HQ: 3, Role.SUPERVISOR: 6}, order=32),
    ],
    # The work briefing: HQ writes each period's text; supervisors and the stations' dispatchers
    # read and download it for the units they see.
    role_permissions={
        Role.HQ: perms("reports.briefing"),
        Role.SUPERVISOR: perms("reports.briefing", ["view"]),
        Role.DISPATCHER: perms("reports.briefing", ["view"]),
    },
)
