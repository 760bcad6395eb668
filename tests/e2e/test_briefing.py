"""The work briefing in a real browser: HQ opens it from the menu, chooses a period, edits the
opening paragraph, saves, reads it with its figure filled in, and downloads the Word file,
which opens and carries the edit; no console error on the way."""

import re

import pytest
from django.urls import reverse
from docx import Document
from playwright.sync_api import Page, expect

from reports.models import Briefing
from tests.e2e.pages import log_in

pytestmark = pytest.mark.e2e

OPENING = "本期共设立护学岗{posts}处，执勤民警全部按时到岗。"


def test_hq_edits_the_briefing_sees_it_and_downloads_the_word_file(page: Page, live_server, live_cast):
    base = live_server.url
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, base, live_cast.henry.username)

    briefing = reverse("reports:briefing")
    page.locator(f'nav.navbar a[href="{briefing}"]').click()
    expect(page).to_have_url(f"{base}{briefing}")
    page.fill("#id_start", "2026-09-01")
    page.fill("#id_end", "2026-09-30")
    page.locator("#briefing-form button[type=submit]").click()
    expect(page.locator("#briefing-preview")).to_contain_text("全区共设立“护学岗”2处")

    page.locator("#briefing-edit").click()
    expect(page.locator("#briefing-placeholders")).to_contain_text("{posts}")
    opening = page.locator("#id_opening")
    expect(opening).to_have_value(re.compile(r"全区共设立“护学岗”\{posts\}处"))  # the default, placeholders and all
    opening.fill(OPENING)
    page.locator("#briefing-save").click()

    expect(page).to_have_url(f"{base}{briefing}?start=2026-09-01&end=2026-09-30&unit={live_cast.bureau.pk}")
    preview = page.locator("#briefing-preview")
    expect(preview).to_contain_text("本期共设立护学岗2处，执勤民警全部按时到岗。")
    expect(preview).not_to_contain_text("全区共设立“护学岗”")
    assert Briefing.objects.get().opening == OPENING

    with page.expect_download() as download_info:
        page.locator("#briefing-docx").click()
    download = download_info.value
    assert download.suggested_filename.endswith("-20260901-20260930.docx")
    document = Document(download.path())
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "本期共设立护学岗2处，执勤民警全部按时到岗。" in text
    assert text.startswith("船山分局高峰护学勤务工作总结")
    assert errors == []
