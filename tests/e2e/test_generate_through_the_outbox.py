"""The roster page's "Generate" in a real browser, end to end: the request only queues the
job in the outbox and the page waits; once the outbox is delivered (by the beat task in
production, by the test here) the page follows the job to its result, and says how many
shifts it did not create because their time had passed."""

import datetime
import time

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from core.models import OutboxKind, OutboxMessage
from core.outbox import outbox_deliver
from posts.calendar import school_day
from tests.core.brokers import eager_celery
from tests.e2e.test_roster_board import sign_in
from tests.factories import TermFactory, TimetableFactory

pytestmark = pytest.mark.e2e


def test_generating_last_week_waits_in_the_outbox_then_says_what_was_skipped(page: Page, live_server, live_cast):
    cast = live_cast
    today = timezone.localdate()
    last_monday = today - datetime.timedelta(days=today.weekday() + 7)
    TermFactory(school=None, start=last_monday - datetime.timedelta(days=70), end=today + datetime.timedelta(days=30))
    TimetableFactory(school=cast.school_a, period="am", valid_from=last_monday - datetime.timedelta(days=70))
    # A past week with a school day in it (not a holiday week such as National Day's).
    while not any(school_day(None, last_monday + datetime.timedelta(days=d)).is_school_day for d in range(5)):
        last_monday -= datetime.timedelta(days=7)
    sign_in(page, live_server.url, "alice")
    page.goto(f"{live_server.url}{reverse('duty:roster')}?week={last_monday.isoformat()}")
    expect(page.locator("#roster-table")).to_have_attribute("data-loaded", "true")

    page.locator("#btn-generate").click()
    modal = page.locator("#generate-modal")
    expect(modal.locator("#generate-start")).to_have_value(last_monday.isoformat())
    modal.locator("#generate-submit").click()

    # Queued: the page waits (and keeps polling) until the outbox hands the job on.
    expect(modal.locator("#generate-progress")).to_be_visible()
    deadline = time.monotonic() + 10
    while not OutboxMessage.objects.filter(kind=OutboxKind.TASK).exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    (row,) = OutboxMessage.objects.filter(kind=OutboxKind.TASK)
    page.wait_for_timeout(1500)  # a poll or two while queued
    expect(modal.locator("#generate-result")).to_be_hidden()

    with eager_celery(keep_results=True) as app:
        assert outbox_deliver().delivered == 1
        result = app.AsyncResult(str(row.task_id)).result
        assert result["created"] == 0 and result["skipped_past"] > 0
        answer = modal.locator("#generate-result")
        expect(answer).to_be_visible()
        expect(answer.locator(".generate-skipped-past")).to_contain_text(str(result["skipped_past"]))

