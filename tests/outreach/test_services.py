"""outreach.services refuse bad input with the field named, through the API (400 with a
field map) and the pages alike, and write nothing half: a drill in the future, an arrival
before the alarm, a negative count, a school of another station, an activity without a
school that is not an open day, a photo that is not one."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from rest_framework.test import APIClient

from outreach.models import Activity, ActivityPhoto, Drill, Training
from outreach.services import activity_create, drill_create, training_create

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 12, 2, 10, 0, tzinfo=TZ)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def errors(call) -> dict:
    with pytest.raises(ValidationError) as refused:
        call()
    return refused.value.message_dict


def test_a_drill_in_the_future_is_refused(cast):
    tomorrow = TODAY + datetime.timedelta(days=1)
    assert "date" in errors(lambda: drill_create(user=cast.alice, school=cast.school_a, kind="fire", date=tomorrow))
    later = NOW + datetime.timedelta(hours=1)
    assert "alarm_at" in errors(lambda: drill_create(user=cast.alice, school=cast.school_a, kind="rapid_response",
                                                     alarm_at=later))
    assert not Drill.objects.exists()


def test_an_arrival_before_the_alarm_is_refused_naming_the_stage(cast):
    alarm = NOW - datetime.timedelta(hours=1)
    found = errors(lambda: drill_create(user=cast.alice, school=cast.school_a, kind="rapid_response", alarm_at=alarm,
                                        police_arrival_at=alarm - datetime.timedelta(seconds=1)))
    assert list(found) == ["police_arrival_at"]
    response = client_for(cast.alice).post("/api/v1/drills/", {
        "school": cast.school_a.pk, "kind": "rapid_response", "alarm_at": alarm.isoformat(),
        "school_response_at": (alarm - datetime.timedelta(seconds=5)).isoformat()}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["school_response_at"]
    assert not Drill.objects.exists()


def test_a_rapid_response_needs_its_alarm_and_only_it_times_stages(cast):
    assert "alarm_at" in errors(lambda: drill_create(user=cast.alice, school=cast.school_a, kind="rapid_response",
                                                     date=TODAY))
    alarm = NOW - datetime.timedelta(hours=1)
    assert "school_response_at" in errors(lambda: drill_create(
        user=cast.alice, school=cast.school_a, kind="fire", alarm_at=alarm, school_response_at=alarm))


def test_a_timed_drill_takes_the_day_of_its_alarm(cast):
    alarm = datetime.datetime(2026, 11, 30, 23, 59, 30, tzinfo=TZ)
    drill = drill_create(user=cast.alice, school=cast.school_a, kind="rapid_response", alarm_at=alarm,
                         date=datetime.date(2026, 11, 1))
    assert drill.date == datetime.date(2026, 11, 30) and drill.station == cast.station_a


def test_negative_counts_are_refused_by_the_api_with_the_field_named(cast):
    api = client_for(cast.alice)
    response = api.post("/api/v1/drills/", {"school": cast.school_a.pk, "kind": "fire", "date": TODAY.isoformat(),
                                            "participants": -1}, format="json")
    assert response.status_code == 400 and "participants" in response.json()
    response = api.post("/api/v1/activities/", {"kind": "talk", "topic": "drugs", "school": cast.school_a.pk,
                                                "date": TODAY.isoformat(), "audience": -5}, format="json")
    assert response.status_code == 400 and "audience" in response.json()
    response = api.post("/api/v1/trainings/", {"kind": "police", "date": TODAY.isoformat(), "trainees": -2},
                        format="json")
    assert response.status_code == 400 and "trainees" in response.json()
    assert not (Drill.objects.exists() or Activity.objects.exists() or Training.objects.exists())


def test_unknown_query_parameters_and_kinds_are_refused(cast):
    api = client_for(cast.alice)
    response = api.get("/api/v1/drills/", {"knid": "fire"})
    assert response.status_code == 400 and "knid" in response.json()
    response = api.post("/api/v1/activities/", {"kind": "party", "topic": "drugs", "school": cast.school_a.pk,
                                                "date": TODAY.isoformat()}, format="json")
    assert response.status_code == 400 and "kind" in response.json()


def test_another_station_s_school_is_refused(cast):
    assert "school" in errors(lambda: activity_create(user=cast.alice, kind="talk", topic="drugs",
                                                      school=cast.school_b, date=TODAY))
    assert "school" in errors(lambda: drill_create(user=cast.alice, school=cast.school_b, kind="fire", date=TODAY))
    assert "unit" in errors(lambda: training_create(user=cast.alice, unit=cast.station_b, kind="police", date=TODAY,
                                                    trainees=10))


def test_only_an_open_day_may_be_held_at_the_station_without_a_school(cast):
    assert "school" in errors(lambda: activity_create(user=cast.alice, kind="talk", topic="drugs", date=TODAY))
    open_day = activity_create(user=cast.alice, kind="open_day", topic="telecom_fraud", date=TODAY, audience=120)
    assert open_day.school is None and open_day.station == cast.station_a


def test_a_training_s_unit_defaults_to_the_user_s_and_names_no_more_people_than_trained(cast):
    training = training_create(user=cast.alice, kind="security_staff", date=TODAY, trainees=12, school=cast.school_a)
    assert training.unit == cast.station_a
    assert "trainees" in errors(lambda: training_create(user=cast.alice, kind="police", date=TODAY, trainees=0,
                                                        people=[cast.officer_a]))


def png(name="photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_an_activity_is_recorded_with_its_photos_on_the_page_and_shown_to_its_station_only(cast, client, media_root):
    client.force_login(cast.alice)
    data = {"kind": "talk", "topic": "telecom_fraud", "school": cast.school_a.pk, "date": TODAY.isoformat(),
            "audience": 300, "materials": 200, "place": "", "note": "", "photos": [png("a.png"), png("b.png")]}
    response = client.post(reverse("outreach:activity_add"), data)
    assert response.status_code == 302, response.context["form"].errors
    activity = Activity.objects.get()
    photos = list(ActivityPhoto.objects.filter(activity=activity))
    assert len(photos) == 2 and all(p.photo.name.startswith("outreach/") for p in photos)
    assert "a.png" not in photos[0].photo.name  # stored under a random name
    photo_url = reverse("outreach:activity_photo", args=[photos[0].pk])
    assert client.get(activity.get_absolute_url()).content.decode().count(photo_url) >= 1
    assert client.get(photo_url).status_code == 200
    client.force_login(cast.bob)
    assert client.get(photo_url).status_code == 404


def test_a_file_that_is_not_a_photo_is_refused_and_nothing_is_saved(cast, client, media_root):
    client.force_login(cast.alice)
    fake = SimpleUploadedFile("leaflet.png", b"%PDF-1.4 not an image", content_type="image/png")
    response = client.post(reverse("outreach:activity_add"), {
        "kind": "talk", "topic": "drugs", "school": cast.school_a.pk, "date": TODAY.isoformat(), "audience": 10,
        "materials": 0, "photos": [fake]})
    assert response.status_code == 200
    assert "photos" in response.context["form"].errors
    assert not Activity.objects.exists() and not ActivityPhoto.objects.exists()


def test_the_pull_pages_start_show_and_close_a_pull(cast, client):
    client.force_login(cast.alice)
    response = client.post(reverse("outreach:pull_start"), {"school": cast.school_a.pk})
    drill = Drill.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("outreach:pull", args=[drill.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200
    body = page.content.decode()
    for stage in ("school", "police", "reinforcement"):
        assert f'id="stage-{stage}" data-result="pending"' in body and f'id="tap-{stage}"' in body
    assert client.get(reverse("outreach:pull_stages", args=[drill.pk])).status_code == 200
    assert client.post(reverse("outreach:pull_close", args=[drill.pk])).status_code == 302
    assert 'data-result="missed"' in client.get(reverse("outreach:pull", args=[drill.pk])).content.decode()
    client.force_login(cast.bob)
    assert client.get(reverse("outreach:pull", args=[drill.pk])).status_code == 404
    client.force_login(cast.sam)
    assert client.get(reverse("outreach:pull_start")).status_code == 403
