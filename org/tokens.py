"""API tokens: issuing one, finding it by its key, revoking it, and the events that revoke every
token of an account.

A token model of our own rather than a library's: DRF's authtoken keeps the key in clear, one
per user, for ever; django-rest-knox hashes and expires, but has no name per device, keys its
rows by the digest (no id to revoke in a URL) and reads all the owner's tokens on every request
to drop expired ones. Ours is one row per device with a name and an id, found by its digest in
one indexed read; what it needs of hashing and randomness is the standard library's.

Revocation follows the account, wherever it is changed (a page, the back office, a command):
a new password, a change of role, groups or own permissions, a deactivation, and a lockout of
the account (django-axes' signal; an address locked on its own revokes nobody's tokens).
"""

from __future__ import annotations

import hashlib
import secrets

from axes.signals import user_locked_out
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.utils import timezone

from audit.services import audit_record
from org.lockout import username_is_locked
from org.models import ApiToken, User

# A used token's last use is written at most this often (seconds): idle expiry needs no
# finer clock, and a burst of requests then writes once.
TOUCH_EVERY = 60


class RevokeReason:
    OWNER = "owner"
    SECURITY = "security_administrator"
    PASSWORD = "password_change"
    ROLE = "role_change"
    GROUPS = "groups_change"
    DEACTIVATED = "deactivated"
    LOCKOUT = "lockout"


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def token_mint(*, user: User, name: str = "", request=None) -> tuple[ApiToken, str]:
    """Issue a token to `user` (who has just proved his password) and return it with its key,
    which is never stored and cannot be shown again. The user's expired tokens go; audited."""
    ApiToken.objects.filter(user=user).expired().delete()
    key = secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user, name=name.strip()[:100], digest=key_digest(key), created_at=now, last_used_at=now
    )
    audit_record(action="token_mint", request=request, user=user, obj=token, detail={"name": token.name})
    return token, key


def token_authenticate(key: str) -> ApiToken | None:
    """The live token with this key (its user loaded), its last use brought up to now; None
    for an unknown, expired or revoked key."""
    now = timezone.now()
    token = ApiToken.objects.live(now).select_related("user").filter(digest=key_digest(key)).first()
    if token is not None and (now - token.last_used_at).total_seconds() > TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def token_list(*, user: User):
    """The live tokens `user` may see: his own, or everyone's for whoever may view tokens (the
    security administrator)."""
    tokens = ApiToken.objects.live().select_related("user")
    return tokens if user.has_perm("org.view_apitoken") else tokens.filter(user=user)


def token_revoke(*, token: ApiToken, reason: str, request=None, user: User | None = None) -> None:
    """Revoke one token: it stops working at once; audited (by whom: `user`, else the request's
    user, else the system)."""
    with transaction.atomic():
        audit_record(
            action="token_revoke", request=request, user=user, obj=token,
            detail={"owner": token.user.get_username(), "name": token.name, "reason": reason},
        )
        token.delete()


def tokens_revoke_all(*, user: User, reason: str, request=None) -> int:
    """Revoke every token of `user` (expired ones are simply dropped); returns how many were live."""
    with transaction.atomic():
        live = list(ApiToken.objects.live().filter(user=user).select_related("user"))
        for token in live:
            token_revoke(token=token, reason=reason, request=request)
        ApiToken.objects.filter(user=user).delete()
    return len(live)


# What revokes an account's tokens. Connected by OrgConfig.ready().

def remember_credentials(sender, instance: User, raw=False, update_fields=None, **kwargs):
    """Before a user is saved: note whether his password, role or active flag is changing."""
    instance._token_revoke_reason = None
    if raw or instance.pk is None:
        return
    if update_fields is not None and not {"password", "role", "is_active"} & set(update_fields):
        return
    before = User.objects.filter(pk=instance.pk).values("password", "role", "is_active").first()
    if before is None:
        return
    if before["password"] != instance.password:
        instance._token_revoke_reason = RevokeReason.PASSWORD
    elif before["role"] != instance.role:
        instance._token_revoke_reason = RevokeReason.ROLE
    elif before["is_active"] and not instance.is_active:
        instance._token_revoke_reason = RevokeReason.DEACTIVATED


def revoke_after_credentials_change(sender, instance: User, raw=False, **kwargs):
    reason = instance.__dict__.pop("_token_revoke_reason", None)
    if reason and not raw:
        tokens_revoke_all(user=instance, reason=reason)


def revoke_on_grants_change(sender, instance, action, reverse, pk_set, **kwargs):
    """A user's groups or own permissions changed (from either side of the relation)."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:
        users = [instance]
    elif action == "pre_clear":
        users = User.objects.filter(groups=instance) if isinstance(instance, Group) else User.objects.filter(
            user_permissions=instance
        )
    else:
        users = User.objects.filter(pk__in=pk_set or ())
    for user in users:
        tokens_revoke_all(user=user, reason=RevokeReason.GROUPS)


def revoke_on_lockout(sender, request=None, username=None, **kwargs):
    """axes locked a login out: when the account itself is locked, its tokens go too."""
    if not username or not username_is_locked(username):
        return
    user = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
    if user is not None:
        tokens_revoke_all(user=user, reason=RevokeReason.LOCKOUT, request=request)


def connect_revocation_signals() -> None:
    pre_save.connect(remember_credentials, sender=User, dispatch_uid="org.tokens.remember")
    post_save.connect(revoke_after_credentials_change, sender=User, dispatch_uid="org.tokens.saved")
    m2m_changed.connect(revoke_on_grants_change, sender=User.groups.through, dispatch_uid="org.tokens.groups")
    m2m_changed.connect(
        revoke_on_grants_change, sender=User.user_permissions.through, dispatch_uid="org.tokens.permissions"
    )
    user_locked_out.connect(revoke_on_lockout, dispatch_uid="org.tokens.lockout")

