"""What the browser tests do on the way to the page they test."""

import time

from django.urls import reverse
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from org.models import User
from org.otp import second_factor_required
from tests.fixtures import PASSWORD

# The authenticator app of every cast member who needs a second factor (org/otp.py).
TEST_OTP_SECRET = "JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP"


def current_code(username: str) -> str | None:
    """The code the user's app (the test secret's, given by `live_cast`) would show now; None
    for a role that needs none. A code once accepted is refused again, so when this step's
    code has been used the next step's is given (django-otp accepts one step ahead), or, when
    that one too, this waits for the clock to get there."""
    user = User.objects.get(username=username)
    if not second_factor_required(user):
        return None
    device = TOTPDevice.objects.get(user=user, confirmed=True)

    def now() -> int:  # the app's time step, as the server sees it (its drift for this device)
        return int(time.time() - device.t0) // device.step + device.drift

    step = max(now(), device.last_t + 1)
    while step > now() + device.tolerance:
        time.sleep(1)
    return f"{hotp(device.bin_key, step, digits=device.digits):0{device.digits}d}"


def give_second_factor(page: Page, base_url: str, username: str) -> None:
    """On the code page after the password, when the user's role needs one: type his code."""
    code = current_code(username)
    if code is None:
        return
    page.wait_for_url(f"{base_url}{reverse('otp_verify')}**")
    page.fill("#id_code", code)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()


def log_in(page: Page, base_url: str, username: str, *, landing: str | None = None) -> None:
    """Log in as `username` through the login page, and the code page after it for the roles
    that need a second factor; then wait until the browser is at `landing` (a path) when
    given, else until the next page has loaded."""
    page.goto(f"{base_url}{reverse('login')}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    give_second_factor(page, base_url, username)
    if landing is None:
        page.wait_for_load_state()
    else:
        expect(page).to_have_url(f"{base_url}{landing}")
