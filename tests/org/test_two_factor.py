"""Two-factor login (org/otp.py): HQ, supervisors and the three administrators give a code from
an authenticator app after their password, before any page or the API through the session;
they enrol the app at their first login; a recovery code works once; the security
administrator alone resets another account's second factor, audited. Dispatchers and officers
log in as before."""

import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django_otp.oath import hotp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from audit.models import AuditAction, AuditEvent
from demo.district import DEMO_OTP_SECRET
from org.otp import key_from_secret, otp_enrol_with_key
from org.services import user_create
from tests.fixtures import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.otp]

REQUIRED = ["hq", "supervisor", "admin", "security", "auditor"]
NOT_REQUIRED = ["dispatcher", "officer"]
SECRET = "JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP"
SCHEMA = "/api/schema/"  # any signed-in user reads it; the API's session authentication decides


def code_now(device: TOTPDevice, ahead: int = 0) -> str:
    step = int(time.time() - device.t0) // device.step + device.drift + ahead
    return f"{hotp(device.bin_key, step):06d}"


def enrolled(user) -> TOTPDevice:
    return otp_enrol_with_key(user=user, key=key_from_secret(SECRET))


def last(action, **filters):
    return AuditEvent.objects.filter(action=action, **filters).order_by("-seq").first()


@pytest.mark.parametrize("role", REQUIRED)
def test_a_role_that_needs_it_is_sent_to_enrol_then_to_verify_and_the_api_refuses_it(cast, client, role):
    user = cast.user(role)
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('otp_enrol')}?next=/"
    api = APIClient()
    api.force_login(user)
    response = api.get(SCHEMA)
    assert response.status_code == 403
    assert "two-factor" in str(response.data["detail"]) or "动态" in str(response.data["detail"])

    enrolled(user)
    response = client.get(reverse("posts:school_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('otp_verify')}?next=")
    assert api.get(SCHEMA).status_code == 403


@pytest.mark.parametrize("role", REQUIRED)
def test_the_right_code_opens_the_pages_and_the_api_to_the_session(cast, client, role):
    user = cast.user(role)
    device = enrolled(user)
    client.force_login(user)
    response = client.post(reverse("otp_verify"), {"code": code_now(device), "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get(reverse("home")).status_code == 200
    assert client.get(SCHEMA).status_code == 200  # the same session, through DRF
    event = last(AuditAction.LOGIN, user=user)
    assert event.detail == {"second_factor": "app"}


@pytest.mark.parametrize("role", NOT_REQUIRED)
def test_dispatchers_and_officers_log_in_as_before(cast, client, role):
    user = cast.user(role)
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code in (200, 302)
    assert not client.get(reverse("home")).get("Location", "").startswith("/login/otp")
    assert client.get(SCHEMA).status_code == 200


def test_the_login_page_leads_through_the_code_to_the_page_asked_for(cast, client):
    device = enrolled(cast.henry)
    school_list = reverse("posts:school_list")
    response = client.post(f"{reverse('login')}?next={school_list}",
                           {"username": "henry", "password": PASSWORD, "next": school_list})
    assert response["Location"] == school_list
    response = client.get(school_list)
    assert response["Location"] == f"{reverse('otp_verify')}?next={school_list}"
    page = client.get(response["Location"])
    assert page.status_code == 200 and f'value="{school_list}"' in page.content.decode()
    response = client.post(reverse("otp_verify"), {"code": code_now(device), "next": school_list})
    assert response["Location"] == school_list
    assert client.get(school_list).status_code == 200


def test_a_wrong_code_is_refused_and_recorded(cast, client):
    device = enrolled(cast.sam)
    client.force_login(cast.sam)
    wrong = f"{(int(code_now(device)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("otp_verify"), {"code": wrong, "next": "/"})
    assert response.status_code == 200
    assert client.get(reverse("home")).status_code == 302
    event = last(AuditAction.LOGIN_FAILED, user=cast.sam)
    assert (event.username, event.result, event.detail) == ("sam", "refused", {"second_factor": "app"})


def test_a_code_works_once(cast, client):
    device = enrolled(cast.sam)
    code = code_now(device)
    client.force_login(cast.sam)
    assert client.post(reverse("otp_verify"), {"code": code})["Location"] == "/"
    client.logout()
    client.force_login(cast.sam)
    assert client.post(reverse("otp_verify"), {"code": code}).status_code == 200  # refused
    assert client.get(reverse("home")).status_code == 302


def test_a_link_to_another_site_is_not_followed_after_the_code(cast, client):
    device = enrolled(cast.sam)
    client.force_login(cast.sam)
    response = client.post(reverse("otp_verify"), {"code": code_now(device), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def enrol_through_the_page(client) -> list[str]:
    page = client.get(reverse("otp_enrol"), {"next": "/"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in html  # the QR code, drawn here
    device = TOTPDevice.objects.get(confirmed=False)
    response = client.post(reverse("otp_enrol"), {"code": code_now(device), "next": "/"})
    assert response.status_code == 302
    codes_page = client.get(response["Location"])
    assert codes_page.status_code == 200
    return [code for code in StaticToken.objects.values_list("token", flat=True) if code in codes_page.content.decode()]


def test_enrolment_needs_a_correct_code_and_shows_the_recovery_codes_once(cast, client):
    client.force_login(cast.audrey)
    page = client.get(reverse("otp_enrol"))
    device = TOTPDevice.objects.get(user=cast.audrey)
    assert not device.confirmed
    secret = page.content.decode().split('id="otp-secret"')[1].split(">")[1].split("<")[0]
    assert key_from_secret(secret) == device.key  # the typed-in secret is the QR code's
    wrong = f"{(int(code_now(device)) + 1) % 1_000_000:06d}"
    assert client.post(reverse("otp_enrol"), {"code": wrong}).status_code == 200
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get(reverse("home")).status_code == 302

    time.sleep(1.1)  # a wrong code makes the next wait a second (django-otp's throttling)
    codes = enrol_through_the_page(client)
    assert len(codes) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("otp_recovery_codes")).status_code == 302  # shown once
    event = last(AuditAction.OTP_ENROL, user=cast.audrey)
    assert (event.object_id, event.detail) == (str(cast.audrey.pk), {"second_factor": "enrolled"})


def test_an_account_with_an_app_cannot_enrol_another(cast, client):
    enrolled(cast.henry)
    client.force_login(cast.henry)
    assert client.get(reverse("otp_enrol"))["Location"].startswith(reverse("otp_verify"))
    client.post(reverse("otp_enrol"), {"code": "123456"})
    assert TOTPDevice.objects.filter(user=cast.henry).count() == 1


def test_a_recovery_code_works_once(cast, client):
    client.force_login(cast.henry)
    codes = enrol_through_the_page(client)
    client.logout()
    client.force_login(cast.henry)
    assert client.get(reverse("home")).status_code == 302
    assert client.post(reverse("otp_verify"), {"code": codes[0].upper()})["Location"] == "/"
    assert client.get(reverse("home")).status_code == 200
    assert last(AuditAction.LOGIN, user=cast.henry).detail == {"second_factor": "recovery code"}
    client.logout()
    client.force_login(cast.henry)
    assert client.post(reverse("otp_verify"), {"code": codes[0]}).status_code == 200
    assert client.get(reverse("home")).status_code == 302
    assert StaticToken.objects.count() == 9


def test_the_login_logout_and_health_check_stay_open(cast, client):
    client.force_login(cast.henry)
    assert client.get(reverse("healthz")).status_code == 200
    assert client.get(reverse("otp_enrol")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))


def reset_through_the_back_office(client, user):
    return client.post(reverse("admin:org_user_changelist"),
                       {"action": "reset_second_factor", "_selected_action": [user.pk]})


def test_the_security_administrator_resets_a_lost_phone_audited(cast, client):
    device = enrolled(cast.henry)
    henry = Client()
    henry.force_login(cast.henry)
    assert henry.post(reverse("otp_verify"), {"code": code_now(device)}).status_code == 302
    assert henry.get(reverse("home")).status_code == 200
    sid_device = enrolled(cast.sid)
    client.force_login(cast.sid)
    client.post(reverse("otp_verify"), {"code": code_now(sid_device)})

    assert reset_through_the_back_office(client, cast.henry).status_code == 302
    assert not TOTPDevice.objects.filter(user=cast.henry).exists()
    event = last(AuditAction.OTP_RESET)
    assert (event.user, event.object_id, event.detail) == (cast.sid, str(cast.henry.pk), {"devices": 1})
    # Henry's session is verified no more: his next page is the enrolment of a new app.
    assert henry.get(reverse("home"))["Location"].startswith(reverse("otp_enrol"))


def test_nobody_else_resets_and_the_security_administrator_not_his_own(cast, client):
    enrolled(cast.henry)
    device = enrolled(cast.ada)
    client.force_login(cast.ada)  # the system administrator keeps accounts, not their factors
    client.post(reverse("otp_verify"), {"code": code_now(device)})
    response = reset_through_the_back_office(client, cast.henry)
    assert response.status_code in (200, 302)
    assert TOTPDevice.objects.filter(user=cast.henry).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.OTP_RESET).exists()

    sid_device = enrolled(cast.sid)
    client.force_login(cast.sid)
    client.post(reverse("otp_verify"), {"code": code_now(sid_device)})
    reset_through_the_back_office(client, cast.sid)
    assert TOTPDevice.objects.filter(user=cast.sid).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.OTP_RESET).exists()


def test_demo_otp_prints_a_demo_accounts_current_code_and_nobody_elses(cast):
    hq = user_create(username="hq", password=PASSWORD, role="hq", unit=cast.hq_office)
    device = otp_enrol_with_key(user=hq, key=key_from_secret(DEMO_OTP_SECRET))
    out = StringIO()
    call_command("demo_otp", "hq", stdout=out)
    assert device.verify_token(out.getvalue().strip())
    with pytest.raises(CommandError, match="not a demo account"):
        call_command("demo_otp", "henry", stdout=StringIO())
    enrolled(cast.henry)
    hq.totpdevice_set.update(key=key_from_secret(SECRET))  # a real app of its own
    with pytest.raises(CommandError, match="no demo authenticator"):
        call_command("demo_otp", "hq", stdout=StringIO())


def test_check_accounts_refuses_the_demo_secret_in_production(cast):
    otp_enrol_with_key(user=cast.henry, key=key_from_secret(DEMO_OTP_SECRET))
    with pytest.raises(CommandError, match="henry: has the demo two-factor secret"):
        call_command("check_accounts", "--production", stdout=StringIO())


def test_the_api_docs_open_once_the_code_is_given(cast, client):
    device = enrolled(cast.henry)
    client.force_login(cast.henry)
    assert client.get("/api/docs/").status_code == 302
    client.post(reverse("otp_verify"), {"code": code_now(device)})
    response = client.get("/api/docs/")
    assert response.status_code == 200, response.content[:300]


def test_the_token_endpoint_asks_these_roles_for_their_code_too(cast):
    """A password alone does not mint an API token for a role that logs in with two factors."""
    device = enrolled(cast.henry)
    api = APIClient()
    url = "/api/v1/auth/token/"
    refused = api.post(url, {"username": "henry", "password": PASSWORD}, format="json")
    assert refused.status_code == 400 and "otp" in refused.json()
    minted = api.post(url, {"username": "henry", "password": PASSWORD, "otp": code_now(device)}, format="json")
    assert minted.status_code == 200 and minted.json()["token"]
    # A wrong code (after which django-otp makes the device wait a moment) is refused, and recorded.
    wrong = api.post(url, {"username": "henry", "password": PASSWORD, "otp": "000000"}, format="json")
    assert wrong.status_code == 400 and "otp" in wrong.json()
    assert last(AuditAction.LOGIN_FAILED, user=cast.henry).detail["via"] == "api"
    # A dispatcher's account needs no second factor, here as on the login page.
    assert api.post(url, {"username": "alice", "password": PASSWORD}, format="json").status_code == 200
