"""What duty brings to the whole system (core/registry.py): the roster, the live board,
leave and standing assignments, check-in and the user's own shifts; the API of the roster;
each role's permissions on shifts, assignments and check-ins; the demo's month of duty."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from core.registry import AppEntry, MenuItem, model_permissions as perms
from duty import api
from org.models import Role

VIEW = [
    "duty.view_shift", "duty.view_assignment", "duty.view_standingassignment", "duty.view_leave",
    "duty.view_rosterweek", "duty.view_generationrun",
]
ROSTER_KEEP = [perm for model in ("duty.assignment", "duty.standingassignment", "duty.leave") for perm in perms(model)]


def api_urls() -> list:
    return [
        path("posts/<int:pk>/distance/", api.PostDistanceView.as_view(), name="api-post-distance"),
        path("roster/", api.RosterView.as_view(), name="api-roster"),
        path("roster/candidates/", api.RosterCandidatesView.as_view(), name="api-roster-candidates"),
        path("roster/publish/", api.RosterPublishView.as_view(), name="api-roster-publish"),
        path("roster/copy-week/", api.RosterCopyWeekView.as_view(), name="api-roster-copy-week"),
    ]


entry = AppEntry(
    label="duty",
    urls="duty.urls",
    api_routes=[
        ("shifts", "duty.api.ShiftViewSet"),
        ("assignments", "duty.api.AssignmentViewSet"),
        ("standing-assignments", "duty.api.StandingAssignmentViewSet"),
        ("leaves", "duty.api.LeaveViewSet"),
    ],
    api_urls=api_urls,
    menu=[
        MenuItem("checkin", _("Check in"), "duty:checkin", "duty.add_checkin", personal=True, order=10),
        MenuItem("my_shifts", _("My shifts"), "duty:my_shifts", "", personal=True, order=20),
        MenuItem("roster", _("Roster"), "duty:roster", "duty.add_assignment", roles={Role.DISPATCHER: 1}, order=10),
        MenuItem("live", _("Live board"), "duty:live", "duty.view_checkin",
                 roles={Role.DISPATCHER: 2, Role.SUPERVISOR: 1, Role.HQ: 1}, order=20),
        MenuItem("leave", _("Leave"), "duty:leave_list", "duty.view_leave", roles={Role.DISPATCHER: 7}, order=100),
        MenuItem("standing", _("Standing assignments"), "duty:standingassignment_list",
                 "duty.view_standingassignment", order=110),
        MenuItem("shifts", _("Shifts"), "duty:shift_list", "duty.view_shift", order=120),
    ],
    role_permissions={
        Role.DISPATCHER: [
            *VIEW,
            "duty.add_shift",  # generate shifts
            "duty.change_rosterweek",  # publish a week
            *ROSTER_KEEP,
            "duty.view_checkin",
            "duty.add_checkin",  # radio roll-call for someone at the post
        ],
        Role.OFFICER: [
            "duty.view_shift",
            "duty.view_assignment",
            "duty.add_checkin",  # his own check-in at the post
        ],
        Role.SUPERVISOR: [*VIEW, "duty.view_checkin"],
        # HQ sees every station and changes nothing (README: "every station of the bureau,
        # read-only"): no shift generation, which can cancel shifts a station has staffed.
        Role.HQ: [*VIEW, "duty.view_checkin"],
        Role.ADMIN: ["duty.view_generationrun"],
    },
    demo="duty.demo.seed",
    demo_reset="duty.demo.reset",
)
