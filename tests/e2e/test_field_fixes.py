"""What officers and dispatchers tripped over, in a real browser.

Check-in after moving: an officer refused 2 km away walks to the gate and presses again; the
page measures him afresh and checks him in without a reason, with no reload."""

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, expect

from duty.models import CheckIn
from tests.e2e.test_checkin_and_live_board import (
    ALL_KIT,
    SCREENSHOTS,
    on_duty,  # noqa: F401 (a fixture)
    phone,
    post_point,
    sign_in,
    watch,
)

pytestmark = pytest.mark.e2e


def test_an_officer_refused_far_away_checks_in_without_a_reason_once_he_is_at_the_post(
    browser: Browser, live_server, on_duty  # noqa: F811
):
    cast = on_duty
    lat, lng = post_point(cast.post_a)
    far = (round(lat + 0.018, 6), lng)  # about 2 km north
    context = phone(browser, lat=far[0], lng=far[1])
    page = context.new_page()
    bad = watch(page)
    base = live_server.url
    sign_in(page, base, "oscar")
    page.goto(f"{base}{reverse('duty:checkin')}")
    page.evaluate("window.__samePage = true")
    for item in ALL_KIT:
        page.locator(f"#kit-{item}").check()

    page.locator("#checkin-btn").click()
    reason_box = page.locator("#checkin-reason-box")
    expect(reason_box).to_be_visible()
    expect(page.locator("#checkin-outside-message")).to_contain_text("20")  # 2 0xx m
    assert not CheckIn.objects.exists()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "checkin-far.png"), full_page=True)

    # He walks to the gate and presses again, with no reason written.
    context.set_geolocation({"latitude": lat, "longitude": lng, "accuracy": 8})
    page.locator("#checkin-btn").click()
    expect(page.locator("#checkin-done")).to_be_visible()
    expect(page.locator("#checkin-error")).to_be_hidden()
    expect(page.locator("#checkin-result")).to_have_attribute("data-flagged", "false")
    expect(page.locator("#checkin-distance")).to_have_attribute("data-distance", "0")
    assert page.evaluate("window.__samePage") is True

    check_in = CheckIn.objects.get(assignment=cast.assignment)
    assert check_in.inside_geofence is True and check_in.distance_m == 0
    assert check_in.outside_reason == "" and not check_in.flagged
    page.screenshot(path=str(SCREENSHOTS / "checkin-after-moving.png"), full_page=True)
    context.close()
    assert not bad, bad


def test_a_reason_typed_far_away_is_not_kept_once_the_officer_is_at_the_post(
    browser: Browser, live_server, on_duty  # noqa: F811
):
    cast = on_duty
    lat, lng = post_point(cast.post_a)
    context = phone(browser, lat=round(lat + 0.018, 6), lng=lng)
    page = context.new_page()
    bad = watch(page)
    base = live_server.url
    sign_in(page, base, "oscar")
    page.goto(f"{base}{reverse('duty:checkin')}")
    page.locator("#checkin-btn").click()
    expect(page.locator("#checkin-reason-box")).to_be_visible()

    # He writes a reason, then walks in before sending it: judged where he stands now.
    page.locator("#checkin-reason").fill("路上堵车")
    context.set_geolocation({"latitude": lat, "longitude": lng, "accuracy": 8})
    page.locator("#checkin-btn").click()
    expect(page.locator("#checkin-done")).to_be_visible()
    expect(page.locator("#checkin-distance")).to_have_attribute("data-distance", "0")
    check_in = CheckIn.objects.get(assignment=cast.assignment)
    assert check_in.inside_geofence is True and check_in.outside_reason == ""
    context.close()
    assert not bad, bad
