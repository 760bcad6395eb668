"""What outreach brings to the whole system (core/registry.py): the pages of activities,
trainings, drills and drill plans, the plan-against-done and "135" record pages, the
phone page of a pull; their API; each role's permissions; the demo's term of outreach.

Who does what:
- a station's dispatcher records his station's activities, trainings, drills and plans,
  starts a "135" pull at one of his schools, and may tap an arrival for someone (the school
  rang to say its guards are at the gate);
- an officer reads the drills of his station and the pulls he is called to, and taps his own
  arrival on his phone;
- supervisors read everything in the bureau;
- HQ reads everything and changes no record of the stations, but organises the bureau's
  police training batches (分局组织3批次培训) and, as the command centre, may start a pull at
  any school unannounced;
- the three administrators read no business data."""

from django.utils.translation import gettext_lazy as _

from core.registry import AppEntry, MenuItem, model_permissions as perms
from org.models import Role

MODELS = ["outreach.activity", "outreach.activityphoto", "outreach.training", "outreach.drill", "outreach.drillplan"]
VIEW = [perm for model in (*MODELS, "outreach.drillarrival") for perm in perms(model, ["view"])]

entry = AppEntry(
    label="outreach",
    urls="outreach.urls",
    api_routes=[
        ("activities", "outreach.api.ActivityViewSet"),
        ("trainings", "outreach.api.TrainingViewSet"),
        ("drills", "outreach.api.DrillViewSet"),
        ("drill-plans", "outreach.api.DrillPlanViewSet"),
    ],
    menu=[
        # Under "More" for every role: the roles' own bars are the daily work (tests/core/test_registry.py).
        MenuItem("drills", _("Drills"), "outreach:drill_list", "outreach.view_drill", order=110),
        MenuItem("activities", _("Outreach"), "outreach:activity_list", "outreach.view_activity", order=112),
        MenuItem("trainings", _("Trainings"), "outreach:training_list", "outreach.view_training", order=114),
        MenuItem("drill_plans", _("Drill plans"), "outreach:drill_plan_progress", "outreach.view_drillplan",
                 order=116),
        MenuItem("rapid_response", _('"135" record'), "outreach:rapid_response_record", "outreach.view_drill",
                 order=118),
    ],
    role_permissions={
        Role.DISPATCHER: [
            *[perm for model in MODELS for perm in perms(model)],
            "outreach.view_drillarrival", "outreach.add_drillarrival", "outreach.start_pull",
        ],
        Role.OFFICER: ["outreach.view_drill", "outreach.view_drillarrival", "outreach.add_drillarrival"],
        Role.SUPERVISOR: VIEW,
        Role.HQ: [*VIEW, *perms("outreach.training"), "outreach.start_pull"],
    },
    demo="outreach.demo.seed",
    demo_reset="outreach.demo.reset",
)
