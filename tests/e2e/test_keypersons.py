"""The key-person register in a real browser, under the Content-Security-Policy: Alice, a
dispatcher the security administrator made a keeper, opens the register; her role needs no
code elsewhere, but the register asks for one: she enrols an authenticator app at its door,
gives its code and comes in. She registers a person (the check digit refused first), sees him
masked, reveals his numbers with a purpose (shown in that answer only; a reload masks them
again), records a follow-up; the audit administrator then sees who looked and why."""

import time

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django_otp.oath import hotp
from playwright.sync_api import Page, expect

from keypersons.access import KEEPERS_GROUP
from keypersons.idnumber import with_check_character
from keypersons.models import KeyPerson
from org.otp import key_from_secret
from tests.e2e.pages import log_in
from tests.e2e.test_csp import Violations

pytestmark = pytest.mark.e2e

ID_NUMBER = with_check_character("51090419780214351")


def code_for(secret: str, *, ahead: int = 0) -> str:
    return f"{hotp(bytes.fromhex(key_from_secret(secret)), int(time.time()) // 30 + ahead):06d}"


def test_a_keeper_enters_with_a_code_registers_reveals_and_the_auditor_sees_it(page: Page, live_server, live_cast):
    cast = live_cast
    cast.alice.groups.add(Group.objects.get(name=KEEPERS_GROUP))
    base = live_server.url
    violations = Violations(page)
    log_in(page, base, "alice")

    # The register's door: no app yet, so it enrols one first.
    page.goto(f"{base}{reverse('keypersons:keyperson_list')}")
    expect(page).to_have_url(f"{base}{reverse('keypersons:verify_enrol')}?next=%2Fkey-persons%2F")
    secret = page.locator("#otp-secret").inner_text()
    page.fill("#id_code", code_for(secret))
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("#otp-recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="继续").click()
    expect(page).to_have_url(f"{base}/key-persons/")
    expect(page.locator("#keyperson-notice")).to_be_visible()
    violations.collect()

    # Register a person: a mistyped number is refused on its field, then the right one.
    page.goto(f"{base}{reverse('keypersons:keyperson_add')}")
    page.fill("#id_name", "测某某")
    page.fill("#id_id_number", ID_NUMBER[:-1] + ("1" if ID_NUMBER[-1] != "1" else "2"))
    page.fill("#id_phone", "13612345678")
    page.fill("#id_address", "遂宁市船山区仁里街18号")
    page.check("#id_categories input[value=petitioner]")
    page.select_option("#id_officer", str(cast.officer_a.pk))
    page.fill("#id_basis", "多次越级上访")
    page.locator("#keyperson-save").click()
    expect(page.locator("#keyperson-form")).to_contain_text("校验码不符")
    page.fill("#id_id_number", ID_NUMBER)
    page.locator("#keyperson-save").click()
    person = KeyPerson.objects.get()
    expect(page).to_have_url(f"{base}{reverse('keypersons:keyperson_detail', args=[person.pk])}")
    masked = f"{ID_NUMBER[:6]}********{ID_NUMBER[-4:]}"
    expect(page.locator("#field-id-number")).to_have_text(masked)
    expect(page.locator("#field-phone")).to_have_text("136****5678")

    # Reveal: a purpose is asked for; the values show in that answer only.
    page.locator("#reveal-button").click()
    expect(page.locator("#reveal-error")).to_be_visible()
    page.fill("#id_purpose", "入户走访前核实身份")
    page.locator("#reveal-button").click()
    expect(page.locator("#field-id-number")).to_have_text(ID_NUMBER)
    expect(page.locator("#field-address")).to_contain_text("仁里街18号")
    expect(page.locator("#revealed-notice")).to_be_visible()
    page.goto(f"{base}{reverse('keypersons:keyperson_detail', args=[person.pk])}")
    expect(page.locator("#field-id-number")).to_have_text(masked)

    # A follow-up.
    page.fill("#id_observed", "本人在家，情绪稳定")
    page.select_option("#id_method", "visit")
    page.locator("#follow-up-save").click()
    expect(page.locator("#follow-ups")).to_contain_text("上门走访")
    violations.collect()
    assert violations.found == []

    # The audit administrator: who looked at him, when and why.
    page.context.clear_cookies()
    log_in(page, base, "audrey")
    page.goto(f"{base}{reverse('keypersons:access_overview')}")
    page.locator("#access-overview a", has_text=f"#{person.pk}").click()
    expect(page.locator("#access-history")).to_contain_text("入户走访前核实身份")
    expect(page.locator("#access-history tr[data-action=reveal]")).to_have_count(1)
