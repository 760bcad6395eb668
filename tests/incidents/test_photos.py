"""An incident's photos: held to the photo rules of core.photos, at most six, stored under a
random name and served only to users whose scope holds the incident. The clock is frozen on
Monday 7 September 2026, 08:00."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from incidents.models import Incident, IncidentPhoto
from incidents.services import incident_create, incident_update
from tests.scenes import PNG

pytestmark = pytest.mark.usefixtures("media", "english_pages", "english")

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 9, 7, 8, 0, tzinfo=TZ)


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def png(name="gate.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def form_data(cast, **extra):
    return {"kind": "good_deed", "occurred_at": "2026-09-07T07:40", "school": cast.school_a.pk,
            "post": cast.post_a.pk, "people_count": 1, "summary": "拦下失控电动三轮车", **extra}


def test_a_photo_is_saved_and_served_only_in_scope(cast, client):
    client.force_login(cast.oscar)
    response = client.post(reverse("incidents:incident_report"), form_data(cast, photos=[png(), png("two.png")]))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    incident = Incident.objects.get()
    photos = list(incident.photos.all())
    assert len(photos) == 2 and all(p.uploaded_by == cast.oscar for p in photos)
    assert photos[0].photo.name.startswith("incidents/2026/09/") and "gate" not in photos[0].photo.name
    url = reverse("incidents:incident_photo", args=[photos[0].pk])
    assert url in client.get(incident.get_absolute_url()).content.decode()
    for user in (cast.oscar, cast.alice, cast.sam, cast.henry):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, user
        assert response["Content-Type"] == "image/png" and b"".join(response.streaming_content) == PNG
    client.force_login(cast.bob)
    assert client.get(url).status_code == 404
    client.force_login(cast.ada)
    assert client.get(url).status_code == 403


def test_a_renamed_text_file_is_refused_on_the_photos_field(cast, client):
    client.force_login(cast.oscar)
    fake = SimpleUploadedFile("gate.png", b"just some text, not a picture", content_type="image/png")
    response = client.post(reverse("incidents:incident_report"), form_data(cast, photos=[png(), fake]))
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "photos": ["“gate.png” is not a PNG image (its content does not match its name)."]}
    response = client.post(reverse("incidents:incident_report"),
                           form_data(cast, photos=[SimpleUploadedFile("notes.txt", b"hello", content_type="text/plain")]),
                           HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert response.json() == {"errors": {"photos": [
        "“notes.txt” is not a photo: upload a JPG, PNG or WebP image."]}}
    assert not Incident.objects.exists() and not IncidentPhoto.objects.exists()


def test_more_than_six_photos_are_refused(cast, client):
    client.force_login(cast.oscar)
    response = client.post(reverse("incidents:incident_report"),
                           form_data(cast, photos=[png(f"{n}.png") for n in range(7)]))
    assert response.status_code == 200
    assert response.context["form"].errors == {"photos": ["At most 6 photos per incident."]}
    assert not Incident.objects.exists()
    # Six now and one more later is seven too: the service counts those already there.
    incident = incident_create(user=cast.alice, kind="help", post=cast.post_a, summary="求助",
                               occurred_at=NOW, photos=[png(f"{n}.png") for n in range(6)])
    assert incident.photos.count() == 6
    with pytest.raises(ValidationError) as excinfo:
        incident_update(incident=incident, user=cast.alice, photos=[png("7.png")])
    assert excinfo.value.message_dict == {"photos": ["At most 6 photos per incident."]}
    client.force_login(cast.alice)
    response = client.post(reverse("incidents:incident_edit", args=[incident.pk]),
                           {**form_data(cast, kind="help", summary="求助"), "photos": [png("7.png")]})
    assert response.status_code == 200
    assert response.context["form"].errors == {"photos": ["At most 6 photos per incident."]}
    assert incident.photos.count() == 6
