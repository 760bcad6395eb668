"""Generating shifts as a background job (the roster page's "Generate" button): the request
only writes an outbox row and answers with the task id chosen for it; the status URL answers
for that id at once (queued), then follows the task; an id nobody started is not found. And
a range in the past says why it created nothing."""

import datetime
import uuid
from zoneinfo import ZoneInfo

import pytest
from rest_framework.test import APIClient

from core.models import OutboxKind, OutboxMessage
from core.outbox import outbox_deliver
from duty.models import Shift
from tests.core.brokers import DOWN, celery_broker, eager_celery
from tests.factories import TermFactory, TimetableFactory

TZ = ZoneInfo("Asia/Shanghai")
GENERATE = "/api/v1/shifts/generate/"
WEEK = {"start": "2026-09-07", "end": "2026-09-11"}  # Monday to Friday, school days


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


@pytest.fixture
def timetables(cast, time_machine):
    time_machine.move_to(datetime.datetime(2026, 8, 20, 9, 0, tzinfo=TZ), tick=False)
    TermFactory(school=None)
    for school in (cast.school_a, cast.school_b):
        TimetableFactory(school=school, period="am")
    return cast


def test_starting_a_job_writes_an_outbox_row_and_answers_with_its_id_even_with_the_broker_down(
    timetables, settings
):
    cast = timetables
    with celery_broker(DOWN, settings):
        response = client_for(cast.alice).post(GENERATE, {**WEEK, "unit": cast.station_a.pk, "async": True},
                                               format="json")
    assert response.status_code == 202, response.content
    body = response.json()
    (row,) = OutboxMessage.objects.filter(kind=OutboxKind.TASK)
    assert body["task"] == str(row.task_id)
    assert body["status_url"] == f"/api/v1/shifts/generate/{row.task_id}/"
    assert row.task_name == "duty.generate_shifts" and row.delivered_at is None
    assert row.task_kwargs == {"start": "2026-09-07", "end": "2026-09-11", "unit_id": cast.station_a.pk,
                               "user_id": cast.alice.pk}
    assert not Shift.objects.exists()


def test_a_queued_job_is_pending_then_its_status_follows_the_task_to_its_result(timetables):
    cast = timetables
    client = client_for(cast.alice)
    status_url = client.post(GENERATE, {**WEEK, "unit": cast.station_a.pk, "async": True},
                             format="json").json()["status_url"]

    queued = client.get(status_url)
    assert queued.status_code == 200
    assert queued.json() == {"state": "PENDING", "queued": True, "progress": {}, "result": {}}

    with eager_celery(keep_results=True):
        assert outbox_deliver().delivered == 1
        done = client.get(status_url).json()
        assert done["state"] == "SUCCESS" and done["queued"] is False
        assert done["result"]["created"] == 5 == Shift.objects.filter(post=cast.post_a).count()
        assert done["result"]["skipped_past"] == 0


def test_a_bad_range_is_refused_before_anything_is_queued(timetables):
    client = client_for(timetables.alice)
    response = client.post(GENERATE, {"start": "2026-09-11", "end": "2026-09-07", "async": True}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["end"]
    response = client.post(GENERATE, {"start": "2026-09-07", "end": "2027-12-31", "async": True}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["end"]
    assert not OutboxMessage.objects.exists()


def test_an_unknown_job_answers_404(timetables):
    client = client_for(timetables.alice)
    assert client.get(f"{GENERATE}{uuid.uuid4()}/").status_code == 404
    assert client.get(f"{GENERATE}not-a-task/").status_code == 404


def test_another_users_job_answers_404_and_those_who_cannot_generate_403(timetables):
    cast = timetables
    status_url = client_for(cast.alice).post(GENERATE, {**WEEK, "async": True}, format="json").json()["status_url"]
    assert client_for(cast.bob).get(status_url).status_code == 404
    for user in (cast.oscar, cast.henry):
        assert client_for(user).get(status_url).status_code == 403
    assert client_for(cast.alice).get(status_url).status_code == 200


def test_a_range_in_the_past_says_how_many_shifts_it_skipped(timetables, time_machine):
    cast = timetables
    # Wednesday noon: Monday to Wednesday mornings have passed, Thursday and Friday have not.
    time_machine.move_to(datetime.datetime(2026, 9, 9, 12, 0, tzinfo=TZ), tick=False)
    response = client_for(cast.alice).post(GENERATE, {**WEEK, "unit": cast.station_a.pk}, format="json")
    assert response.status_code == 200
    assert (response.json()["created"], response.json()["skipped_past"]) == (2, 3)

    # A week that is over: nothing created, and the answer says why.
    time_machine.move_to(datetime.datetime(2026, 9, 21, 9, 0, tzinfo=TZ), tick=False)
    client = client_for(cast.alice)
    response = client.post(GENERATE, {"start": "2026-09-14", "end": "2026-09-18", "unit": cast.station_a.pk},
                           format="json")
    assert (response.json()["created"], response.json()["skipped_past"]) == (0, 5)
    assert not Shift.objects.filter(date__gte=datetime.date(2026, 9, 14)).exists()

    # The background job reports it too.
    status_url = client.post(GENERATE, {"start": "2026-09-14", "end": "2026-09-18", "unit": cast.station_a.pk,
                                        "async": True}, format="json").json()["status_url"]
    with eager_celery(keep_results=True):
        outbox_deliver()
        result = client.get(status_url).json()["result"]
    assert (result["created"], result["skipped_past"]) == (0, 5)


def test_the_schema_documents_skipped_past_and_the_job_status(cast):
    schema = client_for(cast.alice).get("/api/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]
    assert "skipped_past" in components["GenerateResult"]["properties"]
    assert {"state", "queued", "progress", "result"} <= set(components["GenerateStatus"]["properties"])
    responses = schema["paths"]["/api/v1/shifts/generate/"]["post"]["responses"]
    assert {"200", "202"} <= set(responses)
