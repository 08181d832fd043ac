"""Writes for personal access tokens: create (the secret is returned once), revoke, mark used."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from peermentor.api.models import ApiToken, Scope
from peermentor.core.audit import audit_record

TOKEN_PREFIX = "pm_"  # noqa: S105 - a marker that makes leaked tokens easy to find
EXPIRY_DAYS = (7, 30, 90, 365)
MAX_LIVE_TOKENS = 20
# Writing last_used_at on every call would make each read a write; a minute is precise enough.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


class TokenError(Exception):
    """A token could not be created or revoked; the message says why."""


def token_hash(secret: str) -> str:
    """The stored form of a token secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


def token_create(
    *, user: Any, name: str, scopes: list[str], days: int, request: Any = None
) -> tuple[ApiToken, str]:
    """A new token for the person, and its secret (shown once, never stored)."""
    name = name.strip()
    chosen = sorted(set(scopes))
    if not name:
        raise TokenError("Give the token a name, so you can tell it apart later.")
    if not chosen or not set(chosen) <= set(Scope.values):
        raise TokenError("Choose at least one scope from the list.")
    if days not in EXPIRY_DAYS:
        raise TokenError(f"Choose an expiry of {', '.join(map(str, EXPIRY_DAYS))} days.")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        if _live(user).count() >= MAX_LIVE_TOKENS:
            raise TokenError(f"You have {MAX_LIVE_TOKENS} live tokens; revoke one first.")
        token = ApiToken.objects.create(
            user=user,
            name=name[:100],
            token_hash=token_hash(secret),
            prefix=secret[:10],
            scopes=chosen,
            expires_at=timezone.now() + dt.timedelta(days=days),
        )
        audit_record(
            action="api.token_created",
            actor=user,
            target=token,
            request=request,
            scope_count=len(chosen),
            days=days,
        )
    return token, secret


def token_revoke(*, token: ApiToken, actor: Any, request: Any = None) -> None:
    """Stop a token from working, at once and for good."""
    if token.revoked_at is not None:
        raise TokenError("This token was already revoked.")
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        audit_record(action="api.token_revoked", actor=actor, target=token, request=request)
    token.refresh_from_db(fields=["revoked_at"])


def token_mark_used(*, token: ApiToken) -> None:
    """Record that the token was used now, at most once a minute (one cheap UPDATE)."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_PRECISION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now


def _live(user: Any) -> Any:
    return ApiToken.objects.filter(
        user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )
