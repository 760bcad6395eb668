"""The HQ figures page in a real browser: reached from the menu at its address under
/reports/, and from an old bookmark of /duty/figures/, which lands there with its query."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.e2e.pages import log_in as sign_in

pytestmark = pytest.mark.e2e


def test_hq_opens_the_figures_from_the_menu_and_from_an_old_bookmark(page: Page, live_server, live_cast):
    base = live_server.url
    sign_in(page, base, live_cast.henry.username)
    figures = reverse("reports:figures")
    page.locator(f'nav.navbar a[href="{figures}"]').click()
    expect(page).to_have_url(f"{base}{figures}")
    expect(page.locator("#figures-form")).to_be_visible()
    expect(page.locator("#figures-export")).to_be_visible()

    page.goto(f"{base}/duty/figures/?detail=person")
    expect(page).to_have_url(f"{base}{figures}?detail=person")
    expect(page.locator("#detail-table")).to_be_visible()
