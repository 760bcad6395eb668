"""The pages in a real browser: signing in for each role, the lockout, a form error."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Page, expect

from posts.models import Timetable
from tests.e2e.pages import give_second_factor
from tests.fixtures import PASSWORD

pytestmark = pytest.mark.e2e

CJK = re.compile(r"[\u4e00-\u9fff]")

# role: (username, Chinese full name, sees the people list, sees station B's school, where
# signing in lands, where the menu has the schools: in the bar, under "More", not at all, or
# "refused": the system administrator holds no business data, so the list answers 403)
ROLES = {
    "dispatcher": ("alice", "艾丽", True, False, "home", "bar"),
    "officer": ("oscar", "张斌", False, False, "attendance:checkin", None),
    "supervisor": ("sam", "沈督", True, True, "home", "more"),
    "hq": ("henry", "何指", True, True, "home", "more"),
    "admin": ("ada", "管理员", False, False, "home", "refused"),
}


def submit_login(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}{reverse('login')}")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("role", list(ROLES))
def test_each_role_signs_in_and_sees_its_pages(page: Page, live_server, live_cast, role, tmp_path):
    username, full_name, sees_people, sees_station_b, landing, schools_in = ROLES[role]
    base = live_server.url

    page.goto(f"{base}{reverse('login')}")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.locator("#id_username")).to_be_visible()
    # The browser asks for Chinese and gets it (the button's label comes from the catalogue).
    expect(page.locator("main form button[type=submit]")).to_have_text(CJK)
    submit_login(page, base, username, PASSWORD)
    give_second_factor(page, base, username)

    expect(page).to_have_url(f"{base}{reverse(landing)}")
    nav = page.locator("nav.navbar")
    expect(nav).to_contain_text(full_name)
    people_link = nav.locator(f'a[href="{reverse("org:person_list")}"]')
    if sees_people:
        expect(people_link).to_have_count(1)
    else:
        expect(people_link).to_have_count(0)
    # The page is styled: Bootstrap came through the live server's static files.
    expect(nav).to_have_css("display", "flex")
    page.screenshot(path=str(tmp_path / f"{role}-home.png"), full_page=True)

    schools_link = nav.locator(f'a[href="{reverse("posts:school_list")}"]')
    if schools_in == "refused":
        expect(schools_link).to_have_count(0)
        response = page.goto(f"{base}{reverse('posts:school_list')}")
        assert response.status == 403
        return
    if schools_in is None:
        # An officer's menu is his own duty; the schools he may still read by their address.
        expect(schools_link).to_have_count(0)
        page.goto(f"{base}{reverse('posts:school_list')}")
    else:
        if schools_in == "more":
            nav.locator("#nav-more > a").click()
        schools_link.click()
    expect(page).to_have_url(f"{base}{reverse('posts:school_list')}")
    table = page.locator("#object-table tbody")
    expect(table).to_contain_text("圣莲岛小学")
    if sees_station_b:
        expect(table).to_contain_text("凯旋路小学")
    else:
        expect(table).not_to_contain_text("凯旋路小学")
    schools = 2 if sees_station_b else 1
    expect(table.locator("tr")).to_have_count(schools)
    expect(page.locator("main p.text-muted.small").last).to_contain_text(re.compile(rf"\b{schools}\b"))
    page.screenshot(path=str(tmp_path / f"{role}-schools.png"), full_page=True)
    if role == "dispatcher":
        # Kept for the README.
        folder = settings.BASE_DIR / "var" / "screenshots"
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / "dispatcher-schools.png"), full_page=True)


def test_five_wrong_passwords_lock_the_account(page: Page, live_server, live_cast):
    base = live_server.url

    submit_login(page, base, "alice", "wrong-password-1")
    # The first failure is an ordinary form error, in Chinese (Django's own catalogue).
    error = page.locator("main .alert-danger")
    expect(error).to_be_visible()
    expect(error).to_contain_text(CJK)
    for attempt in range(2, 6):
        submit_login(page, base, "alice", f"wrong-password-{attempt}")

    submit_login(page, base, "alice", PASSWORD)
    expect(page.locator("#locked-out")).to_be_visible()
    expect(page.locator("nav.navbar")).not_to_contain_text("艾丽")

    # Not signed in: the home page sends her back to the login page.
    page.goto(f"{base}{reverse('home')}")
    expect(page).to_have_url(re.compile(re.escape(f"{base}{reverse('login')}") + r"\?next="))


def test_timetable_that_ends_before_it_starts_is_refused(page: Page, live_server, live_cast):
    base = live_server.url
    submit_login(page, base, "alice", PASSWORD)
    expect(page).to_have_url(f"{base}{reverse('home')}")

    page.goto(f"{base}{reverse('posts:timetable_add')}")
    form = page.locator("#object-form")
    form.locator("#id_school").select_option(str(live_cast.school_a.pk))
    form.locator("#id_period").select_option("pm")
    form.locator("#id_start").fill("17:00")
    form.locator("#id_end").fill("16:30")
    form.locator("#id_valid_from").fill("2026-09-01")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()

    # Still the form, with the error next to the end time.
    expect(page).to_have_url(f"{base}{reverse('posts:timetable_add')}")
    end_error = page.locator('.invalid-feedback[data-field="end"]')
    expect(end_error).to_be_visible()
    expect(end_error).to_contain_text("17:00")
    expect(page.locator("#id_end")).to_have_value("16:30")
    assert not Timetable.objects.exists()
