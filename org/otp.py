"""Two-factor login (MLPS level 3, identification and authentication): after the password, the
roles of settings.OTP_REQUIRED_ROLES give a six-digit time-based code (TOTP, RFC 6238) from an
authenticator app, or one of ten one-time recovery codes, once per session. django-otp keeps
the devices (a TOTP device for the app, a static device for the recovery codes) and marks the
session verified; this module says who needs it, holds the pages and the API until then, and
holds the writes: enrolment, verification and the security administrator's reset, each audited.

The pages are in org/otp_views.py."""

import base64
import binascii

from drf_spectacular.authentication import SessionScheme
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp import verify_token as otp_verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication

from audit.services import audit_record
from org.services import ROLE_PERMISSION

RECOVERY_CODES = 10
APP_DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery"
# Where a signed-in user waiting for his second factor may still go.
OPEN_VIEWS = frozenset({
    "login", "logout", "healthz", "favicon", "csp-report",
    "otp_verify", "otp_enrol", "otp_recovery_codes",
})
# DRF views that are pages for people (the API's documentation): sent to the code like a page.
API_PAGES = frozenset({"api-docs", "api-redoc"})
# The recovery codes just made, shown once by the page after enrolment.
RECOVERY_CODES_SESSION_KEY = "otp_recovery_codes"


def second_factor_required(user) -> bool:
    """Whether this account must give a second factor (its role is in OTP_REQUIRED_ROLES)."""
    return bool(user.is_authenticated and user.role in settings.OTP_REQUIRED_ROLES)


def second_factor_pending(user) -> bool:
    """Signed in with the password, and still owing this session its second factor."""
    if not second_factor_required(user):
        return False
    is_verified = getattr(user, "is_verified", None)  # set by django_otp's OTPMiddleware
    return not (is_verified and is_verified())


def has_app(user) -> bool:
    """Whether the account has a confirmed authenticator app (else it enrols one first)."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def secret_text(device: TOTPDevice) -> str:
    """The device's key as an authenticator app takes it typed in: base32, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def key_from_secret(secret: str) -> str:
    """The hex key django-otp stores for a base32 secret (spaces and case ignored)."""
    text = secret.replace(" ", "").upper()
    try:
        return base64.b32decode(text + "=" * (-len(text) % 8)).hex()
    except binascii.Error:
        raise ValueError(f"not a base32 secret: {secret!r}") from None


def otp_enrolment_start(*, user) -> TOTPDevice:
    """The unconfirmed authenticator device the enrolment page shows (made on the first visit,
    the same one on the next, so a reload does not change the QR code under the user)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


@transaction.atomic
def otp_enrolment_confirm(*, request, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the app once it gives a correct code: the device counts from then on, the
    session is verified, and ten new recovery codes replace any old ones. Returns the codes
    (shown once), or None for a wrong code. An account that has an app already cannot enrol
    another here (only after the security administrator's reset)."""
    user = request.user
    if has_app(user):
        raise PermissionDenied
    if device.user_id != user.pk or device.confirmed or not device.verify_token(code.strip()):
        audit_record(action="login_failed", request=request, user=user, username=user.get_username(),
                     result="refused", detail={"second_factor": "enrolment"})
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    codes = recovery_codes_create(user=user)
    otp_login(request, device)
    audit_record(action="otp_enrol", request=request, obj=user, detail={"second_factor": "enrolled"})
    return codes


def recovery_codes_create(*, user) -> list[str]:
    """Ten new one-time recovery codes for the account, replacing its old ones."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _is_app_code(code: str) -> bool:
    code = code.strip().replace(" ", "")
    return len(code) == 6 and code.isdigit()


def otp_device_for_code(*, user, code: str):
    """The account's confirmed device this code is good for, or None: six digits are checked
    against the app, anything else against the recovery codes (a recovery code is used up).
    Each device throttles its own wrong tries (django-otp)."""
    code = code.strip().replace(" ", "").lower()
    model = TOTPDevice if _is_app_code(code) else StaticDevice
    for candidate in model.objects.devices_for_user(user, confirmed=True):
        device = otp_verify_token(user, candidate.persistent_id, code)
        if device is not None:
            return device
    return None


def otp_verify(*, request, code: str):
    """Verify this session with a code: six digits are checked against the app, anything else
    against the recovery codes (a recovery code is used up). Each device throttles its own
    wrong tries (django-otp). Returns the device, or None (recorded as a failed login)."""
    user = request.user
    device = otp_device_for_code(user=user, code=code)
    kind = "app" if _is_app_code(code) else "recovery code"
    if device is None:
        audit_record(action="login_failed", request=request, user=user, username=user.get_username(),
                     result="refused", detail={"second_factor": kind})
        return None
    otp_login(request, device)
    audit_record(action="login", request=request, user=user, detail={"second_factor": kind})
    return device


def otp_enrol_with_key(*, user, key: str) -> TOTPDevice:
    """Give the account a confirmed authenticator with this hex key, replacing its devices
    (the demo's accounts, whose secret is printed for everyone: never a real account's)."""
    for device in devices_for_user(user, confirmed=None):
        device.delete()
    return TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, key=key, confirmed=True)


@transaction.atomic
def otp_reset(*, user, by, request=None) -> int:
    """Delete the account's authenticator and recovery codes, so its next login enrols a new
    app (a lost phone). The security administrator's alone, never on his own account; audited
    as "otp_reset". A session the account had verified is verified no more. Returns how many
    devices went."""
    if not by.has_perm(ROLE_PERMISSION) or by.pk == user.pk:
        raise PermissionDenied
    devices = list(devices_for_user(user, confirmed=None))
    for device in devices:
        device.delete()
    audit_record(action="otp_reset", request=request, user=by, obj=user, detail={"devices": len(devices)})
    return len(devices)


def _authenticates_itself(view_func) -> bool:
    """A DRF view (as_view() names its class in `cls`): its authentication classes, among them
    SecondFactorSessionAuthentication, decide. (Not issubclass(APIView): DRF's settings import
    this module while rest_framework.views is loading.)"""
    return hasattr(getattr(view_func, "cls", None), "authentication_classes")


class SecondFactorRequiredMiddleware:
    """Sends a signed-in user who owes his second factor to enrol (no app yet) or to give his
    code, from any page but the login, the logout, these pages and the health check, and
    back to the page he asked for after. The API refuses him itself (below), with a 403 a
    script can read rather than a redirect. After django_otp's OTPMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not second_factor_pending(request.user):
            return None
        name = request.resolver_match.view_name
        if name in OPEN_VIEWS or (_authenticates_itself(view_func) and name not in API_PAGES):
            return None
        target = "otp_verify" if has_app(request.user) else "otp_enrol"
        return redirect_to_login(request.get_full_path(), reverse(target))


class SecondFactorSessionAuthentication(SessionAuthentication):
    """DRF's session authentication, refusing (403) a session that owes its second factor."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None and second_factor_pending(result[0]):
            raise exceptions.PermissionDenied(
                _("This account needs its two-factor code: log in on the site and enter it first.")
            )
        return result


class SecondFactorSessionScheme(SessionScheme):
    """The API schema's description of the session authentication above: the session cookie,
    as for Django's own (drf-spectacular registers an extension by subclassing)."""

    target_class = "org.otp.SecondFactorSessionAuthentication"
