import datetime

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from tests.fixtures import Cast, build_cast
from tests.scenes import DAY, MINUTE, START, findings_on

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def pytest_configure(config):
    config.addinivalue_line("markers", "otp: two-factor login is required of its roles, as in production")


@pytest.fixture(autouse=True)
def _no_second_factor(request, settings):
    """Tests sign in with force_login, which gives no second factor: no role needs one, but in
    the tests of two-factor login itself (`pytest.mark.otp`) and the browser tests, whose
    log_in types the code (tests/e2e/pages.py)."""
    if request.node.get_closest_marker("otp") is None and request.node.get_closest_marker("e2e") is None:
        settings.OTP_REQUIRED_ROLES = ()


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    # The cast's six accounts would otherwise spend most of every test in PBKDF2.
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def cast(db) -> Cast:
    return build_cast()


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def english():
    """Messages in English (the msgids). A module that checks them applies it to every test:
    `pytestmark = pytest.mark.usefixtures("english")`."""
    with translation.override("en"):
        yield


@pytest.fixture
def english_pages(client):
    """The test client asks for English pages, so that a page test asserts on the msgids
    whatever the Chinese catalogue says: `pytestmark = pytest.mark.usefixtures("english_pages")`."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def media(settings, tmp_path):
    """Uploads (the findings' photos) go to a throw-away folder; the live server of the browser
    tests runs in this process, so theirs too. Apply it with `pytest.mark.usefixtures("media")`."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def findings_yesterday(cast, frozen):
    """Tuesday's attendance and findings (tests.scenes.findings_on): at station A 甲 on time,
    乙 late, 丙 absent, and a spot check that found 丙 and 甲 absent; 丁 on time at station B.
    `frozen` is the requesting module's: Wednesday at 07:50 where this is used."""
    return findings_on(cast, DAY - datetime.timedelta(days=1))


@pytest.fixture
def clock_start():
    """Where `clock` starts: five minutes before Monday's shift. A module whose tests start
    elsewhere says so with a `clock_start` fixture of its own."""
    return START - 5 * MINUTE


@pytest.fixture
def clock(time_machine, clock_start):
    """clock(moment) freezes "now" at that moment; it starts at `clock_start`."""
    def move(moment):
        time_machine.move_to(moment, tick=False)
    move(clock_start)
    return move


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS],
    }
