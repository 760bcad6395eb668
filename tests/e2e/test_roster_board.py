"""The roster board in a real browser: a dispatcher closes a gap, sees why a double booking is
refused (in the picker and when forced), drags a person between shifts, publishes the week,
copies last week and follows a shift generation."""

import datetime
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from duty.models import Assignment, RosterWeek, Shift
from duty.services.assignments import assignment_create
from duty.services.generation import shift_generate
from posts.models import HolidayYear, Post
from tests.e2e.pages import log_in
from tests.factories import TermFactory, TimetableFactory

pytestmark = pytest.mark.e2e


def sign_in(page: Page, base_url: str, username: str) -> None:
    log_in(page, base_url, username, landing=reverse("home"))


@pytest.fixture
def next_week(live_cast):
    """Next week's shifts at 圣莲岛小学, which has two gates on the same timetable, so the
    side gate's shifts are at the very same times as the main gate's. Oscar (张斌) already
    stands the main gate on the second school day."""
    cast = live_cast
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday()) + datetime.timedelta(days=7)
    week = datetime.timedelta(days=7)
    TermFactory(school=None, start=monday - week, end=monday + 4 * week)
    for period, start, end in (("am", (7, 40), (8, 10)), ("pm", (16, 30), (17, 10))):
        TimetableFactory(school=cast.school_a, period=period, start=datetime.time(*start),
                         end=datetime.time(*end), valid_from=monday - week)
    side = Post.objects.create(school=cast.school_a, name="侧门护学岗", station=cast.station_a)
    shift_generate(start=monday, end=monday + datetime.timedelta(days=6), unit=cast.station_a)
    days = sorted(set(Shift.objects.filter(post=cast.post_a, period="am").values_list("date", flat=True)))
    assert len(days) >= 2, "next week needs two school days for this test"
    cast.monday = monday
    cast.gate = [Shift.objects.get(post=cast.post_a, date=day, period="am") for day in days[:2]]
    cast.side = [Shift.objects.get(post=side, date=day, period="am") for day in days[:2]]
    assignment_create(shift=cast.gate[1], person=cast.officer_a, user=cast.alice)
    return cast


def _has(css_class: str) -> re.Pattern:
    return re.compile(rf"(^|\s){re.escape(css_class)}(\s|$)")


def cell(page: Page, shift: Shift):
    return page.locator(f'#roster-body td[data-shift="{shift.pk}"]')


