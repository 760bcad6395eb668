"""What the incident log brings to the whole system (core/registry.py): its pages and API,
the button on the officer's current-shift page, the live board's alert for emergencies not
closed in time, each role's permissions, and the demo's term of incidents."""

from django.utils.translation import gettext_lazy as _

from core.registry import AppEntry, MenuItem, ShiftAction
from core.registry import model_permissions as perms
from org.models import Role

entry = AppEntry(
    label="incidents",
    urls="incidents.urls",
    api_routes=[("incidents", "incidents.api.IncidentViewSet")],
    menu=[
        MenuItem("incidents", _("Incidents"), "incidents:incident_list", "incidents.view_incident",
                 roles={Role.DISPATCHER: 2, Role.SUPERVISOR: 3, Role.HQ: 5}, order=45),
    ],
    shift_actions=[
        ShiftAction("incident", _("Report an incident"), "incidents:incident_report", "incidents.add_incident",
                    icon="exclamation-triangle"),
    ],
    board_alerts="incidents.selectors.board_alerts",
    role_permissions={
        # The station's desk records and corrects incidents and takes their handling steps.
        Role.DISPATCHER: [*perms("incidents.incident", ["view", "add", "change"]),
                          *perms("incidents.incidentstep", ["view"])],
        # At the gate: report what happened, keep a draft, finish his own draft.
        Role.OFFICER: [*perms("incidents.incident", ["view", "add"])],
        Role.SUPERVISOR: [*perms("incidents.incident", ["view", "add", "change"]),
                          *perms("incidents.incidentstep", ["view"])],
        # HQ sees every station and changes nothing.
        Role.HQ: [*perms("incidents.incident", ["view"]), *perms("incidents.incidentstep", ["view"])],
    },
    demo="incidents.demo.seed",
    demo_reset="incidents.demo.reset",
)
