"""What duty brings to the whole system (core/registry.py): the roster, leave and standing
assignments and the user's own shifts; the API of the roster; each role's permissions on
shifts and assignments; the demo's month of duty. Check-in and the live board are
attendance's (attendance/registry.py)."""

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
        MenuItem("my_shifts", _("My shifts"), "duty:my_shifts", "", personal=True, order=20),
        MenuItem("roster", _("Roster"), "duty:roster", "duty.add_assignment", roles={Role.DISPATCHER: 1}, order=10),
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
        ],
        Role.OFFICER: [
            "duty.view_shift",
            "duty.view_assignment",
        ],
        Role.SUPERVISOR: VIEW,
        # HQ sees every station and changes nothing (README: "every station of the bureau,
        # read-only"): no shift generation, which can cancel shifts a station has staffed.
        Role.HQ: VIEW,
        Role.ADMIN: ["duty.view_generationrun"],
    },
    demo="duty.demo.seed",
    periodic_tasks={
        "duty.generate_upcoming": (
            _("Generate the coming shifts (nightly)"),
            _("Generates the next ROSTER_GENERATE_DAYS_AHEAD days for every station, one task per station."),
        ),
        "duty.send_reminders": (
            _("Remind people before their shift"),
            _("Notifies each assignee REMIND_BEFORE_MINUTES before a published shift, once."),
        ),
        "duty.check_tallies": (
            _("Check the kept duty counts (nightly)"),
            _("Recounts the last TALLY_CHECK_DAYS closed days and counts again any whose kept figures differ."),
        ),
    },
    demo_reset="duty.demo.reset",
)
