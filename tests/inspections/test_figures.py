"""The figures reports/ reads, against a hand count on a small fixture; the guards the
standard asks for at each boundary; the schools not inspected this term; the demo's term in
the report's proportions."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from inspections.models import HazardSource, Improvement, Inspection, InspectionStatus, JointOperation, Notice
from inspections.selectors import (
    guard_staffing,
    inspection_breakdown,
    inspection_coverage,
    inspection_summary,
    required_guards,
    schools_not_inspected,
)
from inspections.services import (
    guard_shortfall_confirm,
    hazard_create,
    hazard_transition,
    improvement_save,
    joint_operation_save,
    notice_create,
    notice_issue,
)
from tests.factories import GuardFactory, SchoolFactory, TermFactory
from tests.inspections.helpers import NOW, an_inspection

pytestmark = pytest.mark.usefixtures("english")
D = datetime.date


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


# -- the guards a school must have ------------------------------------------------------------


@pytest.mark.parametrize(("pupils", "guards"), [
    (0, None),  # not recorded
    (1, 1), (99, 1),
    (100, 2), (999, 2),
    (1000, 3), (1499, 3),
    (1500, 4), (1999, 4),
    (2000, 5), (3500, 8),
])
def test_the_guards_required_at_each_boundary_of_the_standard(pupils, guards):
    assert required_guards(pupils) == guards


def test_short_schools_are_flagged_per_school_and_station_and_a_confirmed_shortfall_is_a_hazard(cast):
    big = SchoolFactory(station=cast.station_a, name="大学校", pupils=1600)  # needs 4
    GuardFactory(school=big)
    GuardFactory(school=big)
    GuardFactory(school=big, active=False, dismissed_reason="离职", dismissed_on=D(2026, 9, 1))
    GuardFactory(school=cast.school_a)
    GuardFactory(school=cast.school_a)  # 800 pupils: 2 needed, 2 there
    unknown = SchoolFactory(station=cast.station_a, name="新学校", pupils=0)
    staffing = guard_staffing(cast.alice)
    rows = {row["school"].name: row for row in staffing["schools"]}
    assert (rows["大学校"]["required"], rows["大学校"]["on_register"], rows["大学校"]["shortfall"],
            rows["大学校"]["short"]) == (4, 2, 2, True)
    assert (rows["圣莲岛小学"]["short"], rows["新学校"]["required"]) == (False, None)
    assert cast.school_b.name not in rows  # another station's
    (station,) = staffing["stations"]
    assert (station["required"], station["on_register"], station["shortfall"], station["short_schools"],
            station["unknown"]) == (6, 4, 2, 1, 1)
    assert [row["school"] for row in guard_staffing(cast.alice, only_short=True)["schools"]] == [big]

    hazard = guard_shortfall_confirm(school=big, user=cast.alice)
    assert (hazard.category, hazard.source, hazard.severity) == ("security", HazardSource.GUARDS, "medium")
    assert "2 on the register, 4 required for 1600 pupils" in hazard.description
    with pytest.raises(ValidationError, match="already a hazard"):
        guard_shortfall_confirm(school=big, user=cast.alice)
    with pytest.raises(ValidationError, match="has the guards the standard asks for"):
        guard_shortfall_confirm(school=cast.school_a, user=cast.alice)
    with pytest.raises(ValidationError, match="enrolment is not recorded"):
        guard_shortfall_confirm(school=unknown, user=cast.alice)


# -- coverage --------------------------------------------------------------------------------


def test_the_schools_not_inspected_this_term_by_station(cast, settings):
    TermFactory(start=D(2026, 9, 1), end=D(2027, 1, 20))
    other = SchoolFactory(station=cast.station_a, name="二小")
    own_term = SchoolFactory(station=cast.station_a, name="职校")
    TermFactory(school=own_term, start=D(2026, 9, 10), end=D(2027, 1, 10))
    no_term = SchoolFactory(station=cast.station_a, name="无学期学校")
    TermFactory(school=no_term, start=D(2026, 2, 1), end=D(2026, 7, 1))
    an_inspection(cast, cast.school_a, submit=True, date=D(2026, 9, 8))
    an_inspection(cast, other)  # a draft does not count
    an_inspection(cast, own_term, submit=True, date=D(2026, 9, 9))  # before its own term began

    coverage = inspection_coverage(cast.alice)
    (station,) = coverage["stations"]
    counts = {row["school"].name: (row["inspections"], row["short"]) for row in station["schools"]}
    assert counts == {"圣莲岛小学": (1, False), "二小": (0, True), "职校": (0, True)}
    assert coverage["no_term"] == [no_term] and station["short"] == 2
    assert {row["school"].name for row in schools_not_inspected(cast.alice)} == {"二小", "职校"}
    assert {row["school"].name for station in inspection_coverage(cast.sam)["stations"]
            for row in station["schools"]} >= {"凯旋路小学", "二小"}
    settings.INSPECTIONS_PER_TERM = 2
    assert {row["school"].name for row in schools_not_inspected(cast.alice)} == {"圣莲岛小学", "二小", "职校"}


# -- the figures ----------------------------------------------------------------------------------


@pytest.fixture
def term_of_work(cast):
    """In September at station A: 3 inspections carried out (one approved, one submitted, one
    returned) and a draft; 2 hazards from them and 1 by hand; 1 notice issued and 1 drafted;
    improvements; a joint operation. At station B: 1 inspection with 1 hazard, a guard
    hired. In August: an inspection, a hazard, an operation, that the range leaves out."""
    from inspections.services import inspection_approve, inspection_return

    a1 = an_inspection(cast, fail={3: "灭火器过期"}, submit=True, date=D(2026, 9, 2))
    fire = a1.hazards.get()
    inspection_approve(inspection=a1, user=cast.sam)
    an_inspection(cast, fail={10: "无人值守"}, submit=True, date=D(2026, 9, 3))
    a3 = an_inspection(cast, submit=True, date=D(2026, 9, 4))
    inspection_return(inspection=a3, user=cast.sam, comment="补充")
    an_inspection(cast, date=D(2026, 9, 5))  # a draft
    traffic = hazard_create(user=cast.alice, school=cast.school_a, category="traffic", description="标线磨损",
                            severity="low", found_on=D(2026, 9, 6))
    an_inspection(cast, cast.school_b, user=cast.bob, fail={7: "无健康证"}, submit=True, date=D(2026, 9, 7))
    an_inspection(cast, user=cast.alice, fail={5: "标志缺失"}, submit=True, date=D(2026, 8, 20))  # August
    notice_issue(notice=notice_create(user=cast.alice, school=cast.school_a, hazards=[fire], deadline=D(2026, 9, 30)),
                 user=cast.alice)
    notice_create(user=cast.alice, school=cast.school_a, hazards=[traffic])
    hazard_transition(hazard=fire, user=cast.alice, action="rectify", note="已整改")
    for kind, quantity, day in (("traffic_sign", 3, D(2026, 9, 8)), ("traffic_sign", 2, D(2026, 9, 9)),
                                ("road_marking", 600, D(2026, 9, 9)), ("cctv", 4, D(2026, 8, 1))):
        improvement_save(user=cast.alice, school=cast.school_a, kind=kind, quantity=quantity, date=day)
    joint_operation_save(user=cast.alice, date=D(2026, 9, 10), title="整治一", police_count=300, venues_checked=150,
                         hazards_found=5, hazards_fixed=4)
    joint_operation_save(user=cast.sam, unit=cast.bureau, date=D(2026, 9, 11), title="整治二", police_count=10,
                         venues_checked=5, hazards_found=1, hazards_fixed=1)
    joint_operation_save(user=cast.alice, date=D(2026, 8, 10), title="八月", police_count=99, venues_checked=9)
    GuardFactory(school=cast.school_b, hire_date=D(2026, 9, 1))
    GuardFactory(school=cast.school_a, hire_date=D(2025, 3, 1))
    return cast


SEPTEMBER = (D(2026, 9, 1), D(2026, 9, 30))


def test_the_figures_equal_a_hand_count(term_of_work):
    cast = term_of_work
    summary = inspection_summary(cast.sam, *SEPTEMBER)
    assert summary == {
        "guards_hired": 1,
        "inspections": 4,  # a1 approved, a2 submitted, a3 returned, station B's; not the draft, not August
        "hazards_found": 4,  # fire, the gate, traffic by hand, station B's food
        "notices": 1,
        "improvements": {"traffic_sign": 5, "cctv": 0, "road_marking": 600, "anti_ram": 0, "alarm_button": 0},
        "joint_operations": 2, "joint_police": 310, "joint_venues": 155, "joint_hazards_fixed": 5,
    }
    station_a = inspection_summary(cast.alice, *SEPTEMBER)
    assert (station_a["inspections"], station_a["hazards_found"], station_a["guards_hired"],
            station_a["joint_operations"]) == (3, 3, 0, 1)
    assert inspection_summary(cast.sam, *SEPTEMBER, unit=cast.station_b)["inspections"] == 1
    assert inspection_summary(cast.sam)["inspections"] == 5  # every date
    assert inspection_summary(cast.sam, *SEPTEMBER)["inspections"] == Inspection.objects.filter(
        date__month=9).exclude(status=InspectionStatus.DRAFT).count()
    assert Notice.objects.count() == 2 and Improvement.objects.count() == 4 and JointOperation.objects.count() == 3


def test_the_breakdowns_by_category_status_and_overdue(term_of_work, time_machine):
    cast = term_of_work
    breakdown = inspection_breakdown(cast.sam, *SEPTEMBER)
    by_category = {row["category"]: row["hazards"] for row in breakdown["hazards_by_category"]}
    assert by_category == {"public_order": 0, "fire": 1, "traffic": 1, "food": 1, "chemicals": 0, "security": 1}
    by_status = {row["status"]: row["hazards"] for row in breakdown["hazards_by_status"]}
    assert by_status == {"open": 3, "notified": 0, "rectified": 1, "verified": 0}
    assert breakdown["overdue"] == 2  # the gate (high, 3 Sep + 3) and B's food (high, 7 Sep + 3); traffic is low
    statuses = {row["status"]: row["inspections"] for row in breakdown["inspections_by_status"]}
    assert statuses == {"draft": 1, "submitted": 2, "approved": 1, "returned": 1}
    assert {row["kind"]: (row["quantity"], row["unit"]) for row in breakdown["improvements"]}["road_marking"] == (
        600, "m²")


def test_the_api_answers_the_same_figures(term_of_work):
    cast = term_of_work
    api = APIClient()
    api.force_login(cast.sam)
    response = api.get("/api/v1/inspections/figures/", {"start": "2026-09-01", "end": "2026-09-30"})
    assert response.status_code == 200
    assert response.json()["summary"] == inspection_summary(cast.sam, *SEPTEMBER)
    assert api.get("/api/v1/inspections/figures/", {"start": "2026-09-30", "end": "2026-09-01"}).status_code == 400
    assert api.get("/api/v1/inspections/figures/", {"colour": "red"}).status_code == 400
