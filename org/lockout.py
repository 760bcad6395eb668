"""Login lockout (django-axes) by account and by address, each with its own limit, and the
security administrator's view of it: who is locked now, the failures behind it, and unlocking.

axes counts failures per lockout parameter (AXES_LOCKOUT_PARAMETERS: "username" counts an
account's failures from every address, "ip_address" an address's failures on every account) but
compares them all with one limit. An address stands for a whole station behind one NAT
address, so it gets a higher limit of its own (AXES_IP_FAILURE_LIMIT): `LockoutHandler` reports
each parameter's failures in units of the account limit, so axes' one comparison applies each
parameter's own limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit, get_lockout_parameters
from axes.models import AccessAttempt, AccessFailureLog
from axes.utils import reset
from django.conf import settings
from django.db.models import Max, Sum
from django.utils import timezone

from audit.services import audit_record

USERNAME = "username"
IP_ADDRESS = "ip_address"


def failure_limit(parameter: str) -> int:
    """How many failed logins within the cool-off lock an account (`username`) or an address."""
    if parameter == IP_ADDRESS:
        return settings.AXES_IP_FAILURE_LIMIT
    return settings.AXES_FAILURE_LIMIT


class LockoutHandler(AxesDatabaseHandler):
    """axes' database handler with a limit per lockout parameter, and a success that clears
    only the account's own count (an address's count survives a colleague's good login, so
    one address cannot keep guessing by logging in between guesses)."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        """The worst parameter's failures, scaled so that reaching its own limit reaches
        axes' limit (AXES_FAILURE_LIMIT)."""
        limit = get_failure_limit(request, credentials)
        parameters = get_lockout_parameters(request, credentials)
        attempts_list = self.get_user_attempts(request, credentials)
        scaled = [
            failures_in(attempts) * limit // failure_limit(parameter)
            for parameter, attempts in zip(parameters, attempts_list, strict=True)
        ]
        return max(scaled, default=0)

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count


def failures_in(attempts) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


@dataclass(frozen=True)
class Lockout:
    """One locked account or address: its failures within the cool-off and the last one."""

    parameter: str  # USERNAME or IP_ADDRESS
    value: str
    failures: int
    last_attempt: datetime


def current_attempts():
    """Failed-login counters still inside the cool-off (older ones no longer count)."""
    return AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - get_cool_off())


def lockout_list() -> list[Lockout]:
    """Every account and address locked now, by the lockout parameters in force, newest first."""
    locked = []
    for parameter in settings.AXES_LOCKOUT_PARAMETERS:
        rows = (
            current_attempts().exclude(**{f"{parameter}__isnull": True}).values(parameter)
            .annotate(failures=Sum("failures_since_start"), last_attempt=Max("attempt_time"))
            .filter(failures__gte=failure_limit(parameter))
        )
        locked += [Lockout(parameter, row[parameter], row["failures"], row["last_attempt"]) for row in rows]
    return sorted(locked, key=lambda lockout: lockout.last_attempt, reverse=True)


def username_is_locked(username: str) -> bool:
    """Whether the account itself is locked (not merely the address it was tried from)."""
    if USERNAME not in settings.AXES_LOCKOUT_PARAMETERS:
        return False
    return failures_in(current_attempts().filter(username=username)) >= failure_limit(USERNAME)


def recent_failures(limit: int = 100):
    """The latest failed logins, kept by axes whatever a later success resets (the audit trail
    keeps them too)."""
    return AccessFailureLog.objects.order_by("-attempt_time")[:limit]


def lockout_unlock(*, parameter: str, value: str, request=None) -> int:
    """Clear the failure counters of one account (`username`) or address (`ip_address`), so it
    may log in again at once; audited. Returns the counters removed."""
    if parameter not in (USERNAME, IP_ADDRESS):
        raise ValueError(f"unknown lockout parameter {parameter!r}")
    count = reset(username=value) if parameter == USERNAME else reset(ip=value)
    audit_record(action="unlock", request=request, detail={parameter: value, "counters_removed": count})
    return count
