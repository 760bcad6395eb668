"""What supervision brings to the whole system (core/registry.py): the spot-check and bulletin
pages (and their first addresses under /duty/, redirected), their API, each role's permissions
on spot checks, findings and bulletins, and the demo's checks and bulletins."""

from django.utils.translation import gettext_lazy as _

from core.registry import AppEntry, MenuItem, model_permissions as perms
from org.models import Role
from supervision.urls import old_addresses

VIEW = ["supervision.view_spotcheck", "supervision.view_finding", "supervision.view_bulletin"]


entry = AppEntry(
    label="supervision",
    urls="supervision.urls",
    root_urls=old_addresses,
    api_routes=[
        ("spot-checks", "supervision.api.SpotCheckViewSet"),
        ("bulletins", "supervision.api.BulletinViewSet"),
    ],
    menu=[
        MenuItem("spot_checks", _("Spot checks"), "supervision:spotcheck_list", "supervision.view_spotcheck",
                 roles={Role.SUPERVISOR: 2, Role.HQ: 4}, order=40),
        MenuItem("bulletins", _("Bulletins"), "supervision:bulletin_list", "supervision.view_bulletin",
                 roles={Role.SUPERVISOR: 3, Role.HQ: 3}, order=50),
    ],
    role_permissions={
        Role.DISPATCHER: VIEW,
        # Bulletins are sent down to the stations, and read by those who stand the posts.
        Role.OFFICER: ["supervision.view_bulletin"],
        Role.SUPERVISOR: [
            *perms("supervision.spotcheck"),
            *perms("supervision.finding"),
            *perms("supervision.bulletin"),
        ],
        # HQ sees every station and changes nothing.
        Role.HQ: VIEW,
    },
    demo="supervision.demo.seed",
    demo_reset="supervision.demo.reset",
)
