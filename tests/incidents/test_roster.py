"""Who was on duty: an incident names the shift running at its post when it happened and the
people who stood it then, from the roster (not who stands the post when it is recorded), the
excused left out; and the gate's form opened from the officer's shift is prefilled with his
post and the people on duty.

Station A's main gate on Monday 7 September 2026: a morning shift 07:25-08:10 (Oscar and
李同, and 请假 excused) and an afternoon shift 16:15-17:00 (王五)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from duty.models import AttendanceStatus
from incidents.models import Incident
from incidents.selectors import on_duty_at
from incidents.services import incident_create, incident_update
from tests.factories import PersonFactory, ShiftFactory
from tests.scenes import put_on

pytestmark = pytest.mark.usefixtures("english_pages")

TZ = ZoneInfo("Asia/Shanghai")


def moment(hour, minute):
    return datetime.datetime(2026, 9, 7, hour, minute, tzinfo=TZ)


@pytest.fixture
def gate(cast):
    cast.morning = ShiftFactory(post=cast.post_a, period="am", published=True)
    cast.afternoon = ShiftFactory(post=cast.post_a, period="pm", published=True)
    cast.li = PersonFactory(name="李同", unit=cast.station_a)
    cast.wang = PersonFactory(name="王五", unit=cast.station_a)
    cast.away = PersonFactory(name="请假", unit=cast.station_a)
    cast.oscar_am = put_on(cast.morning, cast.officer_a)
    put_on(cast.morning, cast.li)
    put_on(cast.morning, cast.away, attendance=AttendanceStatus.EXCUSED, excuse_reason="病假")
    put_on(cast.afternoon, cast.wang)
    # Station B's gate at the same time, with its own officer.
    cast.shift_b = ShiftFactory(post=cast.post_b, period="am", published=True)
    cast.theirs = put_on(cast.shift_b, PersonFactory(name="乙警", unit=cast.station_b))
    return cast


def names(people) -> set[str]:
    return {person.name for person in people}


def test_the_people_on_duty_then_not_now(gate, time_machine):
    time_machine.move_to(moment(16, 30), tick=False)  # the afternoon shift is running
    found = on_duty_at(post=gate.post_a, at=moment(7, 40))
    assert found.shift == gate.morning
    assert names(found.people) == {"张斌", "李同"}
    incident = incident_create(user=gate.alice, kind="help", post=gate.post_a, occurred_at=moment(7, 40),
                               summary="家长寻找孩子")
    assert incident.shift == gate.morning
    assert names(incident.on_duty.all()) == {"张斌", "李同"}
    now = on_duty_at(post=gate.post_a, at=moment(16, 30))
    assert now.shift == gate.afternoon and names(now.people) == {"王五"}


def test_nobody_is_named_when_no_shift_was_running(gate, time_machine):
    time_machine.move_to(moment(16, 30), tick=False)
    found = on_duty_at(post=gate.post_a, at=moment(12, 0))
    assert (found.shift, found.people) == (None, [])
    incident = incident_create(user=gate.alice, kind="help", post=gate.post_a, occurred_at=moment(12, 0),
                               summary="午间求助")
    assert incident.shift is None and not incident.on_duty.exists()
    # Without a post nobody can be named either.
    incident = incident_create(user=gate.alice, kind="help", school=gate.school_a, occurred_at=moment(7, 40),
                               summary="校门外求助")
    assert incident.shift is None and not incident.on_duty.exists()


def test_a_cancelled_shift_names_nobody(gate, time_machine):
    time_machine.move_to(moment(16, 30), tick=False)
    gate.morning.status = "cancelled"
    gate.morning.save()
    assert on_duty_at(post=gate.post_a, at=moment(7, 40)) == on_duty_at(post=gate.post_a, at=moment(12, 0))


def test_moving_the_incident_in_time_names_the_people_then(gate, time_machine):
    time_machine.move_to(moment(16, 40), tick=False)
    incident = incident_create(user=gate.alice, kind="help", post=gate.post_a, occurred_at=moment(7, 40),
                               summary="家长寻找孩子")
    moved = incident_update(incident=incident, user=gate.alice, occurred_at=moment(16, 20))
    assert moved.shift == gate.afternoon
    assert names(Incident.objects.get(pk=incident.pk).on_duty.all()) == {"王五"}


def test_the_gate_form_opened_from_the_shift_is_prefilled(gate, client, time_machine):
    time_machine.move_to(moment(7, 40), tick=False)
    client.force_login(gate.oscar)
    response = client.get(reverse("incidents:incident_report"), {"assignment": gate.oscar_am.pk})
    assert response.status_code == 200
    form = response.context["form"]
    assert form["post"].value() == gate.post_a.pk
    assert form["school"].value() == gate.school_a.pk
    assert names(response.context["on_duty"]) == {"张斌", "李同"}
    html = response.content.decode()
    assert f'<option value="{gate.post_a.pk}" selected>' in html
    assert 'id="incident-on-duty"' in html and "李同" in html and "请假" not in html
    assert f'name="assignment" value="{gate.oscar_am.pk}"' in html


def test_another_stations_assignment_prefills_nothing(gate, client, time_machine):
    time_machine.move_to(moment(7, 40), tick=False)
    client.force_login(gate.oscar)
    for value in (gate.theirs.pk, "nonsense", 999999):
        response = client.get(reverse("incidents:incident_report"), {"assignment": value})
        assert response.status_code == 200
        assert response.context["form"]["post"].value() is None, value
        assert response.context["on_duty"] is None and response.context["assignment"] is None
        assert "乙警" not in response.content.decode()


def test_the_gate_form_reports_and_answers_the_phone_in_json(gate, client, time_machine):
    time_machine.move_to(moment(7, 45), tick=False)
    client.force_login(gate.oscar)
    data = {"kind": "help", "occurred_at": "2026-09-07T07:40", "post": gate.post_a.pk, "people_count": 2,
            "summary": "两名学生求助找家长", "assignment": gate.oscar_am.pk}
    response = client.post(reverse("incidents:incident_report"), data, HTTP_ACCEPT="application/json")
    assert response.status_code == 200, response.content
    incident = Incident.objects.get()
    assert response.json() == {"id": incident.pk, "url": incident.get_absolute_url(), "status": "open"}
    assert (incident.school, incident.reported_by, incident.shift) == (gate.school_a, gate.oscar, gate.morning)
    assert names(incident.on_duty.all()) == {"张斌", "李同"}
    # A refusal is the field errors, in JSON.
    response = client.post(reverse("incidents:incident_report"), {**data, "kind": "dispute"},
                           HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["parties"]
    # Without JSON, the page: the message says it was reported, not kept as a draft.
    response = client.post(reverse("incidents:incident_report"), data, follow=True)
    assert [str(m) for m in response.context["messages"]][0].startswith("Reported")
    response = client.post(reverse("incidents:incident_report"), {**data, "draft": "1"}, follow=True)
    assert [str(m) for m in response.context["messages"]][0].startswith("Draft kept")
    assert Incident.objects.filter(status="draft").count() == 1
