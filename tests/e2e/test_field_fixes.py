"""What officers and dispatchers tripped over, in a real browser.

Check-in after moving: an officer refused 2 km away walks to the gate and presses again; the
page measures him afresh and checks him in without a reason, with no reload.

The roster board: another week is named by its dates on the buttons and in the questions,
a shift that has ended is neither red nor counted short, × takes someone off with an undo,
and a post with no shifts says so and offers to generate them."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from attendance.models import CheckIn
from duty.models import Assignment, Shift
from posts.models import Post
from tests.e2e.test_checkin_and_live_board import (
    ALL_KIT,
    SCREENSHOTS,
    assign,
    on_duty,  # noqa: F401 (a fixture)
    phone,
    post_point,
    set_staffing,
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
    page.goto(f"{base}{reverse('attendance:checkin')}")
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
    page.goto(f"{base}{reverse('attendance:checkin')}")
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


# -- the roster board ------------------------------------------------------------------------


def _has(css_class: str) -> re.Pattern:
    return re.compile(rf"(^|\s){re.escape(css_class)}(\s|$)")


def _month_day(day: datetime.date) -> str:
    return f"{day.month}月{day.day}日"


@pytest.fixture
def today_board(live_cast):
    """Today at 圣莲岛小学's main gate (one policeman wanted): a shift that ended an hour ago
    with nobody on it, and one starting in an hour with Oscar (张斌) on it. The side gate is
    new and has no shifts at all."""
    cast = live_cast
    set_staffing(cast.post_a, police=1)
    now = timezone.now()
    today = timezone.localdate()
    hour = datetime.timedelta(hours=1)
    cast.ended = Shift.objects.create(post=cast.post_a, station=cast.station_a, date=today, period="am",
                                      starts_at=now - 2 * hour, ends_at=now - hour)
    cast.coming = Shift.objects.create(post=cast.post_a, station=cast.station_a, date=today, period="pm",
                                       starts_at=now + hour, ends_at=now + 2 * hour)
    cast.assignment = assign(cast.coming, cast.officer_a)
    cast.side = Post.objects.create(school=cast.school_a, name="侧门护学岗", station=cast.station_a,
                                    lat=cast.post_a.lat, lng=cast.post_a.lng)
    cast.monday = today - datetime.timedelta(days=today.weekday())
    return cast


def _count_shown(page: Page, modal_id: str) -> None:
    """Count the modal's shown events: Bootstrap ignores a close while the modal is still
    fading in, so a test waits for the count (see _shown) before closing it."""
    page.evaluate("""(id) => { window.__shown = window.__shown || {}; window.__shown[id] = 0;
        document.getElementById(id).addEventListener('shown.bs.modal', () => window.__shown[id]++); }""",
                  modal_id)


def _shown(page: Page, modal_id: str, times: int = 1) -> None:
    page.wait_for_function("([id, n]) => window.__shown[id] >= n", arg=[modal_id, times])


def _cell(page: Page, shift: Shift):
    return page.locator(f'#roster-body td[data-shift="{shift.pk}"]')


def test_the_board_names_another_week_by_its_dates(page: Page, live_server, today_board):
    cast = today_board
    base = live_server.url
    sign_in(page, base, "alice")
    later = cast.monday + datetime.timedelta(days=21)
    name = f"{_month_day(later)}–{_month_day(later + datetime.timedelta(days=6))}这一周"
    before = cast.monday + datetime.timedelta(days=14)
    before_name = f"{_month_day(before)}–{_month_day(before + datetime.timedelta(days=6))}这一周"
    page.goto(f"{base}{reverse('duty:roster')}?week={later.isoformat()}")
    expect(page.locator("#roster-table")).to_have_attribute("data-loaded", "true")
    expect(page.locator("#btn-publish")).to_have_text(re.compile(re.escape(f"发布{name}排班")))
    expect(page.locator("#btn-copy")).to_have_text(re.compile(re.escape(f"复制{before_name}排班")))
    _count_shown(page, "confirm-modal")
    page.locator("#btn-publish").click()
    question = page.locator("#confirm-modal #confirm-text")
    expect(question).to_contain_text(name)
    expect(question).not_to_contain_text("本周")
    _shown(page, "confirm-modal")
    page.locator("#confirm-modal .modal-footer .btn-secondary").click()
    expect(page.locator("#confirm-modal")).to_be_hidden()
    page.locator("#btn-copy").click()
    expect(question).to_contain_text(before_name)
    expect(question).to_contain_text(name)
    expect(question).not_to_contain_text("本周")
    expect(question).not_to_contain_text("上周")

    # This week is still "this week".
    page.goto(f"{base}{reverse('duty:roster')}")
    expect(page.locator("#btn-publish")).to_have_text(re.compile("发布本周排班"))
    expect(page.locator("#btn-copy")).to_have_text(re.compile("复制上周排班"))


def test_an_ended_shift_is_not_short_and_a_removal_can_be_undone(page: Page, live_server, today_board):
    cast = today_board
    base = live_server.url
    sign_in(page, base, "alice")
    page.goto(f"{base}{reverse('duty:roster')}")
    expect(page.locator("#roster-table")).to_have_attribute("data-loaded", "true")

    # The shift that ended with nobody on it is history: neutral, not counted short.
    ended = _cell(page, cast.ended)
    expect(ended).to_have_class(_has("roster-ended"))
    expect(ended).not_to_have_class(_has("table-danger"))
    expect(page.locator("#roster-totals")).to_have_text("2个班次 · 0个缺员 · 0个超员")

    # The side gate has no shifts: one line that says so, and a button to generate them.
    side = page.locator(f'#roster-body tr[data-post="{cast.side.pk}"]')
    expect(side.locator("td")).to_have_count(1)
    expect(side.locator(".roster-no-shifts")).to_contain_text("本周没有班次")
    _count_shown(page, "generate-modal")
    side.locator(".roster-generate-hint").click()
    generate = page.locator("#generate-modal")
    expect(generate).to_be_visible()
    _shown(page, "generate-modal")
    expect(generate.locator("#generate-start")).to_have_value(cast.monday.isoformat())
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "roster-no-shifts-hint.png"))
    generate.locator(".modal-footer .btn-secondary").click()
    expect(generate).to_be_hidden()

    # × takes 张斌 off at once; the toast puts him back.
    coming = _cell(page, cast.coming)
    coming.locator(f'.roster-chip[data-person="{cast.officer_a.pk}"] .roster-remove').click()
    expect(coming).not_to_contain_text(cast.officer_a.name)
    toast = page.locator("#roster-toasts .roster-undo-toast")
    expect(toast).to_be_visible()
    expect(toast).to_contain_text(f"已移除 {cast.officer_a.name}")
    expect(coming).to_have_class(_has("table-danger"))  # this one is still to come: short
    expect(page.locator("#roster-totals")).to_have_text("2个班次 · 1个缺员 · 0个超员")
    assert not Assignment.objects.filter(shift=cast.coming).exists()
    page.screenshot(path=str(SCREENSHOTS / "roster-undo.png"))

    toast.locator(".roster-undo").click()
    expect(coming.locator(f'.roster-chip[data-person="{cast.officer_a.pk}"]')).to_be_visible()
    expect(toast).to_have_count(0)
    expect(page.locator("#roster-totals")).to_have_text("2个班次 · 0个缺员 · 0个超员")
    assert Assignment.objects.filter(shift=cast.coming, person=cast.officer_a, active=True).count() == 1


# -- the spot-check form's post picker -----------------------------------------------------


def test_the_post_picker_narrows_as_the_supervisor_types(page: Page, live_server, live_cast):
    cast = live_cast
    side = Post.objects.create(school=cast.school_a, name="侧门护学岗", station=cast.station_a,
                               lat=cast.post_a.lat, lng=cast.post_a.lng)
    base = live_server.url
    sign_in(page, base, "sam")
    page.goto(f"{base}{reverse('supervision:spotcheck_add')}")
    select = page.locator("#id_post")
    expect(select.locator("optgroup")).to_have_count(2)
    box = page.locator("#post-filter")
    expect(box).to_be_visible()

    box.fill("凯旋")  # the station B group (its school's name too)
    expect(select.locator("option:not([hidden])")).to_have_count(2)  # the empty choice and 凯旋路小学's gate
    expect(select).to_have_value(str(cast.post_b.pk))  # one post left: chosen
    expect(page.locator("#on-shift-panel #no-shift")).to_be_visible()  # and the panel followed it

    box.fill("圣莲岛 侧门")
    expect(select).to_have_value(str(side.pk))
    box.fill("没有这个岗")
    expect(page.locator("#post-filter-none")).to_be_visible()
    box.fill("")
    expect(select.locator("option:not([hidden])")).to_have_count(4)
    expect(page.locator("#post-filter-none")).to_be_hidden()
    page.screenshot(path=str(SCREENSHOTS / "spotcheck-post-picker.png"))
