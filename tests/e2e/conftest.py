"""Browser tests: a real Chromium (Playwright's sync API) against pytest-django's live server.

The live server runs in a thread of this process with its own database connections, so the
data must be committed: the cast is built under `transactional_db`, and the database is
flushed after every test.
"""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from org.roles import ROLE_PERMISSIONS
from tests.fixtures import Cast, build_cast


def restore_role_groups() -> None:
    """Give each role's group its permissions again.

    The groups come from a data migration; the flush that ends every transactional test
    empties them (post_migrate brings back the permissions, not the groups), so a cast built
    after the first browser test would otherwise hold roles that allow nothing."""
    for role, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=str(role))
        wanted = Q(pk__in=[])
        for perm in perms:
            app_label, codename = perm.split(".")
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.set(Permission.objects.filter(wanted))


@pytest.fixture
def live_cast(transactional_db, live_server) -> Cast:
    restore_role_groups()
    return build_cast()


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # The browser asks for Chinese, like the district's machines do.
    return {**browser_context_args, "locale": "zh-CN", "viewport": {"width": 1366, "height": 800}}


@pytest.fixture
def page(page, live_server):
    """Playwright's page, failing the test on any static file or page the server got wrong."""
    bad: list[str] = []
    page.on("response", lambda r: bad.append(f"{r.status} {r.url}") if r.status >= 500 or (
        r.status >= 400 and "/static/" in r.url) else None)
    page.set_default_timeout(10_000)
    yield page
    assert not bad, f"the live server answered badly: {bad}"
