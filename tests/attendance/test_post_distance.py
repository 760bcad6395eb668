"""GET /api/v1/posts/{id}/distance/: how far a phone is from a post and whether that is inside
its geofence, by the check-in's own rule (the post page's "how far am I" button shows it).

Post A stands at 30.520100, 105.580100 with the default 150 m fence; a thousandth of a degree
of latitude is about 111 m."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from attendance.geo import distance_m
from attendance.services import geofence_verdict

pytestmark = pytest.mark.usefixtures("english")

URL = "/api/v1/posts/{}/distance/"


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_it_answers_the_distance_and_the_verdict(cast):
    client = client_for(cast.oscar)
    response = client.get(URL.format(cast.post_a.pk), {"lat": "30.521100", "lng": "105.580100"})
    assert response.status_code == 200, response.json()
    expected = round(distance_m(30.5211, 105.5801, 30.5201, 105.5801))
    assert response.json() == {"distance_m": expected, "inside": True, "radius_m": 150}
    response = client.get(URL.format(cast.post_a.pk), {"lat": "30.522100", "lng": "105.580100"})
    assert response.json()["inside"] is False and response.json()["distance_m"] > 150


def test_a_post_without_a_point_answers_no_verdict(cast):
    cast.post_a.lat = cast.post_a.lng = None
    cast.post_a.save()
    cast.school_a.lat = cast.school_a.lng = None
    cast.school_a.save()
    response = client_for(cast.alice).get(URL.format(cast.post_a.pk), {"lat": "30.52", "lng": "105.58"})
    assert response.json() == {"distance_m": None, "inside": None, "radius_m": 150}


def test_another_stations_post_is_not_found(cast):
    response = client_for(cast.bob).get(URL.format(cast.post_a.pk), {"lat": "30.52", "lng": "105.58"})
    assert response.status_code == 404


@pytest.mark.parametrize("lat", ["north", "", "91", "nan"])
def test_a_latitude_that_is_not_one_is_refused_naming_it(cast, lat):
    response = client_for(cast.alice).get(URL.format(cast.post_a.pk), {"lat": lat, "lng": "105.58"})
    assert response.status_code == 400 and "lat" in response.json(), response.json()


def test_a_missing_longitude_is_refused_naming_it(cast):
    response = client_for(cast.alice).get(URL.format(cast.post_a.pk), {"lat": "30.52"})
    assert response.status_code == 400 and "lng" in response.json(), response.json()


def test_it_needs_a_signed_in_user(cast):
    response = APIClient().get(URL.format(cast.post_a.pk), {"lat": "30.52", "lng": "105.58"})
    assert response.status_code in (401, 403)


def test_the_check_in_and_the_button_agree(cast):
    lat, lng, distance, inside = geofence_verdict(post=cast.post_a, lat=30.5213456789, lng=105.5801)
    assert lat == Decimal("30.521346") and inside is True and round(distance) == 139
