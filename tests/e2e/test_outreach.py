"""The "135" pull in a real browser: the dispatcher starts it from the desk, the officer opens
it on a phone-sized screen (location shared), taps his arrival, and the page shows the stage
met, by the server's clock. The live server's clock runs: the tap comes seconds after the
alarm, well inside the 3-minute target."""

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from outreach.models import Drill, DrillArrival
from tests.e2e.pages import log_in

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
SCREENSHOTS = settings.BASE_DIR / "var" / "screenshots"


def test_a_pull_started_at_the_desk_is_tapped_on_a_phone_and_shows_the_stage_met(
    browser: Browser, page: Page, live_server, live_cast
):
    cast = live_cast
    base = live_server.url
    log_in(page, base, "alice", landing=reverse("home"))
    page.goto(f"{base}{reverse('outreach:drill_list')}")
    page.locator("#pull-start").click()
    page.select_option("#id_school", str(cast.school_a.pk))
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#pull-start-submit").click()
    page.wait_for_url(f"{base}/outreach/drills/*/pull/")
    drill = Drill.objects.get()
    expect(page.locator("#pull-school")).to_contain_text(cast.school_a.name)
    expect(page.locator("#stage-police")).to_have_attribute("data-result", "pending")
    # The clock runs from the alarm.
    expect(page.locator("#pull-clock")).not_to_have_text("--:--")

    lat, lng = float(cast.school_a.lat), float(cast.school_a.lng)
    context = browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai", has_touch=True,
                                  is_mobile=True, geolocation={"latitude": lat, "longitude": lng, "accuracy": 12},
                                  permissions=["geolocation"])
    phone = context.new_page()
    phone.set_default_timeout(10_000)
    bad: list[str] = []
    phone.on("response", lambda r: bad.append(f"{r.status} {r.url}") if r.status >= 500 else None)
    log_in(phone, base, "oscar", landing=reverse("attendance:checkin"))
    phone.goto(f"{base}{reverse('outreach:pull', args=[drill.pk])}")
    button = phone.locator("#tap-police")
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert box["width"] > 300 and box["height"] >= 56  # a big button, thumb-sized on the phone
    button.tap()

    stage = phone.locator("#stage-police")
    expect(stage).to_have_attribute("data-result", "met")
    expect(stage.locator(".badge")).to_have_text("达标")
    expect(phone.locator("#tap-police")).to_have_count(0)  # stamped once: no second tap offered
    expect(phone.locator("#tap-school")).to_be_visible()

    arrival = DrillArrival.objects.get()
    drill.refresh_from_db()
    assert arrival.stage == "police" and arrival.user == cast.oscar and arrival.person == cast.officer_a
    assert arrival.distance_m == 0 and arrival.accuracy_m == 12
    assert drill.police_arrival_at == arrival.tapped_at
    assert 0 <= (drill.police_arrival_at - drill.alarm_at).total_seconds() < 180
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(SCREENSHOTS / "pull-phone.png"), full_page=True)

    # The desk's page follows without a reload (the stage panel refreshes itself).
    expect(page.locator("#stage-police")).to_have_attribute("data-result", "met", timeout=15_000)
    context.close()
    assert not bad, bad
