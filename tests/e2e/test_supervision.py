"""Supervision in a real browser: a supervisor draws a random sample of the posts on duty,
checks one, records that an officer who had checked in was absent (with a photo), sees the
contradiction beside the check-in; the people offered follow the post through htmx; then he
drafts a bulletin and issues it through the confirm dialog."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from attendance.services import assignment_check_in
from duty.models import Assignment, Shift
from supervision.models import Bulletin, SpotCheck
from tests.e2e.test_roster_board import sign_in
from tests.scenes import PNG

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("media")]

@pytest.fixture
def on_duty(live_cast):
    """Station A's gate is on duty now; Oscar (张斌) checked in ten minutes ago."""
    cast = live_cast
    now = timezone.now().replace(second=0, microsecond=0)
    shift = Shift.objects.create(
        post=cast.post_a, station=cast.station_a, date=timezone.localdate(), period="am", published=True,
        starts_at=now - datetime.timedelta(minutes=20), ends_at=now + datetime.timedelta(minutes=40),
    )
    assignment = Assignment.objects.create(shift=shift, person=cast.officer_a, station=cast.station_a,
                                           starts_at=shift.starts_at, ends_at=shift.ends_at)
    assignment_check_in(assignment=assignment, user=cast.oscar, lat=cast.post_a.lat, lng=cast.post_a.lng,
                        equipment=["police_kit", "cap", "shoulder_light", "radio", "body_camera"],
                        now=now - datetime.timedelta(minutes=10))
    return cast


def test_a_supervisor_checks_a_sampled_post_and_issues_a_bulletin(page: Page, live_server, on_duty, tmp_path):
    cast = on_duty
    base = live_server.url
    sign_in(page, base, "sam")

    page.goto(f"{base}{reverse('supervision:spotcheck_list')}")
    page.locator("#spotcheck-sample").click()
    row = page.locator(f'.sample-row[data-post="{cast.post_a.pk}"]')
    expect(row).to_contain_text("圣莲岛小学")
    row.locator("a").click()

    # The form opens on the sampled post; the panel lists who is on the shift.
    expect(page.locator("#on-shift-people")).to_contain_text("张斌")
    # Another post (no shift now) and back: the panel and the people offered follow, via htmx.
    # (Once the page has settled, so htmx has bound its change listener.)
    page.wait_for_load_state("networkidle")
    with page.expect_response(lambda response: "on-shift" in response.url):
        page.select_option("#id_post", str(cast.post_b.pk))
    expect(page.locator("#no-shift")).to_be_visible()
    with page.expect_response(lambda response: "on-shift" in response.url):
        page.select_option("#id_post", str(cast.post_a.pk))
    expect(page.locator("#on-shift-people")).to_contain_text("张斌")
    expect(page.locator("#id_findings-0-person option", has_text="张斌")).to_have_count(1)

    page.select_option("#id_findings-0-person", str(cast.officer_a.pk))
    page.select_option("#id_findings-0-issue", "absent")
    page.fill("#id_findings-0-note", "岗位上无人")
    photo = {"name": "gate.png", "mimeType": "image/png", "buffer": PNG}
    page.set_input_files("#id_findings-0-photo", files=[photo])
    page.screenshot(path=str(tmp_path / "spotcheck-form.png"), full_page=True)
    page.locator("#save-spotcheck").click()

    check = SpotCheck.objects.get()
    expect(page).to_have_url(f"{base}{check.get_absolute_url()}")
    contradiction = page.locator("#contradictions .contradiction")
    expect(contradiction).to_contain_text("张斌")
    expect(contradiction.locator(".check-in-evidence")).to_be_visible()
    expect(page.locator("#findings img")).to_have_count(1)
    page.screenshot(path=str(tmp_path / "spotcheck-detail.png"), full_page=True)

    page.goto(f"{base}{reverse('supervision:bulletin_add')}")
    today = timezone.localdate()
    page.fill("#id_title", "本周护学岗督察通报")
    page.fill("#id_period_start", today.replace(day=1).isoformat())
    page.fill("#id_period_end", today.isoformat())
    page.fill("#id_text", "各派出所：\n\n现将督察情况通报如下。")
    page.locator("#object-form button[type=submit]").click()
    expect(page.locator("#bulletin-stations")).to_contain_text("仁里派出所")

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#bulletin-issue").click()
    expect(page.locator("#bulletin-number")).to_have_text(f"{today.year}年第1期")
    expect(page.locator("#bulletin-issue")).to_have_count(0)
    page.screenshot(path=str(tmp_path / "bulletin-detail.png"), full_page=True)
    assert Bulletin.objects.get().number == 1