def test_a_dispatcher_closes_a_gap_and_sees_why_a_double_booking_is_refused(
    page: Page, live_server, next_week
):
    cast = next_week
    officer = cast.officer_a
    base = live_server.url
    sign_in(page, base, "alice")

    page.goto(f"{base}{reverse('duty:roster')}?week={cast.monday.isoformat()}")
    expect(page.locator("#roster-table")).to_have_attribute("data-loaded", "true")
    expect(page.locator("#roster-station")).to_have_value(str(cast.station_a.pk))
    expect(page.locator("#roster-body tr[data-post]")).to_have_count(2)

    # The main gate's first shift is short of everyone: red, a policeman missing.
    gate = cell(page, cast.gate[0])
    expect(gate).to_have_class(_has("table-danger"))
    expect(gate.locator('[data-missing-kind="police"]')).to_have_count(1)
    expect(gate).not_to_contain_text(officer.name)

    # Click it, pick 张斌: he is on the shift and the police gap is closed.
    gate.click()
    modal = page.locator("#candidate-modal")
    expect(modal).to_be_visible()
    pick = modal.locator(f'button.candidate[data-person="{officer.pk}"]')
    expect(pick).to_be_enabled()
    expect(pick).to_contain_text(officer.name)
    expect(pick.locator(".candidate-load")).to_contain_text("1")  # already on one shift this week
    pick.click()
    expect(modal.locator("#candidate-success")).to_contain_text(officer.name)
    modal.locator(".modal-footer button").click()
    expect(modal).to_be_hidden()
    expect(gate).to_contain_text(officer.name)
    expect(gate.locator('[data-missing-kind="police"]')).to_have_count(0)
    expect(gate.locator('[data-missing-kind="auxiliary"]')).to_have_count(1)
    assert Assignment.objects.filter(shift=cast.gate[0], person=officer).exists()

    # The side gate at the same time: 张斌 is listed, but cannot be picked, and says why.
    cell(page, cast.side[0]).click()
    expect(modal).to_be_visible()
    busy = modal.locator(f'button.candidate[data-person="{officer.pk}"]')
    expect(busy).to_be_disabled()
    expect(busy).to_have_attribute("data-available", "false")
    expect(busy.locator(".candidate-reason")).to_contain_text(officer.name)
    expect(busy.locator(".candidate-reason")).to_contain_text("正门护学岗")

    # Forced through the API anyway, the refusal is shown in the picker.
    page.evaluate("([shift, person]) => window.huxueRoster.assign(shift, person)",
                  [cast.side[0].pk, officer.pk])
    error = modal.locator("#candidate-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text(officer.name)
    expect(error).to_contain_text("正门护学岗")
    assert not Assignment.objects.filter(shift=cast.side[0], person=officer).exists()

    # The search narrows the list (debounced, server side).
    modal.locator("#candidate-q").fill("没有这个人")
    expect(modal.locator("button.candidate")).to_have_count(0)
    modal.locator("#candidate-q").fill(officer.name[:1])
    expect(modal.locator("button.candidate")).to_have_count(1)
    modal.locator(".modal-footer button").click()
    expect(modal).to_be_hidden()

    # Dragging his second-day chip onto the first day's side gate would double-book him:
    # refused, and the board says why at the top.
    second_day = cell(page, cast.gate[1])
    chip = second_day.locator(f'.roster-chip[data-person="{officer.pk}"]')
    chip.drag_to(cell(page, cast.side[0]))
    alert = page.locator("#roster-alerts .alert-danger")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text(officer.name)
    expect(second_day).to_contain_text(officer.name)

    # Onto the second day's side gate it is allowed: he moves.
    chip.drag_to(cell(page, cast.side[1]))
    expect(cell(page, cast.side[1])).to_contain_text(officer.name)
    expect(second_day).not_to_contain_text(officer.name)
    assert Assignment.objects.get(person=officer, shift__date=cast.gate[1].date).shift == cast.side[1]

    expect(page.locator("#roster-totals")).not_to_be_empty()
    folder = settings.BASE_DIR / "var" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / "roster-board.png"), full_page=True)

    # Removing him with × frees the side gate again.
    cell(page, cast.side[1]).locator(".roster-remove").click()
    expect(cell(page, cast.side[1])).not_to_contain_text(officer.name)
    assert not Assignment.objects.filter(shift=cast.side[1]).exists()


