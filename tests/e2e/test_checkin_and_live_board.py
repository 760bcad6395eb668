"""Attendance in a real browser: an officer checks in and out on a phone whose location is
faked (at the post, then 500 m away, then with location refused), and the live duty board
follows a check-in without being reloaded, records a radio roll-call and an excuse.

Shifts here run in real time (the live server's clock is not frozen): they are made
directly, started ten minutes ago and ending in fifty."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, expect

from attendance.geo import distance_m
from attendance.models import CheckIn, CheckInMethod, KitItem
from attendance.selectors.live import current_peak
from duty.models import Assignment, AttendanceStatus, Shift
from org.models import PersonKind
from posts.models import Post
from tests.e2e.pages import log_in
from tests.factories import PersonFactory

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
ALL_KIT = list(KitItem.values)
NO_STAFFING = {kind.value: 0 for kind in PersonKind}
SCREENSHOTS = settings.BASE_DIR / "var" / "screenshots"


def sign_in(page: Page, base_url: str, username: str) -> None:
    # Officers land on their check-in page, everyone else on the home page.
    landing = reverse("attendance:checkin") if username == "oscar" else reverse("home")
    log_in(page, base_url, username, landing=landing)


def watch(page: Page) -> list[str]:
    """Collect the server's bad answers (5xx, a missing static file), like conftest's page."""
    bad: list[str] = []
    page.on("response", lambda r: bad.append(f"{r.status} {r.url}") if r.status >= 500 or (
        r.status >= 400 and "/static/" in r.url) else None)
    page.set_default_timeout(10_000)
    return bad


def phone(browser: Browser, *, lat: float | None = None, lng: float | None = None) -> BrowserContext:
    """A phone-sized Chinese browser; with a position, it is allowed to share it."""
    options = {"viewport": PHONE, "locale": "zh-CN", "timezone_id": "Asia/Shanghai", "has_touch": True,
               "is_mobile": True}
    if lat is not None:
        options.update(geolocation={"latitude": lat, "longitude": lng, "accuracy": 8},
                       permissions=["geolocation"])
    return browser.new_context(**options)


def running_shift(post: Post) -> Shift:
    """A published shift at `post` that started ten minutes ago and ends in fifty."""
    now = timezone.now()
    day, period = current_peak(now)
    return Shift.objects.create(
        post=post, station=post.station, date=day, period=period, published=True,
        starts_at=now - datetime.timedelta(minutes=10), ends_at=now + datetime.timedelta(minutes=50),
    )


def assign(shift: Shift, person) -> Assignment:
    return Assignment.objects.create(shift=shift, person=person, station=shift.station,
                                     starts_at=shift.starts_at, ends_at=shift.ends_at)


def set_staffing(post: Post, **staffing) -> Post:
    post.staffing = {**NO_STAFFING, **staffing}
    post.save()
    return post


@pytest.fixture
def on_duty(live_cast):
    """Oscar (张斌) on station A's main gate right now."""
    cast = live_cast
    cast.shift = running_shift(cast.post_a)
    cast.assignment = assign(cast.shift, cast.officer_a)
    return cast


def post_point(post: Post) -> tuple[float, float]:
    return float(post.lat), float(post.lng)


