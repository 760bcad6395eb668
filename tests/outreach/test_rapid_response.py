"""The "135" rapid response: each stage met or missed at its boundary (exactly the target is
met, one second more is missed), the pull started from Huxue (the alarm stamped by the
server, the people on duty nearby called in-app, by text and by email through the outbox),
and the arrivals tapped on a phone (stamped by the server's clock, refused once the stage is
stamped or the pull closed)."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from core.models import OutboxKind, OutboxMessage
from duty.models import Assignment, Notification, Shift
from org.models import Role
from org.services import user_create
from outreach.models import Drill, DrillArrival, DrillSource, Stage, StageResult
from outreach.selectors import rapid_response_stages
from outreach.services import (
    drill_create,
    rapid_response_arrival,
    rapid_response_pull_start,
)
from tests.factories import PersonFactory, PostFactory, SchoolFactory

TZ = ZoneInfo("Asia/Shanghai")
ALARM = datetime.datetime(2026, 12, 2, 7, 40, 0, tzinfo=TZ)
TARGETS = {"school": 60, "police": 180, "reinforcement": 300}
FIELDS = {"school": "school_response_at", "police": "police_arrival_at", "reinforcement": "reinforcement_at"}


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


@pytest.fixture
def clock(time_machine):
    def move(moment):
        time_machine.move_to(moment, tick=False)
    move(ALARM)
    return move


# -- the rule, at its boundary --------------------------------------------------------------------


@pytest.mark.parametrize("stage", list(TARGETS))
def test_a_stage_tapped_exactly_at_its_target_is_met_and_one_second_later_missed(cast, clock, stage):
    target = TARGETS[stage]
    on_time = rapid_response_pull_start(school=cast.school_a, user=cast.alice)
    late = rapid_response_pull_start(school=cast.school_a, user=cast.alice)
    assert on_time.alarm_at == late.alarm_at == ALARM

    clock(ALARM + datetime.timedelta(seconds=target))
    rapid_response_arrival(drill=on_time, stage=stage, user=cast.oscar)
    clock(ALARM + datetime.timedelta(seconds=target + 1))
    rapid_response_arrival(drill=late, stage=stage, user=cast.oscar)

    met = StageResult.of(Drill.objects.get(pk=on_time.pk), stage)
    missed = StageResult.of(Drill.objects.get(pk=late.pk), stage)
    assert (met.result, met.seconds, met.margin) == ("met", target, 0)
    assert (missed.result, missed.seconds, missed.margin, missed.over) == ("missed", target + 1, -1, 1)
    # The database's form of the rule agrees with the page's.
    assert set(Drill.objects.stage_met(stage).values_list("pk", flat=True)) == {on_time.pk}
    # Late is missed at once, while the pull still runs.
    assert set(Drill.objects.stage_missed(stage).values_list("pk", flat=True)) == {late.pk}
    assert rapid_response_stages(Drill.objects.all())[stage] == {"met": 1, "missed": 1}


@pytest.mark.parametrize("stage", list(TARGETS))
def test_a_recorded_drill_is_judged_by_the_same_rule(cast, clock, stage):
    clock(ALARM + datetime.timedelta(hours=1))
    target = TARGETS[stage]
    met = drill_create(user=cast.alice, school=cast.school_a, kind="rapid_response", alarm_at=ALARM,
                       **{FIELDS[stage]: ALARM + datetime.timedelta(seconds=target)})
    missed = drill_create(user=cast.alice, school=cast.school_a, kind="rapid_response", alarm_at=ALARM,
                          **{FIELDS[stage]: ALARM + datetime.timedelta(seconds=target + 1)})
    assert StageResult.of(met, stage).result == "met"
    assert StageResult.of(missed, stage).result == "missed"
    # A stage a recorded drill does not give was not reached: missed.
    other = next(s for s in TARGETS if s != stage)
    assert StageResult.of(met, other).result == "missed" and StageResult.of(met, other).seconds is None
    assert rapid_response_stages(Drill.objects.all())[stage] == {"met": 1, "missed": 1}
    assert rapid_response_stages(Drill.objects.all())[other] == {"met": 0, "missed": 2}


def test_the_targets_are_settings(cast, clock, settings):
    settings.RAPID_RESPONSE_POLICE_SECONDS = 120
    drill = rapid_response_pull_start(school=cast.school_a, user=cast.alice)
    clock(ALARM + datetime.timedelta(seconds=150))
    rapid_response_arrival(drill=drill, stage="police", user=cast.oscar)
    result = StageResult.of(Drill.objects.get(pk=drill.pk), "police")
    assert (result.target, result.result, result.margin) == (120, "missed", -30)
    assert not Drill.objects.stage_met("police").exists()


# -- the pull ---------------------------------------------------------------------------------------


@pytest.fixture
def on_duty_now(cast):
    """Shifts running at the alarm: 张斌 (Oscar) at school A's gate, 李警 at a school 1.1 km
    away (station B), 王警 at a school 5 km away (station B); 赵警's shift ended an hour ago."""
    def running(post, person, *, ended=False):
        starts = ALARM - datetime.timedelta(minutes=30 if not ended else 120)
        ends = ALARM + datetime.timedelta(minutes=30) if not ended else ALARM - datetime.timedelta(hours=1)
        shift = Shift.objects.create(post=post, station=post.station, date=ALARM.date(), period="am",
                                     starts_at=starts, ends_at=ends, published=True)
        Assignment.objects.create(shift=shift, person=person, station=post.station, starts_at=starts, ends_at=ends)

    near = PostFactory(school=SchoolFactory(station=cast.station_b, lat=Decimal("30.530000"), lng=Decimal("105.580000")),
                       lat=Decimal("30.530000"), lng=Decimal("105.580000"))
    far = PostFactory(school=SchoolFactory(station=cast.station_b, lat=Decimal("30.565000"), lng=Decimal("105.580000")),
                      lat=Decimal("30.565000"), lng=Decimal("105.580000"))
    li = PersonFactory(name="李警", unit=cast.station_b, phone="13900000001")
    wang = PersonFactory(name="王警", unit=cast.station_b)
    zhao = PersonFactory(name="赵警", unit=cast.station_a)
    running(cast.post_a, cast.officer_a)
    running(near, li)
    running(far, wang)
    running(PostFactory(school=cast.school_a, name="后门护学岗"), zhao, ended=True)
    cast.oscar.email = "oscar@example.org"
    cast.oscar.save()
    return {"li": li, "wang": wang, "zhao": zhao}


