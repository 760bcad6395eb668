"""An emergency is told at once to the station's dispatchers and to HQ (in-app, and by SMS
and email through the outbox, in the transaction that reports it); one not closed within
INCIDENT_EMERGENCY_CLOSE_MINUTES of when it happened is flagged on the station's list and
above the live board. The clock is frozen on Monday 7 September 2026, from 07:45."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings
from django.urls import reverse

from core.models import OutboxKind, OutboxMessage
from duty.models import Notification
from incidents.models import Incident
from incidents.selectors import board_alerts
from incidents.services import incident_create, incident_step, incident_update
from org.models import Role, Unit, UnitKind
from org.services import user_create
from tests.core.brokers import DOWN, celery_broker
from tests.factories import PersonFactory
from tests.fixtures import PASSWORD
from tests.scenes import client_for

pytestmark = pytest.mark.usefixtures("english", "english_pages")

TZ = ZoneInfo("Asia/Shanghai")
API = "/api/v1/incidents/"


def moment(hour, minute):
    return datetime.datetime(2026, 9, 7, hour, minute, tzinfo=TZ)


@pytest.fixture
def clock_start():
    return moment(7, 45)


@pytest.fixture
def desk(cast):
    """Alice has an email address; Henry (HQ) stands for a person on the roster with a phone;
    a second dispatcher at station A without either; an HQ account of another bureau."""
    cast.alice.email = "alice@example.com"
    cast.alice.save()
    PersonFactory(name="何指", unit=cast.hq_office, phone="13900000002", user=cast.henry)
    cast.second = user_create(username="dora", password=PASSWORD, role=Role.DISPATCHER, unit=cast.station_a,
                              full_name="多拉")
    other = Unit.objects.create(name="越溪分局", kind=UnitKind.BUREAU)
    cast.far_hq = user_create(username="hank", password=PASSWORD, role=Role.HQ, unit=other, full_name="韩指")
    return cast


def an_emergency(cast, *, report=True, **fields):
    return incident_create(user=cast.oscar, report=report, kind="emergency", post=cast.post_a,
                           occurred_at=moment(7, 40), summary="电动三轮车失控冲向校门", **fields)


def test_reporting_an_emergency_tells_the_station_and_hq_at_once(desk):
    incident = an_emergency(desk)
    told = Notification.objects.order_by("recipient__username")
    assert [n.recipient for n in told] == [desk.alice, desk.second, desk.henry]
    link = reverse("incidents:incident_detail", args=[incident.pk])
    for note in told:
        assert note.link == link
        assert note.title == "Emergency at 圣莲岛小学 · 正门护学岗, 07:40"
        assert note.body == "电动三轮车失控冲向校门"
    messages = sorted((row.kind, row.payload.get("to") or row.payload.get("phone"))
                      for row in OutboxMessage.objects.all())
    assert messages == [(OutboxKind.EMAIL, "alice@example.com"), (OutboxKind.SMS, "13900000002")]
    assert all(row.delivered_at is None for row in OutboxMessage.objects.all())


def test_an_emergency_of_station_b_is_not_told_to_station_a(desk):
    incident_create(user=desk.bob, kind="emergency", post=desk.post_b, occurred_at=moment(7, 40),
                    summary="校门口打架")
    assert {n.recipient for n in Notification.objects.all()} == {desk.bob, desk.henry}


def test_other_kinds_tell_nobody(desk):
    incident_create(user=desk.oscar, kind="alarm", post=desk.post_a, occurred_at=moment(7, 40), summary="报警")
    assert not Notification.objects.exists() and not OutboxMessage.objects.exists()


def test_a_draft_emergency_tells_nobody_until_it_is_reported(desk):
    draft = an_emergency(desk, report=False)
    assert not Notification.objects.exists() and not OutboxMessage.objects.exists()
    incident_update(incident=draft, user=desk.oscar, report=True)
    assert Notification.objects.count() == 3 and OutboxMessage.objects.count() == 2
    # Taking, closing or reopening it tells nobody again.
    incident_step(incident=draft, user=desk.alice, kind="taken")
    assert Notification.objects.count() == 3


def test_a_broken_broker_never_fails_the_report(desk, settings, django_capture_on_commit_callbacks):
    payload = {"kind": "emergency", "post": desk.post_a.pk, "occurred_at": moment(7, 40).isoformat(),
               "summary": "电动三轮车失控冲向校门"}
    with celery_broker(DOWN, settings), django_capture_on_commit_callbacks(execute=True):
        response = client_for(desk.oscar).post(API, payload, format="json")
    assert response.status_code == 201, response.content
    assert Incident.objects.get().status == "open"
    assert OutboxMessage.objects.filter(delivered_at__isnull=True).count() == 2
    assert Notification.objects.count() == 3


# --- overdue --------------------------------------------------------------------------------------


def overdue_ids(user):
    return set(Incident.objects.visible_to(user).overdue_emergencies().values_list("pk", flat=True))


def test_an_open_emergency_is_overdue_after_the_configured_time(desk, clock, settings):
    assert settings.INCIDENT_EMERGENCY_CLOSE_MINUTES == 120
    incident = an_emergency(desk)
    closed = an_emergency(desk, action_taken="已处置")
    incident_step(incident=closed, user=desk.alice, kind="closed")
    an_emergency(desk, report=False)  # a draft is nobody's business yet
    incident_create(user=desk.alice, kind="help", post=desk.post_a, occurred_at=moment(7, 0), summary="求助")
    clock(moment(9, 39))
    assert overdue_ids(desk.alice) == set()
    clock(moment(9, 41))
    assert overdue_ids(desk.alice) == {incident.pk}
    with override_settings(INCIDENT_EMERGENCY_CLOSE_MINUTES=150):
        assert overdue_ids(desk.alice) == set()
    with override_settings(INCIDENT_EMERGENCY_CLOSE_MINUTES=60):
        clock(moment(8, 39))
        assert overdue_ids(desk.alice) == set()
        clock(moment(8, 41))
        assert overdue_ids(desk.alice) == {incident.pk}
    clock(moment(11, 0))
    incident_update(incident=incident, user=desk.alice, action_taken="已处置")
    incident_step(incident=incident, user=desk.alice, kind="closed")
    assert overdue_ids(desk.alice) == set()


def test_the_overdue_emergency_on_the_list_and_its_page(desk, clock, client):
    incident = an_emergency(desk)
    other = incident_create(user=desk.alice, kind="help", post=desk.post_a, occurred_at=moment(7, 0), summary="求助")
    clock(moment(9, 41))
    client.force_login(desk.alice)
    response = client.get(reverse("incidents:incident_list"), {"overdue": "true"})
    assert [row.pk for row in response.context["object_list"]] == [incident.pk]
    rows = {obj.pk: {column.accessor: text for column, text in cells} for obj, cells in response.context["rows"]}
    assert rows[incident.pk]["is_overdue"] == "Overdue"
    response = client.get(reverse("incidents:incident_list"))
    rows = {obj.pk: {column.accessor: text for column, text in cells} for obj, cells in response.context["rows"]}
    assert (rows[incident.pk]["is_overdue"], rows[other.pk]["is_overdue"]) == ("Overdue", "")
    response = client.get(reverse("incidents:incident_list"), {"overdue": "false"})
    assert [row.pk for row in response.context["object_list"]] == [other.pk]
    assert 'id="incident-overdue-flag"' in client.get(incident.get_absolute_url()).content.decode()
    assert 'id="incident-overdue-flag"' not in client.get(other.get_absolute_url()).content.decode()
    # The API filters the same way.
    assert [r["id"] for r in client_for(desk.alice).get(API, {"overdue": "true"}).json()["results"]] == [incident.pk]
    clock(moment(9, 39))
    assert not client.get(reverse("incidents:incident_list"), {"overdue": "true"}).context["object_list"]


def test_the_live_board_shows_the_alert_linking_to_the_list(desk, clock, client):
    an_emergency(desk)
    live = reverse("attendance:live")
    clock(moment(9, 39))
    client.force_login(desk.alice)
    assert 'id="live-alert-incidents-overdue"' not in client.get(live).content.decode()
    clock(moment(9, 41))
    html = client.get(live).content.decode()
    assert 'id="live-alert-incidents-overdue"' in html
    url = f"{reverse('incidents:incident_list')}?overdue=true&amp;station={desk.station_a.pk}"
    assert f'href="{url}"' in html
    assert "1 emergency not closed within 120 minutes" in html
    # The alert's link lists exactly it.
    response = client.get(reverse("incidents:incident_list"), {"overdue": "true", "station": desk.station_a.pk})
    assert response.context["object_list"].count() == 1
    # The htmx refresh of the board's body carries it too.
    assert 'id="live-alert-incidents-overdue"' in client.get(live, HTTP_HX_REQUEST="true").content.decode()
    # Not for station B's dispatcher, nor on the board of station B.
    client.force_login(desk.bob)
    assert 'id="live-alert-incidents-overdue"' not in client.get(live).content.decode()
    assert board_alerts(user=desk.bob, station=None, now=moment(9, 41)) == []
    assert board_alerts(user=desk.henry, station=desk.station_b, now=moment(9, 41)) == []
    (alert,) = board_alerts(user=desk.henry, station=None, now=moment(9, 41))
    assert alert.count == 1 and alert.url == f"{reverse('incidents:incident_list')}?overdue=true"
