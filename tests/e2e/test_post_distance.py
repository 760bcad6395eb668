"""The post page's "how far am I" button shows what the server answers: the distance and the
geofence verdict come from GET /api/v1/posts/{id}/distance/, the check-in's own rule."""

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.test_checkin_and_live_board import phone, post_point, sign_in, watch

pytestmark = pytest.mark.e2e


def test_the_button_shows_the_servers_distance_and_verdict(browser: Browser, live_server, live_cast):
    cast = live_cast
    lat, lng = post_point(cast.post_a)
    context = phone(browser, lat=round(lat + 0.001, 6), lng=lng)  # about 111 m north: inside 150 m
    page = context.new_page()
    bad = watch(page)
    asked = []
    page.on("request", lambda r: asked.append(r.url) if "/distance/" in r.url else None)
    base = live_server.url
    sign_in(page, base, "alice")
    page.goto(f"{base}{cast.post_a.get_absolute_url()}")

    page.locator("#distance-btn").click()
    result = page.locator("#distance-result")
    expect(result).to_contain_text("111")
    expect(result).to_have_class("ms-2 text-success")

    context.set_geolocation({"latitude": round(lat + 0.002, 6), "longitude": lng, "accuracy": 8})  # 222 m
    page.locator("#distance-btn").click()
    expect(result).to_contain_text("222")
    expect(result).to_have_class("ms-2 text-danger")
    assert len(asked) == 2 and f"/api/v1/posts/{cast.post_a.pk}/distance/" in asked[0]
    context.close()
    assert not bad, bad
