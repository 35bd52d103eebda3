"""API tokens: shown once at creation, stored as a SHA-256 hash, revocable."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from accounts.models import ApiToken
from core.audit import record

TOKEN_PREFIX = "dxd_"


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, actor, user, name: str) -> tuple[ApiToken, str]:
    """Create a token for `user`; returns the row and the raw token (shown once, never stored)."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, prefix=raw[:12], key_hash=_hash(raw))
    token.full_clean()
    token.save()
    record(actor=actor, verb="api_token.create", target=token, data={"name": name, "user": user.pk})
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(actor=actor, verb="api_token.revoke", target=token)
    return token


def authenticate_bearer(raw: str):
    """The active owner of a valid, unrevoked token, or None."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used is None or (now - token.last_used).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
    return token.user
