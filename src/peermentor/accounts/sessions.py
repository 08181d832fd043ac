"""Sessions that end: after an absolute lifetime, and everywhere when a password changes or an
account is disabled.

Idle expiry is Django's ``SESSION_COOKIE_AGE``, renewed by writing the session again at most once
a minute (``RENEW_SECONDS``) rather than on every request: a busy server then does not write a
session row per page, and a session ends between one minute short of the idle limit and the
idle limit after its last request. Django already
refuses a session whose password hash is stale or whose user is inactive; ending the stored
sessions as well means nothing of them is left to be replayed or read.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.models import Session
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

SIGNED_IN_AT = "peermentor_signed_in_at"
RENEWED_AT = "peermentor_renewed_at"
RENEW_SECONDS = 60
_WATCHED = {"password", "is_active"}


def sessions_end_for(user: Any, *, keep: str | None = None) -> int:
    """Delete every stored session of the person (but ``keep``); the number ended."""
    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
        return 0  # other engines cannot be listed; Django's own hash check still refuses them
    ended = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.session_key == keep:
            continue
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            ended.append(session.session_key)
    Session.objects.filter(session_key__in=ended).delete()
    return len(ended)


@receiver(user_logged_in)
def _mark_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SIGNED_IN_AT] = now
        request.session[RENEWED_AT] = now  # signing in saves the session with a full idle limit


@receiver(pre_save, sender=settings.AUTH_USER_MODEL)
def _note_credential_change(sender: Any, instance: Any, **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    if instance.pk is None or (update_fields is not None and not _WATCHED & set(update_fields)):
        return
    before = sender._default_manager.filter(pk=instance.pk).values(*_WATCHED).first()
    instance._peermentor_end_sessions = before is not None and (
        before["password"] != instance.password or (before["is_active"] and not instance.is_active)
    )


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def _end_sessions_after_change(sender: Any, instance: Any, **kwargs: Any) -> None:
    # The session that changed the password keeps going: update_session_auth_hash gives it a
    # new key after this, so it is the only one left.
    if getattr(instance, "_peermentor_end_sessions", False):
        instance._peermentor_end_sessions = False
        sessions_end_for(instance)


class SessionLifetimeMiddleware:
    """Renew a signed-in session's idle expiry at most once a minute, and sign out a session
    that began longer ago than PEERMENTOR_SESSION_ABSOLUTE_SECONDS."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        lifetime = settings.PEERMENTOR_SESSION_ABSOLUTE_SECONDS
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            began = request.session.setdefault(SIGNED_IN_AT, now)
            if lifetime and now - int(began) >= lifetime:
                logout(request)
            elif now - int(request.session.get(RENEWED_AT, 0)) >= RENEW_SECONDS:
                request.session[RENEWED_AT] = now  # saved, so its expiry moves on
        return self.get_response(request)
