"""Who may do what with inspections, hazards, notices, improvements and joint operations,
through the API and the pages: the shared contract (tests/contracts.py), and by hand the
review (a dispatcher cannot approve; another station's inspection is 404).

Dispatchers and supervisors inspect and record; HQ reads; officers and the administrators
see none of it. Inspections, hazards and notices are records: created and changed, never
deleted; improvements and joint operations are plain rows."""

import itertools

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from inspections.models import Hazard, Improvement, Inspection, InspectionStatus, JointOperation, Notice
from inspections.services import (
    hazard_create,
    improvement_save,
    joint_operation_save,
    notice_create,
)
from tests.contracts import APIContract, PageContract, snapshot
from tests.factories import SchoolFactory
from tests.inspections.helpers import NOW, TODAY, an_inspection

_n = itertools.count()
INSPECTORS = {"dispatcher", "supervisor", "hq"}


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


class InspectionResource:
    model = Inspection
    may_read = INSPECTORS
    may_write = {"dispatcher", "supervisor"}
    writable_actions = {"create", "update"}
    detail_actions = ("submit",)

    def make_object(self, cast, station):
        school = cast.school_a if station == cast.station_a else SchoolFactory(station=station)
        return an_inspection(cast, school, user=cast.sam, fail={})


class TestInspectionsAPI(InspectionResource, APIContract):
    url = "/api/v1/inspections/"

    def create_payload(self, cast):
        return {"school": cast.school_a.pk, "date": TODAY.isoformat(), "note": "开学检查"}

    def update_payload(self, cast, obj):
        first = obj.template.items.order_by("order").first()
        return {"note": "改", "answers": [{"item": first.pk, "result": "pass"}]}


class TestInspectionPages(InspectionResource, PageContract):
    def form_data(self, cast):
        return {"school": cast.school_a.pk, "date": TODAY.isoformat(), "note": f"第{next(_n)}次检查"}


class HazardResource:
    model = Hazard
    may_read = INSPECTORS
    may_write = {"dispatcher", "supervisor"}
    writable_actions = {"create", "update"}
    detail_actions = ("rectify",)

    def make_object(self, cast, station):
        school = cast.school_a if station == cast.station_a else SchoolFactory(station=station)
        return hazard_create(user=cast.sam, school=school, category="traffic", description="标线磨损",
                             severity="low")

    def action_data(self, cast, action, obj):
        return {"note": "已整改", "action": action}


class TestHazardsAPI(HazardResource, APIContract):
    url = "/api/v1/hazards/"

    def create_payload(self, cast):
        return {"school": cast.school_a.pk, "category": "fire", "description": "通道堵塞", "severity": "high"}

    def update_payload(self, cast, obj):
        return {"description": "通道堵塞（已核实）"}


class TestHazardPages(HazardResource, PageContract):
    detail_actions = ("step",)

    def form_data(self, cast):
        return {"school": cast.school_a.pk, "category": "food", "description": f"留样缺失{next(_n)}",
                "severity": "medium", "found_on": TODAY.isoformat()}


class NoticeResource:
    model = Notice
    may_read = INSPECTORS
    may_write = {"dispatcher", "supervisor"}
    writable_actions = {"create", "update"}
    detail_actions = ("issue",)

    def make_object(self, cast, station):
        school = cast.school_a if station == cast.station_a else SchoolFactory(station=station)
        hazard = hazard_create(user=cast.sam, school=school, category="fire", description="灭火器过期",
                               severity="medium")
        return notice_create(user=cast.sam, school=school, hazards=[hazard], text="限期整改")


class TestNoticesAPI(NoticeResource, APIContract):
    url = "/api/v1/notices/"

    def create_payload(self, cast):
        hazard = hazard_create(user=cast.alice, school=cast.school_a, category="fire", description="x", severity="low")
        return {"school": cast.school_a.pk, "hazards": [hazard.pk], "text": "限期整改"}

    def update_payload(self, cast, obj):
        return {"text": "限期整改（修改）"}


class TestNoticePages(NoticeResource, PageContract):
    def form_data(self, cast):
        hazard = hazard_create(user=cast.alice, school=cast.school_a, category="fire", description=f"隐患{next(_n)}",
                               severity="low")
        return {"school": cast.school_a.pk, "hazards": [hazard.pk], "deadline": TODAY.isoformat(), "text": "限期"}


class ImprovementResource:
    model = Improvement
    may_read = INSPECTORS
    may_write = {"dispatcher", "supervisor"}

    def make_object(self, cast, station):
        school = cast.school_a if station == cast.station_a else SchoolFactory(station=station)
        return improvement_save(user=cast.sam, school=school, kind="cctv", quantity=2, date=TODAY)


class TestImprovementsAPI(ImprovementResource, APIContract):
    url = "/api/v1/improvements/"

    def create_payload(self, cast):
        return {"school": cast.school_a.pk, "kind": "road_marking", "quantity": 600, "date": TODAY.isoformat()}

    def update_payload(self, cast, obj):
        return {"quantity": 650}


class TestImprovementPages(ImprovementResource, PageContract):
    def form_data(self, cast):
        return {"school": cast.school_a.pk, "kind": "traffic_sign", "quantity": 3, "date": TODAY.isoformat(),
                "note": ""}


