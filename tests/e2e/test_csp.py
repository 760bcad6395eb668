"""No page breaks the Content-Security-Policy in a real browser: for each role, every page of
its menu, and the back office, the API documentation (Swagger UI) and the bulletin's
print page. A violation shows in two ways, both collected: the document's
`securitypolicyviolation` event (listened to from before any page script runs) and Chromium's
console message ("Refused to ..."). Either fails the test, naming the page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from org.models import Role
from supervision.services import bulletin_create
from tests.e2e.pages import log_in
from tests.fixtures import Cast

pytestmark = pytest.mark.e2e

LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}`);
});
"""
ROLES = list(Role.values)


class Violations:
    """What the browser refused, page by page."""

    def __init__(self, page: Page):
        self.page = page
        self.found: list[str] = []
        page.add_init_script(LISTEN)
        page.on("console", self.console)

    def console(self, message):
        text = message.text
        if "Content Security Policy" in text or text.startswith("Refused to"):
            self.found.append(f"{self.page.url}: console: {text}")

    def visit(self, url: str, *, ready: str | None = None) -> None:
        response = self.page.goto(url)
        assert response is not None and response.status < 400, f"{url}: {response and response.status}"
        if ready:
            expect(self.page.locator(ready).first).to_be_visible()
        self.page.wait_for_load_state("networkidle")
        self.collect()

    def collect(self) -> None:
        for violation in self.page.evaluate("window.__cspViolations || []"):
            self.found.append(f"{self.page.url}: {violation}")


def menu_urls(page: Page, base: str) -> list[str]:
    """Every page the signed-in user's menu links to (the bar, "More" and his own pages)."""
    hrefs = page.eval_on_selector_all(
        "nav.navbar a.nav-link[href^='/'], nav.navbar a.dropdown-item[href^='/']",
        "links => links.map(link => link.getAttribute('href'))")
    return [f"{base}{href}" for href in dict.fromkeys(hrefs)]


@pytest.mark.parametrize("role", ROLES)
def test_no_page_of_a_role_s_menu_breaks_the_policy(page: Page, live_server, live_cast: Cast, role):
    base = live_server.url
    violations = Violations(page)
    user = live_cast.user(role)
    violations.visit(f"{base}{reverse('login')}")
    log_in(page, base, user.username)
    violations.collect()
    urls = menu_urls(page, base)
    assert urls, "the menu links to no page"
    for url in urls:
        violations.visit(url)
    violations.visit(f"{base}{reverse('password_change')}")
    assert violations.found == []


def test_the_back_office_and_the_api_docs_keep_to_the_policy(page: Page, live_server, live_cast: Cast):
    base = live_server.url
    cast = live_cast
    cast.ada.is_staff = cast.ada.is_superuser = True  # every model's pages in the back office
    cast.ada.save()
    violations = Violations(page)
    log_in(page, base, "ada")
    violations.visit(f"{base}{reverse('admin:index')}", ready="#content")
    violations.visit(f"{base}{reverse('admin:org_user_changelist')}", ready="#result_list")
    violations.visit(f"{base}{reverse('admin:org_user_change', args=[cast.alice.pk])}", ready="#content form")
    violations.visit(f"{base}{reverse('admin:org_unit_add')}", ready="#content form")
    # Swagger UI starts from the split view's script file and draws the operations.
    violations.visit(f"{base}{reverse('api-docs')}", ready=".swagger-ui .opblock")
    # Redoc's old address leads there too.
    violations.visit(f"{base}{reverse('api-redoc')}", ready=".swagger-ui .opblock")
    expect(page).to_have_url(f"{base}{reverse('api-docs')}")
    assert violations.found == []


def test_the_bulletin_pages_keep_to_the_policy(page: Page, live_server, live_cast: Cast):
    base = live_server.url
    cast = live_cast
    today = timezone.localdate()
    bulletin = bulletin_create(unit=cast.bureau, user=cast.sam, title="督察通报", text="现将督察情况通报如下。",
                               period_start=today - datetime.timedelta(days=7), period_end=today)
    violations = Violations(page)
    log_in(page, base, "sam")
    violations.visit(f"{base}{bulletin.get_absolute_url()}", ready=".bulletin-preview .red-head")
    violations.visit(f"{base}{reverse('supervision:bulletin_print', args=[bulletin.pk])}", ready=".sheet .red-head")
    # The print page's styles came through: the A4 sheet on its grey desk.
    expect(page.locator(".sheet")).to_have_css("background-color", "rgb(255, 255, 255)")
    expect(page.locator("body")).to_have_css("background-color", "rgb(233, 236, 239)")
    assert violations.found == []
