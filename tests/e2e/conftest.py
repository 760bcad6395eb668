"""Browser tests: a real Chromium (Playwright's sync API) against pytest-django's live server.

The live server runs in a thread of this process with its own database connections, so the
data must be committed: the cast is built under `transactional_db`, and the database is
flushed after every test.
"""

import pytest

from org.models import User
from org.otp import key_from_secret, otp_enrol_with_key, second_factor_required
from tests.e2e.pages import TEST_OTP_SECRET
from tests.fixtures import Cast, build_cast


@pytest.fixture
def live_cast(transactional_db, live_server) -> Cast:
    # The flush after each browser test empties the tables; post_migrate (org/apps.py,
    # posts/apps.py) puts the role groups' permissions and the holidays back.
    cast = build_cast()
    # Whoever needs a second factor has the test secret's authenticator app (tests/e2e/pages.py).
    for user in User.objects.all():
        if second_factor_required(user):
            otp_enrol_with_key(user=user, key=key_from_secret(TEST_OTP_SECRET))
    return cast


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # The browser asks for Chinese, like the district's machines do. Reduced motion turns
    # Bootstrap's fades off (its CSS honours the preference), so a dialog is open the moment
    # it shows and a click on its button is never dropped mid-animation.
    return {**browser_context_args, "locale": "zh-CN", "viewport": {"width": 1366, "height": 800},
            "reduced_motion": "reduce"}


@pytest.fixture
def page(page, live_server):
    """Playwright's page, failing the test on any static file or page the server got wrong."""
    bad: list[str] = []
    page.on("response", lambda r: bad.append(f"{r.status} {r.url}") if r.status >= 500 or (
        r.status >= 400 and "/static/" in r.url) else None)
    page.set_default_timeout(10_000)
    yield page
    assert not bad, f"the live server answered badly: {bad}"
