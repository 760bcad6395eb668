"""The handling of an incident: each step (reported, taken, escalated, referred, closed,
reopened) is a row with who took it and when, shown as a timeline; a step its status does
not allow is refused saying why, by the service, the API (400 naming `kind`) and the page.
The clock starts on Monday 7 September 2026 at 07:45 and moves between the steps."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from incidents.models import Incident, IncidentStep
from incidents.services import incident_create, incident_step, incident_update
from tests.scenes import client_for

pytestmark = pytest.mark.usefixtures("english", "english_pages")

TZ = ZoneInfo("Asia/Shanghai")
API = "/api/v1/incidents/"


def moment(hour, minute):
    return datetime.datetime(2026, 9, 7, hour, minute, tzinfo=TZ)


@pytest.fixture
def clock_start():
    return moment(7, 45)


def refused(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as excinfo:
        call()
    return excinfo.value.message_dict


def an_emergency(cast, **fields):
    return incident_create(user=cast.oscar, kind="emergency", post=cast.post_a, occurred_at=moment(7, 40),
                           summary="电动三轮车失控冲向校门", **fields)


def test_the_timeline_from_report_to_closing_again(cast, clock):
    incident = an_emergency(cast)
    clock(moment(7, 50))
    incident_step(incident=incident, user=cast.alice, kind="taken")
    clock(moment(7, 55))
    incident_step(incident=incident, user=cast.alice, kind="escalated", note="请所长到场")
    clock(moment(8, 0))
    assert refused(lambda: incident_step(incident=incident, user=cast.alice, kind="referred")) == {
        "department": ["Name the department it was referred to."]}
    incident_step(incident=incident, user=cast.sam, kind="referred", department="交警大队")
    clock(moment(8, 30))
    assert refused(lambda: incident_step(incident=incident, user=cast.alice, kind="closed")) == {
        "action_taken": ["Say what was done before closing the incident."]}
    incident_update(incident=incident, user=cast.alice, action_taken="拦停车辆，疏导学生")
    incident_step(incident=incident, user=cast.alice, kind="closed")
    clock(moment(9, 0))
    assert refused(lambda: incident_step(incident=incident, user=cast.alice, kind="reopened", note=" ")) == {
        "note": ["Say why it is reopened."]}
    incident_step(incident=incident, user=cast.sam, kind="reopened", note="家长反映车辆未处理")
    clock(moment(9, 20))
    incident_step(incident=incident, user=cast.alice, kind="closed")

    steps = [(s.kind, s.by, s.at, s.person, s.department, s.note) for s in incident.steps.all()]
    assert steps == [
        ("reported", cast.oscar, moment(7, 45), None, "", ""),
        ("taken", cast.alice, moment(7, 50), None, "", ""),  # Alice stands for nobody on the roster
        ("escalated", cast.alice, moment(7, 55), None, "", "请所长到场"),
        ("referred", cast.sam, moment(8, 0), None, "交警大队", ""),
        ("closed", cast.alice, moment(8, 30), None, "", ""),
        ("reopened", cast.sam, moment(9, 0), None, "", "家长反映车辆未处理"),
        ("closed", cast.alice, moment(9, 20), None, "", ""),
    ]
    assert Incident.objects.get(pk=incident.pk).status == "closed"


def test_taking_it_names_the_person_on_the_roster(cast):
    incident = an_emergency(cast)
    step = incident_step(incident=incident, user=cast.oscar, kind="taken")
    assert step.person == cast.officer_a
    step = incident_step(incident=incident, user=cast.alice, kind="escalated")
    assert step.person is None


@pytest.mark.parametrize("status, step, message", [
    ("draft", "taken", "The incident is still a draft: report it first."),
    ("draft", "closed", "The incident is still a draft: report it first."),
    ("closed", "closed", "The incident is closed: reopen it before it is Closed."),
    ("closed", "taken", "The incident is closed: reopen it before it is Taken by."),
    ("open", "reopened", "Only a closed incident can be reopened."),
    ("open", "reported", "The incident has already been reported."),
    ("taken", "taken", "An incident that is “In hand” cannot be Taken by."),
    ("referred", "referred", "An incident that is “Referred to another department” cannot be Referred to "
                             "another department."),
])
def test_a_step_its_status_does_not_allow_is_refused_saying_why(cast, status, step, message):
    incident = an_emergency(cast, action_taken="已处置")
    Incident.objects.filter(pk=incident.pk).update(status=status)
    before = list(IncidentStep.objects.values_list("pk", flat=True))
    errors = refused(lambda: incident_step(incident=incident, user=cast.alice, kind=step, department="交警大队",
                                           note="再看看"))
    assert errors == {"kind": [message]}
    assert Incident.objects.get(pk=incident.pk).status == status
    assert list(IncidentStep.objects.values_list("pk", flat=True)) == before


def test_reporting_twice_is_refused(cast):
    incident = an_emergency(cast)
    errors = refused(lambda: incident_update(incident=incident, user=cast.alice, report=True, summary="改了"))
    assert errors == {"kind": ["The incident has already been reported."]}
    assert Incident.objects.get(pk=incident.pk).summary == "电动三轮车失控冲向校门"
    errors = refused(lambda: incident_step(incident=incident, user=cast.alice, kind="reported"))
    assert errors == {"kind": ["The incident has already been reported."]}
    assert incident.steps.filter(kind="reported").count() == 1


def test_a_closed_incident_is_changed_only_once_reopened(cast):
    incident = an_emergency(cast, action_taken="已处置")
    incident_step(incident=incident, user=cast.alice, kind="closed")
    with pytest.raises(PermissionDenied, match="reopen it first"):
        incident_update(incident=incident, user=cast.alice, summary="改了")
    incident_step(incident=incident, user=cast.alice, kind="reopened", note="补充情况")
    assert incident_update(incident=incident, user=cast.alice, summary="改了").summary == "改了"


def test_another_stations_dispatcher_takes_no_step_even_through_the_service(cast):
    incident = an_emergency(cast)
    with pytest.raises(PermissionDenied):
        incident_step(incident=incident, user=cast.bob, kind="taken")
    assert incident.steps.count() == 1


def test_the_api_actions_take_the_steps_and_refuse_with_a_reason(cast, clock):
    incident = an_emergency(cast)
    api = client_for(cast.alice)
    url = f"{API}{incident.pk}/"
    response = api.post(f"{url}take/")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "taken"
    assert [s["kind"] for s in response.json()["steps"]] == ["reported", "taken"]
    assert response.json()["steps"][1]["by"] == "艾丽"
    response = api.post(f"{url}refer/", {}, format="json")
    assert response.status_code == 400 and "department" in response.json()
    assert api.post(f"{url}refer/", {"department": "交警大队"}, format="json").status_code == 200
    response = api.post(f"{url}close/")
    assert response.status_code == 400 and "action_taken" in response.json()
    assert api.patch(url, {"action_taken": "已处置"}, format="json").status_code == 200
    assert api.post(f"{url}close/").json()["status"] == "closed"
    response = api.post(f"{url}close/")
    assert response.status_code == 400
    assert response.json() == {"kind": ["The incident is closed: reopen it before it is Closed."]}
    response = api.post(f"{url}report/")
    assert response.status_code == 403  # closed: changed by nobody until reopened
    response = api.post(f"{url}reopen/", {}, format="json")
    assert response.status_code == 400 and "note" in response.json()
    response = api.post(f"{url}reopen/", {"note": "家长再次反映"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "open"
    response = api.post(f"{url}reopen/", {"note": "家长再次反映"}, format="json")
    assert response.json() == {"kind": ["Only a closed incident can be reopened."]}
    response = api.post(f"{url}report/")
    assert response.status_code == 400 and "kind" in response.json(), response.content
    assert [s.kind for s in incident.steps.all()] == ["reported", "taken", "referred", "closed", "reopened"]
    # An officer has no change permission; station B's dispatcher does not see it.
    for user, status in ((cast.oscar, 403), (cast.bob, 404), (cast.henry, 403)):
        for action in ("take", "escalate", "refer", "close", "reopen"):
            response = client_for(user).post(f"{url}{action}/", {"department": "x", "note": "x"}, format="json")
            assert response.status_code == status, (user, action, response.content)
    assert incident.steps.count() == 5


def test_the_page_takes_a_step_and_shows_the_timeline(cast, client):
    incident = an_emergency(cast)
    client.force_login(cast.alice)
    detail = reverse("incidents:incident_detail", args=[incident.pk])
    step = reverse("incidents:incident_step", args=[incident.pk])
    response = client.get(detail)
    assert {s.value for s in response.context["steps"]} == {"taken", "escalated", "referred", "closed"}
    response = client.post(step, {"kind": "referred", "department": ""}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["Name the department it was referred to."]
    response = client.post(step, {"kind": "referred", "department": "交警大队"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["Recorded: Referred to another department."]
    response = client.post(step, {"kind": "reopened", "note": "x"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["Only a closed incident can be reopened."]
    html = response.content.decode()
    assert html.count('class="list-group-item timeline-step"') == 2
    assert "交警大队" in html and "张斌" in html
    # An officer sees the timeline but no step to take.
    client.force_login(cast.oscar)
    response = client.get(detail)
    assert response.status_code == 200 and response.context["steps"] == []
    assert 'id="incident-step-form"' not in response.content.decode()
