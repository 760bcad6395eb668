"""Each kind's own rules, through the service and the API alike (a field error naming the
field), the rules every incident keeps even as a draft, and the database's own guard against a
field of another kind. The clock is frozen on Monday 7 September 2026, 16:30; messages are
checked in English (the msgids)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from incidents.models import Incident
from incidents.services import incident_create, incident_update
from tests.factories import PostFactory
from tests.scenes import client_for

pytestmark = pytest.mark.usefixtures("english")

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 9, 7, 16, 30, tzinfo=TZ)
MORNING = datetime.datetime(2026, 9, 7, 7, 40, tzinfo=TZ)
API = "/api/v1/incidents/"


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def errors_of(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as excinfo:
        call()
    return excinfo.value.message_dict


def base(cast, **fields) -> dict:
    return {"kind": "help", "post": cast.post_a, "occurred_at": MORNING, "summary": "有人求助", **fields}


def as_payload(fields: dict) -> dict:
    payload = {}
    for name, value in fields.items():
        if hasattr(value, "pk"):
            value = value.pk
        elif isinstance(value, datetime.datetime):
            value = value.isoformat()
        payload[name] = value
    return payload


# Each case: what is sent, the field the refusal names, and the start of its message.
CASES = {
    "suspicious without an outcome": (
        {"kind": "suspicious", "id_checked": True}, "outcome", "Say how the check ended"),
    "suspicious without what was checked": (
        {"kind": "suspicious", "outcome": "released"}, "items_checked", "Say what was checked"),
    "dispute without parties": (
        {"kind": "dispute"}, "parties", "Name the parties"),
    "dispute resolved without a mediation": (
        {"kind": "dispute", "parties": "两位家长", "resolved": True}, "mediation", "Say how the dispute was mediated"),
    "good deed for publicity without its write-up": (
        {"kind": "good_deed", "publicity": True}, "publicity_text", "Write the short piece"),
    "emergency without a post": (
        {"kind": "emergency", "post": None}, "post", "Say at which post"),
    "a dispute's field on a help request": (
        {"kind": "help", "parties": "两位家长"}, "parties", "Only for Dispute"),
    "a check's outcome on an alarm": (
        {"kind": "alarm", "outcome": "released"}, "outcome", "Only for Suspicious person checked"),
    "publicity on an emergency": (
        {"kind": "emergency", "publicity": True}, "publicity", "Only for Good deed"),
    "in the future": (
        {"occurred_at": NOW + datetime.timedelta(minutes=30)}, "occurred_at", "An incident cannot be in the future"),
    "nobody concerned": (
        {"people_count": 0}, "people_count", "An incident concerns at least one person"),
    "without saying what happened": (
        {"summary": " "}, "summary", "Say what happened"),
}


@pytest.mark.parametrize("case", CASES)
def test_each_rule_is_refused_by_the_service_naming_the_field(cast, case):
    extra, field, message = CASES[case]
    fields = base(cast, **extra)
    if fields["post"] is None:
        fields["school"] = cast.school_a
    errors = errors_of(lambda: incident_create(user=cast.alice, **fields))
    assert field in errors, errors
    assert any(text.startswith(message) for text in errors[field]), errors[field]
    assert not Incident.objects.exists()


@pytest.mark.parametrize("case", CASES)
def test_each_rule_is_refused_by_the_api_with_a_400_naming_the_field(cast, case):
    extra, field, message = CASES[case]
    fields = base(cast, **extra)
    if fields["post"] is None:
        fields["school"] = cast.school_a
    response = client_for(cast.alice).post(API, as_payload(fields), format="json")
    assert response.status_code == 400, response.content
    body = response.json()
    assert field in body, body
    assert any(text.startswith(message) for text in body[field]), body[field]
    assert not Incident.objects.exists()


def test_each_kind_is_accepted_with_its_own_fields(cast):
    good = [
        {"kind": "suspicious", "outcome": "handed_over", "items_checked": "双肩包"},
        {"kind": "suspicious", "outcome": "released", "id_checked": True},
        {"kind": "dispute", "parties": "两位家长", "mediation": "当场调解", "resolved": True},
        {"kind": "dispute", "parties": "家长与保安"},
        {"kind": "good_deed", "publicity": True, "publicity_text": "拦下失控电动三轮车"},
        {"kind": "good_deed"},
        {"kind": "emergency"},
        {"kind": "assistance", "people_count": 3},
    ]
    for extra in good:
        incident = incident_create(user=cast.alice, **base(cast, **extra))
        assert incident.status == "open", extra
    response = client_for(cast.alice).post(API, as_payload(base(cast, **good[0])), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["outcome"] == "handed_over" and response.json()["status"] == "open"


def test_a_post_of_another_school_is_refused(cast):
    other = PostFactory(school__station=cast.station_a, name="侧门护学岗")
    fields = base(cast, school=cast.school_a, post=other)
    errors = errors_of(lambda: incident_create(user=cast.alice, **fields))
    assert errors["post"] == ["This post is at another school."]
    response = client_for(cast.alice).post(API, as_payload(fields), format="json")
    assert response.status_code == 400 and response.json()["post"] == ["This post is at another school."]
    assert not Incident.objects.exists()


def test_the_database_refuses_a_field_of_another_kind_when_the_service_is_bypassed(cast):
    incident = incident_create(user=cast.alice, **base(cast))
    for field, value in [("parties", "两位家长"), ("mediation", "调解"), ("outcome", "released"),
                         ("id_checked", True), ("items_checked", "包"), ("publicity", True),
                         ("publicity_text", "好人好事")]:
        setattr(incident, field, value)
        with pytest.raises(IntegrityError), transaction.atomic():
            incident.save()
        incident.refresh_from_db()
    with pytest.raises(IntegrityError), transaction.atomic():
        Incident.objects.filter(pk=incident.pk).update(people_count=0)
    assert Incident.objects.get(pk=incident.pk).parties == ""


def test_a_draft_keeps_what_a_report_refuses_and_reporting_it_then_refuses_it(cast):
    draft = incident_create(user=cast.oscar, report=False, kind="suspicious", post=cast.post_a, occurred_at=MORNING)
    assert draft.status == "draft" and not draft.steps.exists()
    errors = errors_of(lambda: incident_update(incident=draft, user=cast.oscar, report=True))
    assert set(errors) == {"outcome", "items_checked", "summary"}, errors
    assert Incident.objects.get(pk=draft.pk).status == "draft"
    # The API's report action says the same.
    response = client_for(cast.oscar).post(f"{API}{draft.pk}/report/")
    assert response.status_code == 400 and {"outcome", "items_checked", "summary"} <= set(response.json())
    # Through the API a draft is kept with `draft: true`, and refused without it.
    payload = as_payload(base(cast, kind="dispute"))
    assert client_for(cast.oscar).post(API, payload, format="json").status_code == 400
    response = client_for(cast.oscar).post(API, {**payload, "draft": True}, format="json")
    assert response.status_code == 201 and response.json()["status"] == "draft", response.content
    # Finished, it is reported.
    reported = incident_update(incident=draft, user=cast.oscar, report=True, summary="可疑人员徘徊",
                               outcome="released", id_checked=True)
    assert reported.status == "open" and [s.kind for s in reported.steps.all()] == ["reported"]


def test_a_draft_still_keeps_the_rules_of_every_incident(cast):
    for extra, field in [({"occurred_at": NOW + datetime.timedelta(hours=1)}, "occurred_at"),
                         ({"parties": "两位家长"}, "parties"), ({"people_count": 0}, "people_count")]:
        errors = errors_of(lambda extra=extra: incident_create(user=cast.oscar, report=False, **base(cast, **extra)))
        assert field in errors, (extra, errors)
    assert not Incident.objects.exists()


def test_changing_the_kind_empties_the_fields_of_the_old_one(cast):
    incident = incident_create(user=cast.alice, **base(cast, kind="dispute", parties="两位家长"))
    changed = incident_update(incident=incident, user=cast.alice, kind="suspicious", outcome="released",
                              id_checked=True)
    assert (changed.kind, changed.parties, changed.outcome) == ("suspicious", "", "released")