def test_the_toolbar_publishes_copies_and_follows_a_generation(page: Page, live_server, next_week):
    cast = next_week
    base = live_server.url
    sunday = cast.monday + datetime.timedelta(days=6)
    # Nobody knows next week's public holidays yet: the board says its calendar is a guess.
    HolidayYear.objects.filter(year__in={cast.monday.year, sunday.year}).delete()
    sign_in(page, base, "alice")
    page.goto(f"{base}{reverse('duty:roster')}?station={cast.station_a.pk}&week={cast.monday.isoformat()}")
    expect(page.locator("#roster-table")).to_have_attribute("data-loaded", "true")
    guess = page.locator(f'#roster-head th[data-date="{cast.monday.isoformat()}"] .calendar-guess')
    expect(guess).to_be_visible()
    expect(guess).to_have_attribute("aria-label", re.compile(str(cast.monday.year)))  # also its tooltip

    expect(page.locator("#btn-print")).to_have_attribute(
        "href", f"{reverse('duty:roster_print')}?station={cast.station_a.pk}&week={cast.monday.isoformat()}")
    expect(page.locator("#btn-export")).to_have_attribute(
        "href", f"{reverse('duty:roster_export')}?station={cast.station_a.pk}&week={cast.monday.isoformat()}")

    # Publish, after confirming.
    page.locator("#btn-publish").click()
    page.locator("#confirm-modal #confirm-ok").click()
    expect(page.locator("#roster-alerts .alert-success")).to_be_visible()
    expect(page.locator("#roster-published")).to_have_class(_has("text-bg-success"))
    assert RosterWeek.objects.get(station=cast.station_a, week_start=cast.monday).published_at is not None
    assert Shift.objects.get(pk=cast.gate[1].pk).published

    # Copy last week: nothing to copy, and it says so.
    page.locator("#btn-copy").click()
    page.locator("#confirm-modal #confirm-ok").click()
    expect(page.locator("#roster-alerts .roster-copy-result")).to_contain_text("0")

    # Generate: the page posts an asynchronous job and polls its status every second. The
    # worker is played here by two canned answers in the API's documented shape.
    posted = []
    statuses = [
        {"state": "PROGRESS", "progress": {"stage": "insert", "done": 3, "total": 8}, "result": {}},
        {"state": "SUCCESS", "progress": {}, "result": {
            "created": 8, "existing": 12, "retimed": 1, "cancelled": 2, "restored": 0, "left": 3,
            "standing_assigned": 4, "guessed_days": 5, "standing_skipped": ["李四 圣莲岛小学·正门护学岗: 请假"],
            "run_id": 1}},
    ]

    def generate(route):
        posted.append(route.request.post_data_json)
        route.fulfill(status=202, json={"task": "job-1", "status_url": "/api/v1/shifts/generate/job-1/"})

    def status(route):
        route.fulfill(json=statuses.pop(0) if len(statuses) > 1 else statuses[0])

    page.route("**/api/v1/shifts/generate/", generate)
    page.route("**/api/v1/shifts/generate/job-1/", status)
    page.locator("#btn-generate").click()
    modal = page.locator("#generate-modal")
    expect(modal.locator("#generate-start")).to_have_value(cast.monday.isoformat())
    expect(modal.locator("#generate-end")).to_have_value(sunday.isoformat())
    modal.locator("#generate-submit").click()
    expect(modal.locator("#generate-stage")).to_contain_text("3")
    expect(modal.locator("#generate-stage")).to_contain_text("8")
    result = modal.locator("#generate-result")
    expect(result).to_be_visible()
    expect(result).to_contain_text("李四")
    for number in ("8", "12", "4"):
        expect(result).to_contain_text(number)
    assert posted == [{"start": cast.monday.isoformat(), "end": sunday.isoformat(),
                       "unit": cast.station_a.pk, "async": True}]


# What the pages will be served with: no inline script, style or handler anywhere.
STRICT_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
              "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'")


def test_the_board_works_under_a_strict_content_security_policy(page: Page, live_server, next_week):
    """The week comes from the server and changes come back through htmx, with nothing the
    policy refuses: a cell is filled and emptied in place, and the printable page prints."""
    cast = next_week
    base = live_server.url
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)

    def with_policy(route):
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": STRICT_CSP})

    page.route(re.compile(r".*/duty/roster/.*"), with_policy)
    sign_in(page, base, "alice")
    page.goto(f"{base}{reverse('duty:roster')}?week={cast.monday.isoformat()}")
    gate = cell(page, cast.gate[0])
    expect(gate).to_have_class(_has("roster-short"))
    page.evaluate("() => { document.getElementById('roster-table').dataset.marker = 'same page'; }")

    gate.click()
    modal = page.locator("#candidate-modal")
    modal.locator(f'button.candidate[data-person="{cast.officer_a.pk}"]').click()
    expect(modal.locator("#candidate-success")).to_contain_text(cast.officer_a.name)
    expect(modal.locator("#candidate-current")).to_contain_text(cast.officer_a.name)  # read off the new cell
    modal.locator(".modal-footer button").click()
    expect(gate).to_contain_text(cast.officer_a.name)
    expect(gate.locator('[data-missing-kind="police"]')).to_have_count(0)
    gate.locator(".roster-remove").click()
    expect(gate).not_to_contain_text(cast.officer_a.name)
    expect(gate.locator('[data-missing-kind="police"]')).to_have_count(1)
    # Swapped in place by htmx: the page was never reloaded.
    expect(page.locator("#roster-table")).to_have_attribute("data-marker", "same page")

    printed = page.context.new_page()
    printed.on("console", lambda message: violations.append(message.text)
               if "Content Security Policy" in message.text else None)
    printed.route(re.compile(r".*/duty/roster/.*"), with_policy)
    printed.goto(f"{base}{reverse('duty:roster_print')}?week={cast.monday.isoformat()}")
    printed.evaluate("() => { window.print = () => { window.__printed = true; }; }")
    printed.locator("[data-huxue-print]").click()
    assert printed.evaluate("() => window.__printed === true")
    assert violations == []
