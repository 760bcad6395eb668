"""What the browser tests do on the way to the page they test."""

from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.fixtures import PASSWORD


def log_in(page: Page, base_url: str, username: str, *, landing: str | None = None) -> None:
    """Log in as `username` through the login page; then wait until the browser is at
    `landing` (a path) when given, else until the next page has loaded."""
    page.goto(f"{base_url}{reverse('login')}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    if landing is None:
        page.wait_for_load_state()
    else:
        expect(page).to_have_url(f"{base_url}{landing}")
