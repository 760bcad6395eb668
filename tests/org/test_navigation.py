"""The menu each role's work needs, and where signing in lands.

An officer on his phone gets his own pages only: check in, my shifts, and the notification
bell; he lands on the check-in page. Dispatchers, supervisors and HQ get their daily pages
in the bar and everything else they may open under "More"."""

from django.urls import reverse

from tests.fixtures import PASSWORD


def menu(client, user) -> tuple[list[str], list[str], str]:
    client.force_login(user)
    response = client.get(reverse("duty:notifications"))
    assert response.status_code == 200
    return ([item["url"] for item in response.context["nav_items"]],
            [item["url"] for item in response.context["nav_more"]], response.content.decode())


def urls(*names) -> list[str]:
    return [reverse(name) for name in names]


def test_an_officer_lands_on_the_check_in_page(cast, client):
    response = client.post(reverse("login"), {"username": "oscar", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("attendance:checkin")
    assert response.status_code == 200
    assert response.context["person"] == cast.officer_a


def test_everyone_else_lands_on_the_home_page(cast, client):
    for user in (cast.alice, cast.sam, cast.henry, cast.ada):
        client.force_login(user)
        assert client.get(reverse("home")).status_code == 200, user


def test_an_officer_gets_check_in_my_shifts_and_notifications_only(cast, client):
    bar, more, html = menu(client, cast.oscar)
    assert bar == urls("attendance:checkin", "duty:my_shifts")
    assert more == [] and 'id="nav-more"' not in html
    assert f'href="{reverse("duty:notifications")}"' in html
    for name in ("posts:school_list", "posts:term_list", "posts:calendaroverride_list", "org:unit_list",
                 "duty:shift_list", "supervision:bulletin_list", "posts:timetable_list"):
        assert f'href="{reverse(name)}"' not in html, name


def test_a_dispatcher_gets_the_roster_and_his_stations_registers(cast, client):
    bar, more, _html = menu(client, cast.alice)
    assert bar == urls("duty:roster", "attendance:live", "incidents:incident_list", "posts:school_list",
                       "posts:post_list", "posts:timetable_list", "org:person_list", "duty:leave_list",
                       "inspections:hazard_list")
    assert set(urls("posts:term_list", "posts:calendaroverride_list", "duty:standingassignment_list",
                    "reports:figures", "reports:dashboard")) <= set(more)
    assert not set(bar) & set(more)


def test_a_supervisor_gets_the_board_spot_checks_and_bulletins(cast, client):
    bar, more, _html = menu(client, cast.sam)
    assert bar == urls("attendance:live", "supervision:spotcheck_list", "incidents:incident_list",
                       "supervision:bulletin_list", "reports:figures", "reports:dashboard", "inspections:review_queue",
                       "reports:briefing")
    assert reverse("duty:roster") not in bar + more
    assert reverse("posts:school_list") in more


def test_hq_gets_the_dashboard_the_board_and_the_figures(cast, client):
    bar, more, _html = menu(client, cast.henry)
    assert bar == urls("reports:dashboard", "attendance:live", "reports:figures", "reports:briefing",
                       "supervision:bulletin_list", "supervision:spotcheck_list", "incidents:incident_list",
                       "inspections:hazard_list")
    assert reverse("duty:roster") not in bar + more
    assert reverse("posts:school_list") in more


BUSINESS_PAGES = ("org:person_list", "posts:school_list", "posts:post_list", "posts:timetable_list", "posts:term_list",
                  "posts:calendaroverride_list", "duty:roster", "duty:shift_list", "duty:leave_list",
                  "duty:standingassignment_list", "attendance:live", "supervision:spotcheck_list",
                  "supervision:bulletin_list", "reports:figures", "reports:dashboard", "incidents:incident_list",
                  "inspections:inspection_list", "inspections:hazard_list", "inspections:notice_list",
                  "inspections:improvement_list", "inspections:jointoperation_list")


def test_the_system_administrator_gets_units_and_holidays_and_no_business_page(cast, client):
    bar, more, html = menu(client, cast.ada)
    assert bar == urls("org:unit_list", "posts:holiday_list", "inspections:checklisttemplate_list")
    assert not set(urls(*BUSINESS_PAGES)) & set(bar + more)
    assert f'href="{reverse("admin:index")}"' in html


def test_the_security_and_audit_administrators_get_no_business_page(cast, client):
    for user in (cast.sid, cast.audrey):
        bar, more, _html = menu(client, user)
        assert not set(urls(*BUSINESS_PAGES, "org:unit_list", "posts:holiday_list")) & set(bar + more), user
