"""Two-factor login in a real browser, under the Content-Security-Policy: HQ's first login
enrols an authenticator app from the QR code drawn by the server (a data: image), gives the
app's code, sees the recovery codes once and goes on to the home page."""

import time

import pytest
from django.urls import reverse
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from org.otp import key_from_secret
from tests.e2e.test_csp import Violations
from tests.fixtures import PASSWORD, Cast

pytestmark = pytest.mark.e2e


def test_the_first_login_enrols_the_app_from_the_qr_code(page: Page, live_server, live_cast: Cast):
    TOTPDevice.objects.filter(user=live_cast.henry).delete()  # his first login: no app yet
    base = live_server.url
    violations = Violations(page)
    violations.visit(f"{base}{reverse('login')}")
    page.fill("#id_username", "henry")
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(f"{base}{reverse('otp_enrol')}?next=/")
    qr = page.locator("#otp-qr")
    expect(qr).to_be_visible()
    page.wait_for_function("document.querySelector('#otp-qr').naturalWidth > 0")  # drawn, not blocked
    secret = page.locator("#otp-secret").inner_text()
    step = int(time.time()) // 30
    page.fill("#id_code", f"{hotp(bytes.fromhex(key_from_secret(secret)), step):06d}")
    page.locator("main form button[type=submit]").first.click()

    expect(page).to_have_url(f"{base}{reverse('otp_recovery_codes')}?next=%2F")
    expect(page.locator("#otp-recovery-codes li")).to_have_count(10)
    violations.collect()
    page.get_by_role("link", name="继续").click()
    expect(page).to_have_url(f"{base}{reverse('home')}")
    expect(page.locator("nav.navbar")).to_contain_text("何指")
    violations.collect()
    assert violations.found == []