def test_an_officer_checks_in_at_the_post_with_his_kit_and_checks_out(browser: Browser, live_server, on_duty):
    cast = on_duty
    lat, lng = post_point(cast.post_a)
    context = phone(browser, lat=lat, lng=lng)
    page = context.new_page()
    bad = watch(page)
    base = live_server.url
    sign_in(page, base, "oscar")

    page.goto(f"{base}{reverse('attendance:checkin')}")
    expect(page.locator("#checkin-post")).to_contain_text(cast.school_a.name)
    expect(page.locator("#checkin-post")).to_contain_text(cast.post_a.name)
    button = page.locator("#checkin-btn")
    expect(button).to_be_enabled()
    # Nothing ticked yet: all five items would be recorded as missing.
    expect(page.locator("#kit-missing")).to_have_attribute("data-missing", " ".join(ALL_KIT))
    for item in ALL_KIT:
        page.locator(f"#kit-{item}").check()
    expect(page.locator("#kit-missing")).to_have_attribute("data-missing", "")

    # The first request is lost on the way (a bad mobile network); the page sends it again.
    lost = []

    def lose_first(route):
        if not lost:
            lost.append(route.request.url)
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route("**/check-in/", lose_first)
    button.click()
    done = page.locator("#checkin-done")
    expect(done).to_be_visible()
    assert lost, "the first request should have been dropped"
    expect(page.locator("#checkin-distance")).to_have_attribute("data-distance", "0")
    expect(page.locator("#checkin-result")).to_have_attribute("data-flagged", "false")
    expect(page.locator("#checkin-form")).to_be_hidden()

    check_in = CheckIn.objects.get(assignment=cast.assignment)
    assert check_in.method == CheckInMethod.PHONE and check_in.recorded_by == cast.oscar
    assert check_in.distance_m == 0 and check_in.inside_geofence is True
    assert check_in.lat == Decimal(str(lat)) and check_in.accuracy_m == 8
    assert sorted(check_in.kit) == sorted(ALL_KIT) and check_in.kit_missing == [] and not check_in.flagged
    assert CheckIn.objects.count() == 1

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "checkin-phone.png"), full_page=True)

    # Checking out before the end asks first, and says it is an early withdrawal.
    questions = []

    def answer(dialog):
        questions.append(dialog.message)
        dialog.accept()

    page.once("dialog", answer)
    page.locator("#checkout-btn").click()
    expect(page.locator("#checkout-done")).to_be_visible()
    expect(page.locator("#checkout-done")).to_have_attribute("data-attendance", AttendanceStatus.LEFT_EARLY)
    end = timezone.localtime(cast.shift.ends_at).strftime("%H:%M")
    assert questions and end in questions[0]
    cast.assignment.refresh_from_db()
    assert cast.assignment.checked_out_at is not None
    assert cast.assignment.attendance == AttendanceStatus.LEFT_EARLY
    assert cast.assignment.check_out_distance_m == 0
    context.close()
    assert not bad, bad


def test_away_from_the_post_the_officer_gives_a_reason_and_the_check_in_is_flagged(
    browser: Browser, live_server, on_duty
):
    cast = on_duty
    lat, lng = post_point(cast.post_a)
    away = (round(lat + 0.0045, 6), lng)  # about 500 m north
    metres = round(distance_m(*away, lat, lng))
    context = phone(browser, lat=away[0], lng=away[1])
    page = context.new_page()
    bad = watch(page)
    base = live_server.url
    sign_in(page, base, "oscar")
    page.goto(f"{base}{reverse('attendance:checkin')}")

    for item in ("police_kit", "cap", "radio"):
        page.locator(f"#kit-{item}").check()
    expect(page.locator("#kit-missing")).to_have_attribute("data-missing", "shoulder_light body_camera")
    page.locator("#checkin-btn").click()

    # Refused without a reason: the distance is shown and the reason asked for.
    expect(page.locator("#checkin-reason-box")).to_be_visible()
    expect(page.locator("#checkin-outside-message")).to_contain_text(str(metres))
    assert not CheckIn.objects.exists()
    page.locator("#checkin-btn").click()  # still away, still no reason: refused, the page asks for it
    expect(page.locator("#checkin-error")).to_be_visible()
    assert not CheckIn.objects.exists()

    page.locator("#checkin-reason").fill("正门施工，在路口执勤")
    page.locator("#checkin-btn").click()
    expect(page.locator("#checkin-done")).to_be_visible()
    expect(page.locator("#checkin-result")).to_have_attribute("data-flagged", "true")
    expect(page.locator("#checkin-distance")).to_have_attribute("data-distance", str(metres))
    expect(page.locator("#checkin-flagged")).to_be_visible()
    expect(page.locator("#checkin-result")).to_contain_text("正门施工，在路口执勤")

    check_in = CheckIn.objects.get(assignment=cast.assignment)
    assert check_in.inside_geofence is False and check_in.flagged
    assert check_in.distance_m == metres and 450 <= metres <= 550
    assert check_in.outside_reason == "正门施工，在路口执勤"
    assert check_in.kit_missing == ["shoulder_light", "body_camera"]
    context.close()
    assert not bad, bad


def test_without_location_the_check_in_is_refused_with_a_clear_error(browser: Browser, live_server, on_duty):
    context = phone(browser)  # location not allowed
    page = context.new_page()
    bad = watch(page)
    base = live_server.url
    sign_in(page, base, "oscar")
    page.goto(f"{base}{reverse('attendance:checkin')}")
    page.locator("#checkin-btn").click()
    error = page.locator("#checkin-error")
    expect(error).to_be_visible(timeout=15_000)
    expect(error).not_to_be_empty()
    expect(page.locator("#checkin-btn")).to_be_enabled()
    assert not CheckIn.objects.exists()
    context.close()
    assert not bad, bad


def _card(page: Page, shift: Shift):
    return page.locator(f'.live-post[data-shift="{shift.pk}"]')


