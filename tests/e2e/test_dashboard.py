"""The HQ dashboard in a real browser: HQ opens it from the menu, every chart is drawn (its
container holds ECharts' canvas) with no console error and nothing refused by the
Content-Security-Policy; printed, the menu and the filters are gone and the charts fit A4."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from incidents.services import incident_create
from inspections.services import hazard_create
from tests.e2e.pages import log_in
from tests.e2e.test_csp import LISTEN

pytestmark = pytest.mark.e2e

CHARTS = ("trend", "league", "incidents", "hazards")


def test_hq_sees_every_chart_drawn_without_an_error(page: Page, live_server, live_cast):
    cast = live_cast
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    incident_create(user=cast.alice, kind="help", post=cast.post_a, people_count=2,
                    occurred_at=timezone.now() - datetime.timedelta(hours=1), summary="家长求助")
    hazard_create(user=cast.alice, school=cast.school_a, category="traffic", description="斑马线模糊",
                  severity="medium", found_on=yesterday)

    problems: list[str] = []
    page.add_init_script(LISTEN)
    page.on("console", lambda message: problems.append(f"console {message.type}: {message.text}")
            if message.type == "error" or "Content Security Policy" in message.text else None)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))

    base = live_server.url
    log_in(page, base, cast.henry.username)
    dashboard = reverse("reports:dashboard")
    page.locator(f'nav.navbar a[href="{dashboard}"]').first.click()
    expect(page).to_have_url(f"{base}{dashboard}")
    for name in CHARTS:
        expect(page.locator(f"#chart-{name} canvas, #chart-{name} svg").first).to_be_visible()
    expect(page.locator("#table-league tbody tr")).to_have_count(2)
    expect(page.locator("#table-league tbody")).to_contain_text("凯旋路派出所")
    expect(page.locator("#table-league tfoot tr")).to_have_count(1)
    expect(page.locator("#export-league")).to_be_visible()
    # The tooltip is drawn into the page as the pointer moves over a chart: still within the policy.
    page.locator("#chart-incidents").hover()
    page.locator("#chart-trend").hover()
    page.wait_for_load_state("networkidle")
    problems += [f"CSP: {v}" for v in page.evaluate("window.__cspViolations || []")]
    assert problems == []

    # Printed: no menu, no filters, no buttons; each chart within A4's printable width (186 mm).
    page.emulate_media(media="print")
    expect(page.locator("nav.navbar")).to_be_hidden()
    expect(page.locator("#dashboard-form")).to_be_hidden()
    expect(page.locator("#export-league")).to_be_hidden()
    widths = page.eval_on_selector_all(".dashboard-chart", "nodes => nodes.map(n => n.getBoundingClientRect().width)")
    assert len(widths) == len(CHARTS) and all(0 < w <= 186 / 25.4 * 96 + 1 for w in widths), widths
    assert problems == []
