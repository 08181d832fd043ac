"""Sessions end: when idle, after an absolute lifetime, on a password change elsewhere, and
when the account is disabled."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from peermentor.accounts.sessions import RENEWED_AT, SIGNED_IN_AT, sessions_end_for
from tests.conftest import PASSWORD, World, client_for

pytestmark = pytest.mark.django_db

PAGE = "/account/profile/"


def _signed_in(client: Client) -> bool:
    return client.get(PAGE).status_code == 200


def _sign_in(email: str) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"login": email, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    return client


def test_signing_in_records_when_the_session_began(world: World) -> None:
    client = _sign_in(world.member.email)
    began = client.session[SIGNED_IN_AT]
    assert abs(began - time.time()) < 60


def test_an_active_session_ends_after_the_absolute_lifetime(world: World, settings: Any) -> None:
    settings.PEERMENTOR_SESSION_ABSOLUTE_SECONDS = 3600
    client = _sign_in(world.member.email)
    assert _signed_in(client)
    session = client.session
    session[SIGNED_IN_AT] = int(time.time()) - 3599
    session.save()
    assert _signed_in(client)  # just inside the lifetime, and active
    session = client.session
    session[SIGNED_IN_AT] = int(time.time()) - 3601
    session.save()
    response = client.get(PAGE)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not _signed_in(client)


def test_zero_turns_the_absolute_lifetime_off(world: World, settings: Any) -> None:
    settings.PEERMENTOR_SESSION_ABSOLUTE_SECONDS = 0
    client = _sign_in(world.member.email)
    session = client.session
    session[SIGNED_IN_AT] = int(time.time()) - 10 * 365 * 86400
    session.save()
    assert _signed_in(client)


def test_a_session_idle_longer_than_the_idle_limit_is_over(world: World, settings: Any) -> None:
    client = _sign_in(world.member.email)
    key = client.session.session_key
    stored = Session.objects.get(session_key=key)
    left = (stored.expire_date - timezone.now()).total_seconds()
    assert abs(left - settings.SESSION_COOKIE_AGE) < 60  # renewed at most once a minute
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timezone.timedelta(seconds=1)
    )
    assert not _signed_in(client)


def test_the_idle_expiry_is_renewed_at_most_once_a_minute(world: World, settings: Any) -> None:
    client = _sign_in(world.member.email)
    assert _signed_in(client)
    key = client.session.session_key
    soon = timezone.now() + timezone.timedelta(seconds=600)
    Session.objects.filter(session_key=key).update(expire_date=soon)
    assert _signed_in(client)  # renewed less than a minute ago: the row is not written
    assert Session.objects.get(session_key=key).expire_date == soon
    session = client.session
    session[RENEWED_AT] = int(time.time()) - 61
    session.save()
    Session.objects.filter(session_key=key).update(expire_date=soon)
    assert _signed_in(client)  # a minute on: the expiry moves to a full idle limit from now
    left = (Session.objects.get(session_key=key).expire_date - timezone.now()).total_seconds()
    assert abs(left - settings.SESSION_COOKIE_AGE) < 60


def test_a_password_change_ends_every_other_session(world: World) -> None:
    here = _sign_in(world.member.email)
    elsewhere = _sign_in(world.member.email)
    bystander = _sign_in(world.other_member.email)
    here.get("/accounts/password/change/")
    response = here.post(
        "/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "a-new-long-password-77",
            "password2": "a-new-long-password-77",
        },
    )
    assert response.status_code == 302, response.content[:800]
    assert _signed_in(here)
    assert not _signed_in(elsewhere)
    assert _signed_in(bystander)
    mine = [
        s
        for s in Session.objects.all()
        if s.get_decoded().get("_auth_user_id") == str(world.member.pk)
    ]
    assert len(mine) == 1


def test_a_password_set_by_an_administrator_ends_every_session(world: World) -> None:
    first, second = _sign_in(world.member.email), _sign_in(world.member.email)
    world.member.set_password("reset-by-the-admin-123")
    world.member.save()
    assert not _signed_in(first)
    assert not _signed_in(second)


def test_disabling_an_account_ends_its_sessions(world: World) -> None:
    client = client_for(world.member)
    bystander = client_for(world.other_member)
    assert _signed_in(client)
    world.member.is_active = False
    world.member.save(update_fields=["is_active"])
    assert not any(
        s.get_decoded().get("_auth_user_id") == str(world.member.pk) for s in Session.objects.all()
    )
    assert not _signed_in(client)
    assert _signed_in(bystander)


def test_saving_a_profile_ends_no_session(world: World) -> None:
    client = client_for(world.member)
    world.member.name = "New Name"
    world.member.save()
    world.member.save(update_fields=["last_login"])
    assert _signed_in(client)


def test_sessions_end_for_can_keep_one(world: World) -> None:
    first, second = client_for(world.member), client_for(world.member)
    assert sessions_end_for(world.member, keep=first.session.session_key) == 1
    assert _signed_in(first)
    assert not _signed_in(second)
