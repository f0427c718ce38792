"""Creating, revoking and checking personal API tokens; one function each.

A token reads `onex_<prefix>_<secret>`. The prefix finds the row; the SHA-256 of the whole token is compared in
constant time with the stored one, so neither the secret nor its hash ever leaves the database by timing.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from api.models import ApiToken
from audit.services import record
from core.refusals import StepRefused

SCHEME = "onex"
PREFIX_BYTES = 6  # 12 hex characters
SECRET_BYTES = 32
LAST_USED_RESOLUTION = timedelta(minutes=1)  # at most one write per token and minute for `last_used_at`


class TokenError(StepRefused):
    """A token step that may not happen; the message says why."""


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _split(raw: str) -> str | None:
    """The prefix of a well-formed token, else None."""
    scheme, sep, rest = raw.partition("_")
    prefix, sep2, secret = rest.partition("_")
    if scheme != SCHEME or not sep or not sep2 or len(prefix) != 2 * PREFIX_BYTES or not secret:
        return None
    return prefix


@transaction.atomic
def create_token(*, user, name: str, at: datetime, expires_at: datetime | None = None) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it and the raw token, which is never stored and cannot be shown again.

    Side effects: an ApiToken row (only the hash of the secret), an audit event `api_token.create`.
    """
    name = name.strip()
    if not name:
        raise TokenError(_("Give the token a name."))
    if expires_at is not None and expires_at <= at:
        raise TokenError(_("The expiry must lie in the future."))
    prefix = secrets.token_hex(PREFIX_BYTES)
    while ApiToken.objects.filter(prefix=prefix).exists():  # 48 bits: practically never loops
        prefix = secrets.token_hex(PREFIX_BYTES)
    raw = f"{SCHEME}_{prefix}_{secrets.token_urlsafe(SECRET_BYTES)}"
    token = ApiToken.objects.create(
        user=user, name=name, prefix=prefix, hashed=hash_token(raw), created_at=at, expires_at=expires_at
    )
    record(
        actor=user,
        action="api_token.create",
        obj=token,
        after={"name": name, "prefix": prefix, "expires_at": expires_at},
    )
    return token, raw


@transaction.atomic
def revoke_token(*, user, token: ApiToken, at: datetime) -> ApiToken:
    """Revoke one of `user`'s own tokens; it is refused from then on. Side effects: revoked_at, an audit event."""
    if token.user_id != user.pk:
        raise TokenError(_("This token belongs to someone else."))
    if token.revoked_at is not None:
        return token
    token.revoked_at = at
    token.save(update_fields=["revoked_at"])
    record(actor=user, action="api_token.revoke", obj=token, before={"revoked_at": None}, after={"revoked_at": at})
    return token


def authenticate(raw: str, *, at: datetime) -> ApiToken | None:
    """The active token `raw` stands for (with its user), or None. Stamps `last_used_at` (at most once a minute)."""
    prefix = _split(raw.strip())
    if prefix is None:
        return None
    token = ApiToken.objects.select_related("user__institution", "user__bureau").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.hashed, hash_token(raw.strip())):
        return None
    if not token.is_active(at=at) or not token.user.is_active:
        return None
    if token.last_used_at is None or at - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=at)
        token.last_used_at = at
    return token