def test_a_pull_stamps_the_alarm_and_calls_the_people_on_duty_nearby(cast, clock, on_duty_now):
    drill = rapid_response_pull_start(school=cast.school_a, user=cast.alice)

    assert (drill.kind, drill.source, drill.alarm_at, drill.closed_at) == ("rapid_response", "pull", ALARM, None)
    assert drill.station == cast.station_a and drill.date == ALARM.date()
    called = set(drill.notified.values_list("name", flat=True))
    assert called == {"张斌", "李警"}  # 王警 is 5 km away, 赵警 off duty
    # Oscar has an account: an in-app notification naming the school and the pull's page.
    (note,) = Notification.objects.filter(recipient=cast.oscar)
    assert cast.school_a.name in note.title and f"/outreach/drills/{drill.pk}/pull/" in note.body
    # Text messages to whoever has a phone, an email to Oscar's address, all in the outbox.
    texts = OutboxMessage.objects.filter(kind=OutboxKind.SMS)
    assert sorted(m.payload["phone"] for m in texts) == sorted([cast.officer_a.phone, "13900000001"])
    assert [m.payload["to"] for m in OutboxMessage.objects.filter(kind=OutboxKind.EMAIL)] == ["oscar@example.org"]


def test_an_officer_called_from_another_station_sees_and_taps_the_pull(cast, clock, on_duty_now):
    drill = rapid_response_pull_start(school=cast.school_a, user=cast.alice)
    li_user = user_create(username="li", password="Test-pass-2026", role=Role.OFFICER, unit=cast.station_b,
                          full_name="李警", person=on_duty_now["li"])
    api = client_for(li_user)
    assert api.get(f"/api/v1/drills/{drill.pk}/").status_code == 200
    clock(ALARM + datetime.timedelta(seconds=290))
    response = api.post(f"/api/v1/drills/{drill.pk}/arrivals/", {"stage": "reinforcement"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["arrival"]["person"] == on_duty_now["li"].pk
    # Bob, station B's dispatcher, was not called: school A's pull is not his.
    assert client_for(cast.bob).get(f"/api/v1/drills/{drill.pk}/").status_code == 404


def test_an_arrival_is_stamped_by_the_server_with_the_phone_s_location_as_evidence(cast, clock):
    drill = rapid_response_pull_start(school=cast.school_a, user=cast.alice)
    clock(ALARM + datetime.timedelta(seconds=95))
    api = client_for(cast.oscar)
    response = api.post(f"/api/v1/drills/{drill.pk}/arrivals/",
                        {"stage": "police", "lat": 30.5201, "lng": 105.5801, "accuracy_m": 9,
                         "tapped_at": "2020-01-01T00:00:00+08:00"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    police = next(s for s in body["drill"]["stages"] if s["stage"] == "police")
    assert (police["result"], police["seconds"], police["margin"]) == ("met", 95, 85)
    arrival = DrillArrival.objects.get()
    assert arrival.tapped_at == ALARM + datetime.timedelta(seconds=95)  # the server's clock, not the phone's
    assert (arrival.user, arrival.person, arrival.accuracy_m) == (cast.oscar, cast.officer_a, 9)
    assert arrival.lat == Decimal("30.520100") and arrival.distance_m == 15


def test_a_stage_already_stamped_or_a_closed_pull_refuses_a_tap(cast, clock):
    drill = rapid_response_pull_start(school=cast.school_a, user=cast.alice)
    clock(ALARM + datetime.timedelta(seconds=40))
    rapid_response_arrival(drill=drill, stage="school", user=cast.alice)
    clock(ALARM + datetime.timedelta(seconds=50))
    with pytest.raises(ValidationError) as refused:
        rapid_response_arrival(drill=drill, stage="school", user=cast.oscar)
    assert "07:40:40" in refused.value.message_dict["stage"][0]
    assert Drill.objects.get(pk=drill.pk).school_response_at == ALARM + datetime.timedelta(seconds=40)

    api = client_for(cast.oscar)
    response = api.post(f"/api/v1/drills/{drill.pk}/arrivals/", {"stage": "school"}, format="json")
    assert response.status_code == 400 and "stage" in response.json()
    rapid_response_arrival(drill=drill, stage="police", user=cast.oscar)
    clock(ALARM + datetime.timedelta(seconds=200))
    rapid_response_arrival(drill=drill, stage="reinforcement", user=cast.oscar)
    drill.refresh_from_db()
    assert drill.closed_at == ALARM + datetime.timedelta(seconds=200)  # every stage in: closed
    response = api.post(f"/api/v1/drills/{drill.pk}/arrivals/", {"stage": "police"}, format="json")
    assert response.status_code == 400 and "07:43:20" in response.json()["stage"][0]
    assert DrillArrival.objects.count() == 3


def test_a_closed_pull_counts_the_stages_not_arrived_as_missed(cast, clock):
    drill = rapid_response_pull_start(school=cast.school_a, user=cast.alice)
    clock(ALARM + datetime.timedelta(seconds=30))
    rapid_response_arrival(drill=drill, stage="school", user=cast.oscar)
    assert [r.result for r in Drill.objects.get(pk=drill.pk).stage_results()] == ["met", "pending", "pending"]
    clock(ALARM + datetime.timedelta(minutes=10))
    response = client_for(cast.alice).post(f"/api/v1/drills/{drill.pk}/close/")
    assert response.status_code == 200, response.content
    assert [s["result"] for s in response.json()["stages"]] == ["met", "missed", "missed"]
    with pytest.raises(ValidationError):
        rapid_response_arrival(drill=drill, stage="police", user=cast.oscar)


def test_who_may_pull_tap_and_close(cast, clock):
    api = client_for(cast.alice)
    response = api.post("/api/v1/drills/pull/", {"school": cast.school_a.pk}, format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["source"] == DrillSource.PULL
    # Station B's school is not Alice's: "does not exist", like an id that does not exist.
    response = api.post("/api/v1/drills/pull/", {"school": cast.school_b.pk}, format="json")
    assert response.status_code == 400 and "school" in response.json()
    # HQ, the command centre, may pull anywhere; officers, supervisors and administrators not.
    assert client_for(cast.henry).post("/api/v1/drills/pull/", {"school": cast.school_b.pk},
                                       format="json").status_code == 201
    for user in (cast.oscar, cast.sam, cast.ada):
        assert client_for(user).post("/api/v1/drills/pull/", {"school": cast.school_a.pk},
                                     format="json").status_code == 403, user
    # A supervisor reads the pull but taps nothing; Bob (station B) does not find it.
    assert client_for(cast.sam).post(f"/api/v1/drills/{pk}/arrivals/", {"stage": "school"},
                                     format="json").status_code == 403
    assert client_for(cast.bob).post(f"/api/v1/drills/{pk}/arrivals/", {"stage": "school"},
                                     format="json").status_code == 404
    assert client_for(cast.oscar).post(f"/api/v1/drills/{pk}/close/").status_code == 403
    assert APIClient().post(f"/api/v1/drills/{pk}/arrivals/", {"stage": "school"}, format="json").status_code == 401
    assert not DrillArrival.objects.exists()


def test_a_pull_s_stamped_times_are_not_edited(cast, clock):
    drill = rapid_response_pull_start(school=cast.school_a, user=cast.alice)
    clock(ALARM + datetime.timedelta(seconds=30))
    rapid_response_arrival(drill=drill, stage="school", user=cast.oscar)
    api = client_for(cast.alice)
    response = api.patch(f"/api/v1/drills/{drill.pk}/", {"school_response_at": ALARM.isoformat()}, format="json")
    assert response.status_code == 400 and "school_response_at" in response.json()
    response = api.patch(f"/api/v1/drills/{drill.pk}/", {"participants": 25, "note": "演练顺利"}, format="json")
    assert response.status_code == 200, response.content
    assert Drill.objects.get(pk=drill.pk).school_response_at == ALARM + datetime.timedelta(seconds=30)


def test_stage_labels_come_in_the_stage_order():
    assert [s for s in Stage.values] == ["school", "police", "reinforcement"]
