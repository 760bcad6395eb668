"""What the key-person register brings to the whole system (core/registry.py): its pages and
API, the audit administrator's page of who read whom, the reading permissions of supervisors
and HQ (keypersons/access.py says why; the keepers are a group, not a role), the hourly look
for overdue follow-ups, and the demo's register."""

from django.utils.translation import gettext_lazy as _

from core.registry import AppEntry, MenuItem
from org.models import Role

READ = ["keypersons.view_keyperson", "keypersons.view_followup"]

entry = AppEntry(
    label="keypersons",
    urls="keypersons.urls",
    url_prefix="key-persons/",
    api_routes=[("key-persons", "keypersons.api.KeyPersonViewSet")],
    menu=[
        MenuItem("key_persons", _("Key persons"), "keypersons:keyperson_list", "keypersons.view_keyperson",
                 order=60),
        MenuItem("key_person_access", _("Key-person access"), "keypersons:access_overview", "audit.view_auditevent",
                 roles={Role.AUDITOR: 2}, order=185),
    ],
    role_permissions={
        # They check that the stations keep the register, and count it: masked, read-only.
        Role.SUPERVISOR: READ,
        Role.HQ: READ,
    },
    periodic_tasks={
        "keypersons.alert_overdue": (
            _("Alert overdue key-person follow-ups"),
            _("Tells the station's keepers of the register and HQ of each follow-up overdue, once per overdue "
              "period."),
        ),
    },
    demo="keypersons.demo.seed",
    demo_reset="keypersons.demo.reset",
)
