"""The incident form at the gate, in a real browser on a phone-sized screen: the officer
standing a shift opens it from his check-in page, finds his post and the people on duty
filled in, and reports; when the network is gone the page keeps the incident and sends it
once (and only once) when the network is back. The form shows the fields of the chosen
kind only.

Shifts here run in real time (the live server's clock is not frozen): the shift started ten
minutes ago and ends in fifty."""

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, expect

from incidents.models import Incident
from tests.e2e.pages import log_in
from tests.e2e.test_checkin_and_live_board import assign, phone, running_shift, watch
from tests.factories import PersonFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def on_duty(live_cast):
    """Oscar (张斌) and 李同 on station A's main gate right now."""
    cast = live_cast
    cast.shift = running_shift(cast.post_a)
    cast.assignment = assign(cast.shift, cast.officer_a)
    assign(cast.shift, PersonFactory(name="李同", unit=cast.station_a))
    return cast


def open_the_form(browser: Browser, live_server, cast):
    context = phone(browser)
    page = context.new_page()
    bad = watch(page)
    base = live_server.url
    log_in(page, base, "oscar", landing=reverse("attendance:checkin"))
    page.locator("#shift-action-incident").click()
    page.wait_for_url(f"{base}{reverse('incidents:incident_report')}?assignment={cast.assignment.pk}")
    return context, page, bad


def test_an_officer_reports_from_the_gate_and_the_report_survives_the_network_going_away(
        browser: Browser, live_server, on_duty):
    cast = on_duty
    context, page, bad = open_the_form(browser, live_server, cast)
    expect(page.locator("#id_post")).to_have_value(str(cast.post_a.pk))
    expect(page.locator("#id_school")).to_have_value(str(cast.school_a.pk))
    on_duty_box = page.locator("#incident-on-duty")
    expect(on_duty_box).to_contain_text("张斌")
    expect(on_duty_box).to_contain_text("李同")

    page.locator("label[for=id_kind_0]").click()  # help request
    expect(page.locator("#id_kind_0")).to_be_checked()
    page.locator("#id_summary").fill("一年级学生找不到家长，护送至门卫室等候")

    context.set_offline(True)
    page.locator("#incident-submit").click()
    expect(page.locator("#incident-offline")).to_be_visible()
    assert Incident.objects.count() == 0
    page.wait_for_timeout(500)
    assert Incident.objects.count() == 0

    context.set_offline(False)  # the page sends it again on the `online` event
    page.wait_for_url(f"{live_server.url}/incidents/*/", timeout=20_000)
    incident = Incident.objects.get()
    assert page.url == f"{live_server.url}{incident.get_absolute_url()}"
    assert (incident.kind, incident.status, incident.post, incident.reported_by) == (
        "help", "open", cast.post_a, cast.oscar)
    assert incident.summary == "一年级学生找不到家长，护送至门卫室等候"
    assert {p.name for p in incident.on_duty.all()} == {"张斌", "李同"}
    expect(page.locator("#incident-status")).to_be_visible()
    # The retry every 10 s must not send it a second time.
    page.wait_for_timeout(11_000)
    assert Incident.objects.count() == 1
    assert not bad, bad
    context.close()


def test_the_form_shows_the_fields_of_the_chosen_kind(browser: Browser, live_server, on_duty):
    cast = on_duty
    context, page, bad = open_the_form(browser, live_server, cast)
    outcome = page.locator('[data-field-box="outcome"]')
    parties = page.locator('[data-field-box="parties"]')
    expect(outcome).to_be_hidden()
    expect(parties).to_be_hidden()
    page.locator("label[for=id_kind_3]").click()  # suspicious person checked
    expect(outcome).to_be_visible()
    expect(page.locator('[data-field-box="items_checked"]')).to_be_visible()
    expect(parties).to_be_hidden()
    page.locator("label[for=id_kind_5]").click()  # dispute
    expect(parties).to_be_visible()
    expect(outcome).to_be_hidden()
    assert not bad, bad
    context.close()


def test_a_slow_answer_is_not_sent_twice(browser: Browser, live_server, on_duty):
    """The network comes back but the answer is slow: neither the 10 s retry nor a second tap
    on Report sends the incident again while the first request is on its way."""
    cast = on_duty
    context, page, bad = open_the_form(browser, live_server, cast)
    page.locator("label[for=id_kind_1]").click()  # alarm
    page.locator("#id_summary").fill("学生报警：校门外有人尾随")
    context.set_offline(True)
    page.locator("#incident-submit").click()
    expect(page.locator("#incident-offline")).to_be_visible()
    # From now on the server's answer is held back (a routed request ignores the offline switch).
    held = []
    page.route("**/incidents/report/**", lambda route: held.append(route) if route.request.method == "POST"
               else route.continue_())
    context.set_offline(False)
    page.wait_for_timeout(11_000)  # past the retry timer
    page.locator("#incident-submit").click()
    page.wait_for_timeout(1_000)
    assert len(held) == 1, f"{len(held)} requests were sent"
    held[0].continue_()
    page.wait_for_url(f"{live_server.url}/incidents/*/", timeout=20_000)
    assert Incident.objects.count() == 1
    assert not bad, bad
    context.close()
