"""What inspections bring to the whole system (core/registry.py): the pages and API, the menu
(the supervisor's review queue, the dispatcher's hazards), each role's permissions, the live
board's alert for overdue hazards, the daily overdue flag, and the demo's term.

Dispatchers and supervisors inspect schools, record hazards, notices, improvements and joint
operations; only supervisors approve or return an inspection; HQ reads everything and changes
nothing; the system administrator keeps the checklists and reads no business data."""

from django.utils.translation import gettext_lazy as _

from core.registry import AppEntry, MenuItem
from core.registry import model_permissions as perms
from org.models import Role

READ = ["view"]
WRITE = ["view", "add", "change"]

INSPECTORS = [
    *perms("inspections.inspection", WRITE),
    *perms("inspections.inspectionanswer", WRITE),
    *perms("inspections.hazard", WRITE),
    *perms("inspections.notice", WRITE),
    *perms("inspections.improvement"),
    *perms("inspections.jointoperation"),
    *perms("inspections.checklisttemplate", READ),
]
READERS = [
    *perms("inspections.inspection", READ),
    *perms("inspections.inspectionanswer", READ),
    *perms("inspections.hazard", READ),
    *perms("inspections.notice", READ),
    *perms("inspections.improvement", READ),
    *perms("inspections.jointoperation", READ),
    *perms("inspections.checklisttemplate", READ),
]

entry = AppEntry(
    label="inspections",
    urls="inspections.urls",
    api_routes=[
        ("inspections", "inspections.api.InspectionViewSet"),
        ("hazards", "inspections.api.HazardViewSet"),
        ("notices", "inspections.api.NoticeViewSet"),
        ("improvements", "inspections.api.ImprovementViewSet"),
        ("joint-operations", "inspections.api.JointOperationViewSet"),
    ],
    menu=[
        MenuItem("review_queue", _("Inspections to review"), "inspections:review_queue",
                 "inspections.review_inspection", roles={Role.SUPERVISOR: 5}, order=55),
        MenuItem("hazards", _("Hazards"), "inspections:hazard_list", "inspections.view_hazard",
                 roles={Role.DISPATCHER: 8, Role.HQ: 6}, order=56),
        MenuItem("inspections", _("Inspections"), "inspections:inspection_list", "inspections.view_inspection",
                 order=57),
        MenuItem("notices", _("Rectification notices"), "inspections:notice_list", "inspections.view_notice",
                 order=58),
        MenuItem("coverage", _("Inspection coverage"), "inspections:coverage", "inspections.view_inspection",
                 order=59),
        MenuItem("guards", _("Guards against the standard"), "inspections:guards", "inspections.view_hazard",
                 order=60),
        MenuItem("improvements", _("Improvements"), "inspections:improvement_list", "inspections.view_improvement",
                 order=61),
        MenuItem("joint_operations", _("Joint operations"), "inspections:jointoperation_list",
                 "inspections.view_jointoperation", order=62),
        MenuItem("checklists", _("Checklists"), "inspections:checklisttemplate_list",
                 "inspections.view_checklisttemplate", roles={Role.ADMIN: 4}, order=165),
    ],
    role_permissions={
        Role.DISPATCHER: INSPECTORS,
        Role.SUPERVISOR: [*INSPECTORS, "inspections.review_inspection"],
        Role.HQ: READERS,
        # The system administrator keeps the checklists (data, not business records).
        Role.ADMIN: [*perms("inspections.checklisttemplate", WRITE), *perms("inspections.checklistitem", WRITE)],
    },
    board_alerts="inspections.selectors.board_alerts",
    periodic_tasks={
        "inspections.flag_overdue_hazards": (
            _("Flag overdue hazards (daily)"),
            _("Flags the hazards past their rectification deadline and tells the station and HQ."),
        ),
    },
    demo="inspections.demo.seed",
    demo_reset="inspections.demo.reset",
)
