"""Writing, verifying and purging the audit trail.

`audit_record` is the only writer. Rows form a chain: each row's hash is taken over the
previous row's hash and the row's own canonical content, with SM3 where this OpenSSL has it
(SHA-256 otherwise; each row names its algorithm). Writers are serialised (PostgreSQL: an
advisory lock held to the end of the writer's transaction; SQLite serialises writes itself),
and `seq` is unique, so two writers never fork the chain."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta, timezone as dt_timezone

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from audit.models import OBJECT_TEXT_MAX, USER_AGENT_MAX, AuditAction, AuditEvent, AuditResult

# Any constant: the key of the PostgreSQL advisory lock that serialises the writers.
_LOCK_KEY = 0x68757875_61756474  # "huxuaudt"
MIN_KEEP_DAYS = 190


def _sm3_available() -> bool:
    try:
        from cryptography.hazmat.primitives import hashes

        digest = hashes.Hash(hashes.SM3())
        digest.update(b"")
        digest.finalize()
        return True
    except Exception:  # an OpenSSL without SM3
        return False


ALGORITHM = "sm3" if _sm3_available() else "sha256"


def _digest(algorithm: str, data: bytes) -> str:
    if algorithm == "sm3":
        from cryptography.hazmat.primitives import hashes

        digest = hashes.Hash(hashes.SM3())
        digest.update(data)
        return digest.finalize().hex()
    if algorithm == "sha256":
        return hashlib.sha256(data).hexdigest()
    raise ValueError(f"unknown audit hash algorithm {algorithm!r}")


def canonical(event: AuditEvent) -> bytes:
    """The row's content as hashed: every column but the hash itself, in a fixed form."""
    content = {
        "seq": event.seq,
        "time": event.time.astimezone(dt_timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "user": event.user_id,
        "username": event.username,
        "unit_id": event.unit_id,
        "unit_name": event.unit_name,
        "ip": event.ip or "",
        "user_agent": event.user_agent,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_text": event.object_text,
        "result": event.result,
        "detail": event.detail,
        "algorithm": event.algorithm,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def event_hash(event: AuditEvent) -> str:
    return _digest(event.algorithm, canonical(event))


def _client_ip(request) -> str | None:
    ip = (request.META.get("REMOTE_ADDR") or "").strip()
    return ip or None


def _plain(detail: dict | None) -> dict:
    """The detail as JSON gives it back (dates as text, tuples as lists), so the hash taken
    now is the hash taken over the stored row."""
    return json.loads(json.dumps(detail or {}, cls=DjangoJSONEncoder, ensure_ascii=False))


def audit_enabled() -> bool:
    return getattr(settings, "AUDIT_ENABLED", True)


def audit_record(
    *,
    action: str,
    request=None,
    user=None,
    obj=None,
    result: str = AuditResult.OK,
    username: str = "",
    detail: dict | None = None,
) -> AuditEvent | None:
    """Append one row to the trail. `request` gives the user (unless `user` is given), his
    unit, the IP address and the user agent; `obj` the object's type, id and text; `username`
    the name tried when there is no user (a failed login); `detail` the rest."""
    if action not in AuditAction.values:
        raise ValueError(f"unknown audit action {action!r}")
    if result not in AuditResult.values:
        raise ValueError(f"unknown audit result {result!r}")
    if not audit_enabled():
        return None
    if user is None and request is not None:
        candidate = getattr(request, "user", None)
        if candidate is not None and candidate.is_authenticated:
            user = candidate
    if user is not None and not user.is_authenticated:
        user = None
    event = AuditEvent(action=action, result=result, detail=_plain(detail), algorithm=ALGORITHM)
    if user is not None:
        event.user_id = user.pk
        event.username = user.get_username()
        unit_id = getattr(user, "unit_id", None)
        if unit_id is not None:
            event.unit_id = unit_id
            event.unit_name = str(getattr(user, "unit", "") or "")[:200]
    if username and not event.username:
        event.username = username[:150]
    if request is not None:
        event.ip = _client_ip(request)
        event.user_agent = (request.META.get("HTTP_USER_AGENT") or "")[:USER_AGENT_MAX]
    if obj is not None:
        event.object_type = obj._meta.label_lower
        event.object_id = str(obj.pk if obj.pk is not None else "")[:64]
        event.object_text = str(obj)[:OBJECT_TEXT_MAX]
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
        last = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
        event.seq, event.prev_hash = (last[0] + 1, last[1]) if last else (1, "")
        event.time = timezone.now()
        event.hash = event_hash(event)
        event._sealed = True
        event.save()
    return event


@dataclass
class ChainBreak:
    seq: int
    pk: int
    reason: str


def audit_verify(*, chunk_size: int = 2000) -> tuple[int, ChainBreak | None]:
    """Walk the chain from the oldest row kept. Returns how many rows were checked and the
    first broken one (None when the chain holds). The oldest row kept after a purge is taken
    as the chain's start; before any purge that is row 1, whose previous hash is empty."""
    checked = 0
    previous: AuditEvent | None = None
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=chunk_size):
        if previous is None:
            if event.seq == 1 and event.prev_hash != "":
                return checked, ChainBreak(event.seq, event.pk, "the first row names a previous hash")
        else:
            if event.seq != previous.seq + 1:
                return checked, ChainBreak(event.seq, event.pk, f"rows missing after #{previous.seq}")
            if event.prev_hash != previous.hash:
                return checked, ChainBreak(event.seq, event.pk, "previous hash does not match the previous row")
        if event.hash != event_hash(event):
            return checked, ChainBreak(event.seq, event.pk, "content does not match its hash")
        checked += 1
        previous = event
    return checked, None


def keep_days() -> int:
    return max(MIN_KEEP_DAYS, int(getattr(settings, "AUDIT_KEEP_DAYS", MIN_KEEP_DAYS)))


def audit_purge(*, now=None) -> int:
    """Delete the rows older than AUDIT_KEEP_DAYS (never fewer than 190 days): the one
    deliberate deletion path. The oldest row kept then starts the chain."""
    cutoff = (now or timezone.now()) - timedelta(days=keep_days())
    return AuditEvent.objects.filter(time__lt=cutoff)._purge()
