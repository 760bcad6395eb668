"""The check-in page and the live board lived under /duty/ before attendance had an app of its
own, and officers have the check-in page bookmarked on their phones: those addresses answer a
permanent redirect to the same page under /attendance/, query string and all. The API keeps
its addresses (and their names), now answered by attendance's views."""

import pytest
from django.urls import resolve, reverse

from attendance.api import AssignmentAttendanceViewSet, PostDistanceView


@pytest.mark.django_db
@pytest.mark.parametrize("old, new", [
    ("/duty/check-in/", "/attendance/check-in/"),
    ("/duty/check-in/?from=home-screen", "/attendance/check-in/?from=home-screen"),
    ("/duty/live/", "/attendance/live/"),
    ("/duty/live/?station=all&date=2026-09-07&period=am&refresh=30",
     "/attendance/live/?station=all&date=2026-09-07&period=am&refresh=30"),
])
def test_the_old_pages_redirect_permanently_with_their_query(client, old, new):
    response = client.get(old)
    assert (response.status_code, response["Location"]) == (301, new)


def test_the_pages_have_their_new_addresses():
    assert reverse("attendance:checkin") == "/attendance/check-in/"
    assert reverse("attendance:live") == "/attendance/live/"


@pytest.mark.parametrize("name, address", [
    ("assignment-check-in", "/api/v1/assignments/7/check-in/"),
    ("assignment-check-out", "/api/v1/assignments/7/check-out/"),
    ("assignment-excuse", "/api/v1/assignments/7/excuse/"),
])
def test_the_api_actions_keep_their_addresses_and_are_attendances(name, address):
    assert reverse(name, args=[7]) == address
    assert resolve(address).func.cls is AssignmentAttendanceViewSet


def test_the_post_distance_keeps_its_address():
    assert reverse("api-post-distance", args=[3]) == "/api/v1/posts/3/distance/"
    assert resolve("/api/v1/posts/3/distance/").func.view_class is PostDistanceView
