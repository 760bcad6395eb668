import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

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