def test_the_live_board_follows_a_check_in_and_records_a_roll_call_and_an_excuse(
    page: Page, browser: Browser, live_server, on_duty
):
    cast = on_duty
    set_staffing(cast.post_a, police=1, auxiliary=1)
    auxiliary = PersonFactory(name="王辅", unit=cast.station_a, kind=PersonKind.AUXILIARY)
    aux_assignment = assign(cast.shift, auxiliary)
    side = set_staffing(Post.objects.create(school=cast.school_a, name="侧门护学岗", station=cast.station_a,
                                            lat=cast.post_a.lat, lng=cast.post_a.lng), volunteer=1)
    side_shift = running_shift(side)
    volunteer = assign(side_shift, PersonFactory(name="陈志愿", unit=cast.station_a, kind=PersonKind.VOLUNTEER))

    base = live_server.url
    sign_in(page, base, "alice")
    # Pinned to this peak, so the test does not care whether noon passes while it runs; a
    # two-second refresh instead of fifteen.
    day, period = cast.shift.date, cast.shift.period
    page.goto(f"{base}{reverse('attendance:live')}?date={day.isoformat()}&period={period}&refresh=2")
    gate = _card(page, cast.shift)
    expect(gate).to_have_attribute("data-state", "nobody")
    expect(page.locator("#live-nobody")).to_contain_text(cast.post_a.name)
    expect(page.locator("#live-nobody")).to_contain_text(side.name)
    page.evaluate("window.__sameBoard = true")

    # Oscar checks in on his phone.
    lat, lng = post_point(cast.post_a)
    context = phone(browser, lat=lat, lng=lng)
    officer = context.new_page()
    bad = watch(officer)
    sign_in(officer, base, "oscar")
    officer.goto(f"{base}{reverse('attendance:checkin')}")
    for item in ALL_KIT:
        officer.locator(f"#kit-{item}").check()
    officer.locator("#checkin-btn").click()
    expect(officer.locator("#checkin-done")).to_be_visible()
    context.close()
    assert not bad, bad

    # The board shows him there by itself, without a reload: short of the auxiliary now.
    expect(gate).to_have_attribute("data-state", "short", timeout=20_000)
    expect(gate.locator(".live-there")).to_contain_text(cast.officer_a.name)
    expect(gate.locator('.live-staffing [data-kind="auxiliary"]')).to_contain_text("0/1")
    expect(page.locator("#live-nobody")).not_to_contain_text(cast.post_a.name)
    expect(page.locator("#live-nobody")).to_contain_text(side.name)
    assert page.evaluate("window.__sameBoard") is True

    # The auxiliary answers the radio: the dispatcher records the roll-call with his kit.
    gate.locator(f'.live-absent li[data-assignment="{aux_assignment.pk}"] .live-roll-call').click()
    modal = page.locator("#rollcall-modal")
    expect(modal).to_be_visible()
    expect(modal.locator("#rollcall-text")).to_contain_text("王辅")
    for item in ALL_KIT:
        modal.locator(f"#rollcall-kit-{item}").check()
    modal.locator("#rollcall-submit").click()
    expect(modal).to_be_hidden()
    expect(gate).to_have_attribute("data-state", "staffed")
    there = gate.locator(f'.live-there li[data-assignment="{aux_assignment.pk}"]')
    expect(there.locator(".live-radio")).to_be_visible()
    radio = CheckIn.objects.get(assignment=aux_assignment)
    assert radio.method == CheckInMethod.RADIO and radio.recorded_by == cast.alice
    assert radio.lat is None and radio.kit_missing == [] and not radio.flagged

    # The volunteer at the side gate is ill: excused, with the reason.
    side_card = _card(page, side_shift)
    side_card.locator(f'li[data-assignment="{volunteer.pk}"] .live-excuse').click()
    excuse = page.locator("#excuse-modal")
    expect(excuse).to_be_visible()
    excuse.locator("#excuse-reason").fill("病假")
    excuse.locator("#excuse-submit").click()
    expect(excuse).to_be_hidden()
    expect(side_card.locator(".live-excused")).to_contain_text("病假")
    volunteer.refresh_from_db()
    assert volunteer.attendance == AttendanceStatus.EXCUSED and volunteer.excused_by == cast.alice

    expect(page.locator('#live-counts [data-state="staffed"] .live-count-value')).to_have_text("1")
    assert page.evaluate("window.__sameBoard") is True
    expect(page.locator(".modal-backdrop")).to_have_count(0)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "live-board.png"), full_page=True)
