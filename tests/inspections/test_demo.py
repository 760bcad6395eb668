"""The demo's inspections (inspections/demo.py, run by seed_demo after the district): the
term so far in the report's proportions, counted by the selector HQ reads; and its reset."""

from io import StringIO

import pytest
from django.core.management import call_command

from inspections.demo import reset
from inspections.models import Hazard, Improvement, Inspection, InspectionStatus, JointOperation, Notice
from inspections.selectors import inspection_coverage, inspection_summary
from org.models import Role, User


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo district with this app's demo hook alone (the other apps' hooks are theirs to
    test; this one reads only the district)."""
    from core import registry

    hooks = [(entry, hook) for entry, hook in registry.demo_hooks() if entry.label == "inspections"]
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(registry, "demo_hooks", lambda: hooks)
        call_command("seed_demo", password="Demo-pass-2026", stdout=StringIO(), stderr=StringIO())
        yield
        call_command("flush", interactive=False, verbosity=0)


@pytest.mark.django_db
def test_the_demo_term_has_the_report_s_inspection_figures(seeded):
    hq = User.objects.filter(role=Role.HQ).first()
    assert Inspection.objects.count() == 159
    statuses = {s: Inspection.objects.filter(status=s).count() for s in InspectionStatus.values}
    assert statuses["draft"] == 0 and statuses["returned"] == 1
    assert 0 < statuses["submitted"] < 10 and statuses["approved"] > 140
    assert Hazard.objects.count() == 35
    assert set(Hazard.objects.values_list("status", flat=True)) == {"open", "notified", "rectified", "verified"}
    assert Hazard.objects.overdue().exists()
    assert Notice.objects.filter(status="issued").count() == 18
    totals = inspection_summary(hq)
    assert (totals["inspections"], totals["hazards_found"], totals["notices"]) == (159, 35, 18)
    assert totals["improvements"] == {"traffic_sign": 19, "cctv": 11, "road_marking": 2400, "anti_ram": 4,
                                      "alarm_button": 16}
    assert (totals["joint_operations"], totals["joint_police"], totals["joint_venues"],
            totals["joint_hazards_fixed"]) == (4, 1210, 600, 16)
    assert any(station["short"] for station in inspection_coverage(hq)["stations"])


@pytest.mark.django_db
def test_the_reset_removes_the_demo_s_inspections(seeded):
    reset()
    assert not any(model.objects.exists() for model in (Inspection, Hazard, Notice, Improvement, JointOperation))
