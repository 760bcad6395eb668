"""What reports brings to the whole system (core/registry.py): the duty figures page and
API. It has no models, so no permissions of its own: the figures ask for attendance's
`attendance.view_checkin`, as the live board does."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from core.registry import AppEntry, MenuItem
from org.models import Role
from reports.api import duty as api


def root_urls() -> list:
    # The figures' first address, kept for bookmarks (query string and all).
    return [
        path("duty/figures/", RedirectView.as_view(pattern_name="reports:figures", permanent=True,
                                                  query_string=True)),
    ]


def api_urls() -> list:
    return [
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
        MenuItem("figures", _("Figures"), "reports:figures", "attendance.view_checkin",
                 roles={Role.SUPERVISOR: 4, Role.HQ: 2}, order=30),
    ],
)
