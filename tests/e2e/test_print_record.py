"""Printing a list in the browser is recorded: the Print button's script reports the page,
its filters and its rows to the audit trail before the browser prints."""

import time

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from audit.models import AuditAction, AuditEvent
from tests.e2e.pages import log_in

pytestmark = pytest.mark.e2e


def test_printing_the_schools_list_writes_a_print_row(page: Page, live_server, live_cast):
    base = live_server.url
    log_in(page, base, "alice")
    page.goto(f"{base}{reverse('posts:school_list')}?q=圣莲")
    page.locator('[data-huxue-print="record"]').first.click()
    for _ in range(50):  # the beacon is sent in the background: wait for it, up to 5 s
        row = AuditEvent.objects.filter(action=AuditAction.PRINT).order_by("-seq").first()
        if row is not None:
            break
        time.sleep(0.1)
    assert row is not None, "the print wrote no audit row"
    assert row.user.username == "alice"
    assert row.detail == {"page": reverse("posts:school_list"), "filters": {"q": "圣莲"}, "rows": 1}
