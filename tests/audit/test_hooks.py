"""One audit row for each action the system records on its own: logins (page and token,
success and failure with the username tried), logouts, lockouts, every create, change and
delete of business data, refused access (403, and 404 on another station's object), exports
and reads of personal data."""

import pytest
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from org.models import Person
from tests.fixtures import PASSWORD

pytestmark = [pytest.mark.django_db]


def last(action):
    return AuditEvent.objects.filter(action=action).order_by("-seq").first()


def test_a_login_and_a_logout_on_the_page(client, cast):
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD},
                           REMOTE_ADDR="10.0.0.7", HTTP_USER_AGENT="Phone")
    assert response.status_code == 302
    event = last(AuditAction.LOGIN)
    assert (event.user_id, event.username, event.unit_id, event.ip, event.user_agent, event.result) == (
        cast.alice.pk, "alice", cast.station_a.pk, "10.0.0.7", "Phone", "ok")
    assert event.detail == {"via": "page"}
    client.post(reverse("logout"))
    assert last(AuditAction.LOGOUT).user_id == cast.alice.pk


def test_a_failed_login_on_the_page_keeps_the_username_tried(client, cast):
    client.post(reverse("login"), {"username": "alice", "password": "wrong-Password-1"}, REMOTE_ADDR="10.0.0.8")
    event = last(AuditAction.LOGIN_FAILED)
    assert (event.user_id, event.username, event.ip, event.result) == (None, "alice", "10.0.0.8", "failed")


def test_a_failed_login_on_the_token_endpoint_keeps_the_username_tried(api, cast):
    api.post(reverse("api-token"), {"username": "nobody", "password": "x"}, format="json")
    event = last(AuditAction.LOGIN_FAILED)
    assert (event.username, event.result, event.detail["via"]) == ("nobody", "failed", "api")


def test_a_login_on_the_token_endpoint(api, cast):
    response = api.post(reverse("api-token"), {"username": "alice", "password": PASSWORD}, format="json",
                        REMOTE_ADDR="10.0.0.9", HTTP_USER_AGENT="HuxueApp")
    assert response.status_code == 200
    event = last(AuditAction.LOGIN)
    assert (event.user_id, event.username, event.unit_id, event.ip, event.user_agent, event.result, event.detail) == (
        cast.alice.pk, "alice", cast.station_a.pk, "10.0.0.9", "HuxueApp", "ok", {"via": "api"})
    # The login comes first, then the token it was given.
    assert last(AuditAction.TOKEN_MINT).seq == event.seq + 1


def test_a_lockout(client, cast, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "bob", "password": "wrong-Password-1"})
    event = last(AuditAction.LOCKOUT)
    assert (event.username, event.result) == ("bob", "refused")
    # The failures stay in the trail whatever becomes of axes' counters.
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, username="bob").count() >= 5


def test_create_change_and_delete_of_business_data_link_their_history_rows(client, cast):
    client.force_login(cast.alice)
    person = Person.objects.create(name="王五", unit=cast.station_a)
    created = last(AuditAction.CREATE)
    assert (created.object_type, created.object_id) == ("org.person", str(person.pk))
    history = person.history.latest()
    assert created.detail["history_id"] == history.pk
    assert created.detail["history_model"] == history._meta.label_lower
    person.name = "王六"
    person.save()
    changed = last(AuditAction.CHANGE)
    assert (changed.object_id, changed.detail["fields"]) == (str(person.pk), ["name"])
    pk = person.pk
    person.delete()
    assert last(AuditAction.DELETE).object_id == str(pk)




def test_a_403_is_recorded(client, cast):
    client.force_login(cast.oscar)
    response = client.get(reverse("org:lockout_list"))
    assert response.status_code == 403
    event = last(AuditAction.REFUSED)
    assert (event.user_id, event.result, event.detail["status"], event.detail["path"]) == (
        cast.oscar.pk, "refused", 403, reverse("org:lockout_list"))


def test_another_stations_person_is_404_and_recorded_on_the_page_and_the_api(client, api, cast):
    theirs = Person.objects.create(name="外所人员", unit=cast.station_b)
    client.force_login(cast.alice)
    assert client.get(reverse("org:person_detail", args=[theirs.pk])).status_code == 404
    event = last(AuditAction.REFUSED)
    assert (event.object_type, event.object_id, event.detail["status"], event.user_id) == (
        "org.person", str(theirs.pk), 404, cast.alice.pk)
    api.force_authenticate(cast.alice)
    assert api.get(f"/api/v1/people/{theirs.pk}/").status_code == 404
    event = last(AuditAction.REFUSED)
    assert (event.object_id, event.user_id, event.detail["path"]) == (str(theirs.pk), cast.alice.pk,
                                                                      f"/api/v1/people/{theirs.pk}/")
    # A page that does not exist anywhere is no refusal.
    count = AuditEvent.objects.filter(action=AuditAction.REFUSED).count()
    assert client.get(reverse("org:person_detail", args=[999999])).status_code == 404
    assert AuditEvent.objects.filter(action=AuditAction.REFUSED).count() == count


def test_an_export_names_the_list_the_filters_and_the_rows(client, cast):
    client.force_login(cast.alice)
    response = client.get(reverse("org:person_list"), {"export": "xlsx", "q": "张"})
    assert response.status_code == 200
    event = last(AuditAction.EXPORT)
    assert event.user_id == cast.alice.pk
    assert event.detail["model"] == "org.person"
    assert event.detail["filters"] == {"q": "张"}
    assert event.detail["rows"] == Person.objects.filter(unit=cast.station_a, name__contains="张").count()


def test_a_persons_detail_page_and_api_detail_are_personal_reads(client, api, cast):
    client.force_login(cast.alice)
    assert client.get(reverse("org:person_detail", args=[cast.officer_a.pk])).status_code == 200
    event = last(AuditAction.READ_PERSONAL)
    assert (event.object_type, event.object_id, event.user_id, event.detail) == (
        "org.person", str(cast.officer_a.pk), cast.alice.pk, {"via": "page"})
    api.force_authenticate(cast.alice)
    assert api.get(f"/api/v1/people/{cast.officer_a.pk}/").json()["name"] == cast.officer_a.name
    event = last(AuditAction.READ_PERSONAL)
    assert (event.object_id, event.detail) == (str(cast.officer_a.pk), {"via": "api"})


def test_the_roster_export_and_print_and_the_figures_export(client, cast):
    client.force_login(cast.alice)
    assert client.get(reverse("duty:roster_export")).status_code == 200
    event = last(AuditAction.EXPORT)
    assert (event.object_type, event.detail["format"]) == ("org.unit", "xlsx")
    assert client.get(reverse("duty:roster_print")).status_code == 200
    assert last(AuditAction.PRINT).object_id == str(cast.station_a.pk)
    client.force_login(cast.henry)
    before = AuditEvent.objects.filter(action=AuditAction.EXPORT).count()
    assert client.get(reverse("reports:figures"), {"export": "xlsx"}).status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == before + 1