class JointOperationResource:
    model = JointOperation
    may_read = INSPECTORS
    may_write = {"dispatcher", "supervisor"}

    def make_object(self, cast, station):
        return joint_operation_save(user=cast.sam, unit=station, date=TODAY, title=f"联合整治{next(_n)}",
                                    police_count=30, venues_checked=20, hazards_found=3, hazards_fixed=2)


class TestJointOperationsAPI(JointOperationResource, APIContract):
    url = "/api/v1/joint-operations/"

    def create_payload(self, cast):
        return {"date": TODAY.isoformat(), "title": "校园周边整治", "departments": "教育局、城管局",
                "police_count": 40, "venues_checked": 25, "venues_by_type": {"internet_cafe": 10, "shop": 15},
                "hazards_found": 4, "hazards_fixed": 3, "vendors_cleared": 6}

    def update_payload(self, cast, obj):
        return {"police_count": 45}


class TestJointOperationPages(JointOperationResource, PageContract):
    def form_data(self, cast):
        return {"date": TODAY.isoformat(), "title": f"联合整治{next(_n)}", "departments": "教育局",
                "police_count": 10, "venues_checked": 5, "hazards_found": 1, "hazards_fixed": 1,
                "vendors_cleared": 0, "note": "", "venues_shop": 5}


# -- the review ---------------------------------------------------------------------------------


def test_a_dispatcher_cannot_approve_or_return_through_the_api_or_the_pages(cast, client):
    inspection = an_inspection(cast, fail={}, submit=True)
    before = snapshot(inspection)
    api = client_for(cast.alice)
    for action in ("approve", "return"):
        response = api.post(f"/api/v1/inspections/{inspection.pk}/{action}/", {"comment": "x"}, format="json")
        assert response.status_code == 403, (action, response.content)
    client.force_login(cast.alice)
    for name in ("inspections:inspection_approve", "inspections:inspection_return"):
        assert client.post(reverse(name, args=[inspection.pk]), {"comment": "x"}).status_code == 403
    assert client.get(reverse("inspections:review_queue")).status_code == 403
    assert snapshot(inspection) == before


def test_another_station_s_inspection_is_404_to_the_review_and_its_actions(cast, client):
    inspection = an_inspection(cast, fail={}, submit=True)
    api = client_for(cast.bob)
    assert api.get(f"/api/v1/inspections/{inspection.pk}/").status_code == 404
    for action in ("submit", "approve", "return"):
        assert api.post(f"/api/v1/inspections/{inspection.pk}/{action}/", {}, format="json").status_code in (403, 404)
    client.force_login(cast.bob)
    assert client.get(reverse("inspections:inspection_detail", args=[inspection.pk])).status_code == 404
    assert client.post(reverse("inspections:inspection_submit", args=[inspection.pk])).status_code == 404
    assert Inspection.objects.get(pk=inspection.pk).status == InspectionStatus.SUBMITTED


def test_the_review_round_trip_through_the_api(cast):
    inspection = an_inspection(cast, fail={3: "灭火器压力不足"})
    alice, sam = client_for(cast.alice), client_for(cast.sam)
    response = alice.post(f"/api/v1/inspections/{inspection.pk}/submit/")
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    assert len(response.json()["hazards"]) == 1
    item = inspection.template.items.get(order=3)
    response = sam.post(f"/api/v1/inspections/{inspection.pk}/return/",
                        {"comment": "请补充", "items": {str(item.pk): "写明数量"}}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "returned"
    response = alice.patch(f"/api/v1/inspections/{inspection.pk}/",
                           {"answers": [{"item": item.pk, "result": "fail", "note": "灭火器压力不足6具"}]}, format="json")
    assert response.status_code == 200, response.content
    assert alice.post(f"/api/v1/inspections/{inspection.pk}/submit/").json()["round"] == 2
    response = sam.post(f"/api/v1/inspections/{inspection.pk}/approve/", {}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "approved"
    response = alice.patch(f"/api/v1/inspections/{inspection.pk}/", {"note": "改"}, format="json")
    assert response.status_code == 400 and "status" in response.json()


def test_refused_transitions_answer_400_naming_the_field(cast):
    hazard = hazard_create(user=cast.alice, school=cast.school_a, category="fire", description="x", severity="low")
    api = client_for(cast.alice)
    response = api.post(f"/api/v1/hazards/{hazard.pk}/verify/", {}, format="json")
    assert response.status_code == 400 and "status" in response.json()
    response = api.post(f"/api/v1/hazards/{hazard.pk}/rectify/", {}, format="json")
    assert response.status_code == 400 and "note" in response.json()
    assert api.post(f"/api/v1/hazards/{hazard.pk}/rectify/", {"note": "已整改"}, format="json").json()["status"] == \
        "rectified"
    response = client_for(cast.sam).post(f"/api/v1/inspections/{an_inspection(cast).pk}/return/", {}, format="json")
    assert response.status_code == 400 and "status" in response.json()
    assert client_for(cast.henry).post(f"/api/v1/hazards/{hazard.pk}/verify/", {}, format="json").status_code == 403


def test_an_unknown_filter_is_a_400_naming_it(cast):
    response = client_for(cast.alice).get("/api/v1/hazards/", {"colour": "red"})
    assert response.status_code == 400 and "colour" in response.json()
