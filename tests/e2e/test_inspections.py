"""Inspections in a real browser: a dispatcher inspects a school on a tablet (the checklist's
big pass / fail / n.a. buttons, a note on the failure), submits it; a supervisor finds it in
his review queue and returns it with a comment on the failed item; the dispatcher sees the
comment beside the item, corrects and resubmits; the supervisor approves it."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from inspections.models import Hazard, Inspection, InspectionStatus
from inspections.services import active_template
from tests.e2e.test_roster_board import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("media")]

TABLET = {"width": 820, "height": 1180}


def answer_all(page: Page, items, fail: dict) -> None:
    for item in items:
        choice = 1 if item.order in fail else 0  # the radio buttons: pass, fail, not applicable
        page.locator(f'label[for="id_result-{item.pk}_{choice}"]').click()
        if item.order in fail:
            page.fill(f"#id_note-{item.pk}", fail[item.order])


def test_an_inspection_on_a_tablet_and_its_review_round_trip(page: Page, live_server, live_cast, tmp_path):
    cast = live_cast
    base = live_server.url
    items = list(active_template().items.all())
    fire = next(i for i in items if i.order == 3)
    page.set_viewport_size(TABLET)

    sign_in(page, base, "alice")
    page.goto(f"{base}{reverse('inspections:inspection_add')}")
    page.select_option("#id_school", str(cast.school_a.pk))
    page.locator("#save-inspection").click()
    inspection = Inspection.objects.get()
    expect(page).to_have_url(f"{base}{reverse('inspections:inspection_edit', args=[inspection.pk])}")
    # Made for a tablet: every item's buttons fit the width, big enough for a finger.
    button = page.locator(f'label[for="id_result-{fire.pk}_1"]')
    box = button.bounding_box()
    assert box["height"] >= 44 and box["x"] + box["width"] <= TABLET["width"]
    answer_all(page, items, {3: "灭火器压力不足"})
    page.screenshot(path=str(tmp_path / "inspection-tablet.png"), full_page=True)
    page.locator("#submit-inspection").click()
    expect(page).to_have_url(f"{base}{inspection.get_absolute_url()}")
    expect(page.locator("#inspection-hazards")).to_contain_text("灭火器压力不足")
    assert Inspection.objects.get().status == InspectionStatus.SUBMITTED
    assert Hazard.objects.count() == 1

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1366, "height": 800})
    sign_in(page, base, "sam")
    page.goto(f"{base}{reverse('inspections:review_queue')}")
    page.locator(f'.queue-row[data-inspection="{inspection.pk}"] a').click()
    expect(page).to_have_url(f"{base}{inspection.get_absolute_url()}")
    page.fill("#id_comment", "请补充灭火器数量")
    page.locator("#return-form summary").click()
    page.fill(f"#id_item-{fire.pk}", "写明共几具、何时更换")
    page.locator("#inspection-return").click()
    expect(page.locator("#inspection-status")).to_have_text("退回修改")

    page.context.clear_cookies()
    page.set_viewport_size(TABLET)
    sign_in(page, base, "alice")
    page.goto(f"{base}{reverse('inspections:inspection_edit', args=[inspection.pk])}")
    expect(page.locator(f"#item-{fire.pk} .review-comment")).to_contain_text("写明共几具、何时更换")
    expect(page.locator("#return-comment")).to_contain_text("请补充灭火器数量")
    page.fill(f"#id_note-{fire.pk}", "灭火器压力不足，共6具，9月前更换")
    page.locator("#submit-inspection").click()
    expect(page).to_have_url(f"{base}{inspection.get_absolute_url()}")

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1366, "height": 800})
    sign_in(page, base, "sam")
    page.goto(f"{base}{inspection.get_absolute_url()}")
    page.locator("#inspection-approve").click()
    expect(page.locator("#inspection-status")).to_have_text("已通过")
    expect(page.locator("#review-history .review-round")).to_have_count(2)
    inspection.refresh_from_db()
    assert (inspection.status, inspection.round) == (InspectionStatus.APPROVED, 2)
    assert Hazard.objects.count() == 1 and "共6具" in Hazard.objects.get().description
