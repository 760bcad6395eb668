import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from org.services import user_create
from tests.fixtures import PASSWORD


def login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_a_right_password_logs_in(cast, client):
    response = login(client, "alice", PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_the_sixth_attempt_after_five_wrong_passwords_is_refused_even_when_right(cast, client):
    for _ in range(5):
        response = login(client, "alice", "wrong-Password-1")
        assert response.status_code in (200, 429)
    response = login(client, "alice", PASSWORD)
    assert response.status_code == 429
    assert "locked-out" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302  # still not logged in


def test_lockout_applies_to_the_api_token_too(cast, api):
    for _ in range(5):
        api.post("/api/v1/auth/token/", {"username": "alice", "password": "nope-Nope-1"})
    response = api.post("/api/v1/auth/token/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429, response.content
    assert "token" not in response.json()
    assert "30" in response.json()["detail"]


def test_another_account_is_not_locked_by_alices_failures(cast, client):
    for _ in range(5):
        login(client, "alice", "wrong-Password-1")
    assert login(client, "bob", PASSWORD).status_code == 302


def test_a_token_authenticates_the_api(cast, api):
    response = api.post("/api/v1/auth/token/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/schools/").status_code == 200


@pytest.mark.parametrize(
    "password, reason",
    [
        ("Ab1!", "too short"),
        ("password1", "too common"),
        ("abcdefgh", "too common"),
        ("alllowercase", "at least 3 of"),
        ("lowerand123", "at least 3 of"),
    ],
)
def test_a_weak_password_is_refused_with_the_reason(db, password, reason):
    with pytest.raises(ValidationError) as excinfo:
        validate_password(password)
    codes = {e.code for e in excinfo.value.error_list}
    expected = {
        "too short": "password_too_short",
        "too common": "password_too_common",
        "at least 3 of": "password_too_simple",
    }[reason]
    assert expected in codes, codes


def test_a_strong_password_passes(db):
    validate_password("Huxue-2026-gate")


def test_creating_an_account_with_a_weak_password_saves_nothing(cast):
    from org.models import User

    with pytest.raises(ValidationError):
        user_create(username="weak", password="12345678", role="officer", unit=cast.station_a)
    assert not User.objects.filter(username="weak").exists()


def test_sessions_end_after_thirty_idle_minutes(cast, client, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    login(client, "alice", PASSWORD)
    session = client.session
    assert session.get_expiry_age() == 30 * 60


# Lockout by account and by address (org/lockout.py), and the security administrator's unlock.

def login_from(client, address, username, password="wrong-Password-1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_one_account_tried_from_many_addresses_is_locked(cast, client, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        login_from(client, f"10.0.0.{n + 1}", "alice")
    assert login_from(client, "10.0.9.9", "alice", PASSWORD).status_code == 429
    assert login_from(client, "10.0.9.9", "bob", PASSWORD).status_code == 302  # the address is not


def test_one_address_trying_many_accounts_is_locked(cast, client, settings):
    for n in range(settings.AXES_IP_FAILURE_LIMIT):
        login_from(client, "10.0.0.66", f"guess{n}")
    assert login_from(client, "10.0.0.66", "bob", PASSWORD).status_code == 429
    assert login_from(client, "10.0.0.67", "bob", PASSWORD).status_code == 302  # the account is not


def test_an_address_is_not_locked_by_a_few_colleagues_typos(cast, client, settings):
    # A station behind one NAT address: each account's own few failures do not add up to a lock.
    assert settings.AXES_IP_FAILURE_LIMIT > settings.AXES_FAILURE_LIMIT
    for username in ("alice", "oscar", "sam"):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            login_from(client, "10.0.0.5", username)
    assert login_from(client, "10.0.0.5", "bob", PASSWORD).status_code == 302


def test_a_good_login_does_not_clear_the_addresss_count(cast, client, settings):
    for n in range(settings.AXES_IP_FAILURE_LIMIT - 1):
        login_from(client, "10.0.0.66", f"guess{n}")
    assert login_from(client, "10.0.0.66", "alice", PASSWORD).status_code == 302
    client.logout()
    login_from(client, "10.0.0.66", "guess-again")
    assert login_from(client, "10.0.0.66", "bob", PASSWORD).status_code == 429


def test_each_lock_can_be_switched_off(cast, client, settings):
    settings.AXES_LOCKOUT_PARAMETERS = ["ip_address"]
    for n in range(settings.AXES_FAILURE_LIMIT):
        login_from(client, f"10.0.0.{n + 1}", "alice")
    assert login_from(client, "10.0.9.9", "alice", PASSWORD).status_code == 302


def test_the_security_administrator_sees_the_locks_and_unlocks_audited(cast, client, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        login_from(client, f"10.0.0.{n + 1}", "alice")
    client.force_login(cast.sid)
    page = client.get(reverse("org:lockout_list"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "alice" in text and "10.0.0.3" in text  # the lock, and the failures behind it
    response = client.post(reverse("org:lockout_unlock"), {"parameter": "username", "value": "alice"})
    assert response.status_code == 302
    locks = client.get(reverse("org:lockout_list")).content.decode().split('id="lockouts"')[1].split('id="failures"')[0]
    assert "alice" not in locks
    event = AuditEvent.objects.get(action="unlock")
    assert event.user_id == cast.sid.pk and event.detail["username"] == "alice"
    client.logout()
    assert login_from(client, "10.0.9.9", "alice", PASSWORD).status_code == 302


def test_an_unlocked_address_may_log_in_again(cast, client, settings):
    for n in range(settings.AXES_IP_FAILURE_LIMIT):
        login_from(client, "10.0.0.66", f"guess{n}")
    client.force_login(cast.sid)
    client.post(reverse("org:lockout_unlock"), {"parameter": "ip_address", "value": "10.0.0.66"})
    client.logout()
    assert login_from(client, "10.0.0.66", "bob", PASSWORD).status_code == 302
    assert AuditEvent.objects.get(action="unlock").detail["ip_address"] == "10.0.0.66"


@pytest.mark.parametrize("username", ["ada", "audrey", "henry", "bob"])
def test_only_the_security_administrator_opens_the_lockouts_and_unlocks(cast, client, settings, username):
    for n in range(settings.AXES_FAILURE_LIMIT):
        login_from(client, f"10.0.0.{n + 1}", "alice")
    client.force_login(getattr(cast, username))
    assert client.get(reverse("org:lockout_list")).status_code == 403
    assert client.post(reverse("org:lockout_unlock"), {"parameter": "username", "value": "alice"}).status_code == 403
    client.logout()
    assert login_from(client, "10.0.9.9", "alice", PASSWORD).status_code == 429
