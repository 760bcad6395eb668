"""What attendance brings to the whole system (core/registry.py): the officer's check-in page
and the live board (and their first addresses under /duty/, redirected), the check-in,
check-out and excuse actions on an assignment and the post's distance in the API, each role's
permissions on check-ins, and the demo's past attendance."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from rest_framework.routers import SimpleRouter
from rest_framework.urlpatterns import format_suffix_patterns

from attendance import api
from attendance.urls import old_addresses
from core.registry import AppEntry, MenuItem
from org.models import Role


def api_urls() -> list:
    # The actions keep the addresses and names they had on duty's assignments, routed as
    # /api/v1/'s router routed them there (assignments/{id}/check-in/, "assignment-check-in",
    # format suffixes too): the basename is "assignment".
    router = SimpleRouter()
    router.register("assignments", api.AssignmentAttendanceViewSet, basename="assignment")
    return [
        path("posts/<int:pk>/distance/", api.PostDistanceView.as_view(), name="api-post-distance"),
        *format_suffix_patterns(router.urls),
    ]


entry = AppEntry(
    label="attendance",
    urls="attendance.urls",
    root_urls=old_addresses,
    api_urls=api_urls,
    menu=[
        MenuItem("checkin", _("Check in"), "attendance:checkin", "attendance.add_checkin", personal=True, order=10),
        MenuItem("live", _("Live board"), "attendance:live", "attendance.view_checkin",
                 roles={Role.DISPATCHER: 2, Role.SUPERVISOR: 1, Role.HQ: 1}, order=20),
    ],
    role_permissions={
        Role.DISPATCHER: [
            "attendance.view_checkin",
            "attendance.add_checkin",  # radio roll-call for someone at the post
        ],
        Role.OFFICER: ["attendance.add_checkin"],  # his own check-in at the post
        Role.SUPERVISOR: ["attendance.view_checkin"],
        Role.HQ: ["attendance.view_checkin"],
    },
    demo="attendance.demo.seed",
    periodic_tasks={
        # Kept under duty's name: the beat entries and running workers know it by it.
        "duty.close_ended_shifts": (
            _("Close ended shifts and mark absences"),
            _("Decides the attendance of shifts that have ended: absent, late, left early."),
        ),
    },
    demo_reset="attendance.demo.reset",
)
