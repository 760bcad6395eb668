"""API tokens: one per device with a name, only a digest stored, ending after an idle time and
an absolute age, revoked by a new password, a lockout or a change of role or groups, listed and
revoked by their owner and by the security administrator; minting and revoking audited."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from audit.models import AuditEvent
from org.models import ApiToken, Role
from org.services import user_set_role
from org.tokens import key_digest
from tests.fixtures import PASSWORD

TOKEN_URL = "/api/v1/auth/token/"
TOKENS_URL = "/api/v1/auth/tokens/"
SOME_LIST = "/api/v1/schools/"


@pytest.fixture
def now(time_machine):
    moment = timezone.make_aware(datetime.datetime(2026, 3, 2, 7, 0))
    time_machine.move_to(moment, tick=False)
    return moment


def mint(api, username="alice", name="phone"):
    response = api.post(TOKEN_URL, {"username": username, "password": PASSWORD, "name": name})
    assert response.status_code == 200, response.content
    return response.json()


def signed_in(api, key):
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def works(api, key) -> bool:
    status = signed_in(api, key).get(SOME_LIST).status_code
    assert status in (200, 401), status
    return status == 200


def test_minting_answers_the_key_once_and_stores_only_its_digest(cast, api, now):
    body = mint(api, name="Oscar's phone")
    token = ApiToken.objects.get(pk=body["id"])
    assert body["name"] == "Oscar's phone" and body["token"]
    assert token.digest == key_digest(body["token"])
    assert body["token"] not in {getattr(token, field.attname) for field in ApiToken._meta.fields}
    assert works(api, body["token"])


def test_a_user_holds_one_token_per_device(cast, api, now):
    phone, tablet = mint(api, name="phone"), mint(api, name="tablet")
    assert phone["token"] != tablet["token"]
    assert works(api, phone["token"]) and works(api, tablet["token"])


def test_minting_is_audited_without_the_key(cast, api, now):
    body = mint(api)
    event = AuditEvent.objects.get(action="token_mint")
    assert event.user_id == cast.alice.pk and event.object_id == str(body["id"])
    assert body["token"] not in str(event.detail)


def test_a_token_ends_after_the_idle_time(cast, api, now, settings, time_machine):
    key = mint(api)["token"]
    time_machine.move_to(now + settings.API_TOKEN_IDLE - datetime.timedelta(minutes=1), tick=False)
    assert works(api, key)  # used: idle from here again
    time_machine.move_to(now + 2 * settings.API_TOKEN_IDLE - datetime.timedelta(minutes=2), tick=False)
    assert works(api, key)
    time_machine.move_to(now + 3 * settings.API_TOKEN_IDLE, tick=False)
    assert not works(api, key)


def test_a_token_in_use_ends_at_its_absolute_age(cast, api, now, settings, time_machine):
    key = mint(api)["token"]
    moment = now
    while moment + settings.API_TOKEN_IDLE / 2 < now + settings.API_TOKEN_MAX_AGE:
        moment += settings.API_TOKEN_IDLE / 2
        time_machine.move_to(moment, tick=False)
        assert works(api, key)
    time_machine.move_to(now + settings.API_TOKEN_MAX_AGE, tick=False)
    assert not works(api, key)


def test_an_unknown_key_is_refused(cast, api):
    assert not works(api, "not-a-key")


def test_a_new_password_revokes_the_tokens(cast, api, now):
    key = mint(api)["token"]
    cast.alice.set_password("Another-pass-2026")
    cast.alice.save()
    assert not works(api, key)
    event = AuditEvent.objects.get(action="token_revoke")
    assert event.detail["reason"] == "password_change" and event.detail["owner"] == "alice"


def test_the_password_change_page_revokes_the_tokens(cast, api, client, now):
    key = mint(api)["token"]
    client.force_login(cast.alice)
    response = client.post("/password/", {
        "old_password": PASSWORD, "new_password1": "Another-pass-2026", "new_password2": "Another-pass-2026",
    })
    assert response.status_code == 302
    assert not works(api, key)


def test_logging_in_again_keeps_the_tokens(cast, api, client, now):
    key = mint(api)["token"]
    assert client.post("/login/", {"username": "alice", "password": PASSWORD}).status_code == 302
    assert works(api, key)


def test_a_role_change_revokes_the_tokens(cast, api, now):
    key = mint(api)["token"]
    user_set_role(user=cast.alice, role=Role.SUPERVISOR)
    assert not works(api, key)
    assert AuditEvent.objects.filter(action="token_revoke", detail__reason="role_change").exists()


def test_a_group_change_revokes_the_tokens_from_either_side(cast, api, now):
    key = mint(api)["token"]
    cast.alice.groups.add(Group.objects.get(name=Role.SUPERVISOR))
    assert not works(api, key)
    key = mint(api)["token"]
    Group.objects.get(name=Role.DISPATCHER).user_set.remove(cast.alice)
    assert not works(api, key)


def test_a_deactivated_account_loses_its_tokens(cast, api, now):
    key = mint(api)["token"]
    cast.alice.is_active = False
    cast.alice.save()
    assert not ApiToken.objects.filter(user=cast.alice).exists()
    assert not works(api, key)


def test_a_lockout_of_the_account_revokes_its_tokens(cast, api, now):
    key = mint(api)["token"]
    other = api.__class__()
    for _ in range(5):
        other.post(TOKEN_URL, {"username": "alice", "password": "wrong-Pass-1"})
    assert not works(api, key)
    assert AuditEvent.objects.filter(action="token_revoke", detail__reason="lockout").exists()


def test_an_address_locked_out_on_its_own_revokes_nobodys_tokens(cast, api, now, settings):
    settings.AXES_FAILURE_LIMIT = 50
    key = mint(api)["token"]
    other = api.__class__()
    for _ in range(settings.AXES_IP_FAILURE_LIMIT):
        other.post(TOKEN_URL, {"username": "alice", "password": "wrong-Pass-1"})
    assert other.post(TOKEN_URL, {"username": "alice", "password": PASSWORD}).status_code == 429
    assert works(api, key)


def test_the_owner_lists_his_live_tokens_and_no_one_elses(cast, api, now):
    phone = mint(api, name="phone")
    mint(api, username="bob", name="bob's")
    listed = signed_in(api, phone["token"]).get(TOKENS_URL).json()["results"]
    assert [(t["id"], t["name"], t["current"]) for t in listed] == [(phone["id"], "phone", True)]
    assert "token" not in listed[0] and "digest" not in listed[0]


def test_the_owner_revokes_a_token_and_it_stops_working(cast, api, now):
    phone, tablet = mint(api, name="phone"), mint(api, name="tablet")
    assert signed_in(api, phone["token"]).delete(f"{TOKENS_URL}{tablet['id']}/").status_code == 204
    assert not works(api, tablet["token"]) and works(api, phone["token"])
    event = AuditEvent.objects.get(action="token_revoke")
    assert event.user_id == cast.alice.pk and event.detail["reason"] == "owner"


def test_another_users_token_answers_404(cast, api, now):
    alices = mint(api)
    bobs = mint(api, username="bob")
    signed_in(api, alices["token"])
    assert api.get(f"{TOKENS_URL}{bobs['id']}/").status_code == 404
    assert api.delete(f"{TOKENS_URL}{bobs['id']}/").status_code == 404
    assert works(api, bobs["token"])


def test_the_security_administrator_lists_and_revokes_anyones_tokens(cast, api, now):
    alices = mint(api)
    mint(api, username="bob")
    api.credentials()
    api.force_authenticate(cast.sid)
    listed = api.get(TOKENS_URL).json()["results"]
    assert {t["username"] for t in listed} == {"alice", "bob"}
    assert {t["username"] for t in api.get(TOKENS_URL, {"user": cast.alice.pk}).json()["results"]} == {"alice"}
    assert api.delete(f"{TOKENS_URL}{alices['id']}/").status_code == 204
    api.force_authenticate(None)
    assert not works(api, alices["token"])
    event = AuditEvent.objects.get(action="token_revoke")
    assert event.user_id == cast.sid.pk and event.detail == {**event.detail, "reason": "security_administrator",
                                                             "owner": "alice"}


@pytest.mark.parametrize("role", ["admin", "hq", "supervisor", "auditor"])
def test_no_other_role_sees_or_revokes_anothers_tokens(cast, api, now, role):
    alices = mint(api)
    api.force_authenticate(cast.user(role))
    assert api.get(TOKENS_URL).json()["results"] == []
    assert api.delete(f"{TOKENS_URL}{alices['id']}/").status_code == 404


def test_expired_tokens_are_not_listed_and_go_at_the_next_minting(cast, api, now, settings, time_machine):
    old = mint(api, name="old")
    time_machine.move_to(now + settings.API_TOKEN_MAX_AGE, tick=False)
    new = mint(api, name="new")
    listed = signed_in(api, new["token"]).get(TOKENS_URL).json()["results"]
    assert [t["name"] for t in listed] == ["new"]
    assert not ApiToken.objects.filter(pk=old["id"]).exists()
