"""HQ's all-stations live board in a real browser: the stations with problems are open, the
rest folded, and what the user opens or folds stays so while the board refreshes itself."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from attendance.models import CheckInMethod
from attendance.selectors.live import current_peak
from attendance.services import assignment_check_in
from duty.models import Assignment, Shift
from org.models import PersonKind
from tests.e2e.pages import give_second_factor
from tests.factories import PersonFactory
from tests.fixtures import PASSWORD

pytestmark = pytest.mark.e2e


def running_shift(post) -> Shift:
    now = timezone.now()
    day, period = current_peak(now)
    return Shift.objects.create(post=post, station=post.station, date=day, period=period, published=True,
                                starts_at=now - datetime.timedelta(minutes=10),
                                ends_at=now + datetime.timedelta(minutes=50))


def test_folded_and_opened_stations_stay_so_across_refreshes(page: Page, live_server, live_cast):
    cast = live_cast
    for post in (cast.post_a, cast.post_b):
        post.staffing = {kind.value: 0 for kind in PersonKind} | {"police": 1}
        post.save()
    # Station A: nobody came (a problem, open). Station B: its policeman is there (folded).
    shift_a, shift_b = running_shift(cast.post_a), running_shift(cast.post_b)
    Assignment.objects.create(shift=shift_a, person=cast.officer_a, station=shift_a.station,
                              starts_at=shift_a.starts_at, ends_at=shift_a.ends_at)
    there = Assignment.objects.create(shift=shift_b, person=PersonFactory(unit=cast.station_b),
                                      station=shift_b.station, starts_at=shift_b.starts_at, ends_at=shift_b.ends_at)
    assignment_check_in(assignment=there, user=cast.bob, method=CheckInMethod.RADIO)

    base = live_server.url
    page.goto(f"{base}{reverse('login')}")
    page.fill("#id_username", "henry")
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    give_second_factor(page, base, "henry")
    expect(page).to_have_url(f"{base}{reverse('home')}")
    day, period = shift_a.date, shift_a.period
    page.goto(f"{base}{reverse('attendance:live')}?date={day.isoformat()}&period={period}&refresh=2")

    station_a = page.locator(f'details.live-station[data-station="{cast.station_a.pk}"]')
    station_b = page.locator(f'details.live-station[data-station="{cast.station_b.pk}"]')
    expect(station_a).to_have_attribute("open", "")
    expect(station_b).not_to_have_attribute("open", "")
    expect(page.locator("details.live-station").first).to_have_attribute("data-station", str(cast.station_a.pk))

    station_a.locator(".live-station-name").click()
    station_b.locator(".live-station-name").click()
    updated = page.locator("#live-body").get_attribute("data-updated")
    # Two refreshes later the server's choice (A open, B folded) has not come back.
    for _ in range(2):
        page.wait_for_function(
            "previous => document.getElementById('live-body').dataset.updated !== previous", arg=updated)
        updated = page.locator("#live-body").get_attribute("data-updated")
    expect(station_a).not_to_have_attribute("open", "")
    expect(station_b).to_have_attribute("open", "")
    expect(station_b.locator(f'.live-post[data-shift="{shift_b.pk}"]')).to_have_attribute("data-state", "staffed")
