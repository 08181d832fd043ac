"""Login throttling and lockout, and the second factor where the installation asks for one.

The limits are settings.ACCOUNT_RATE_LIMITS["login_failed"] ("10/m/ip,5/5m/key" unless
PEERMENTOR_LOGIN_RATE_LIMIT says otherwise): five failures per account in five minutes, from
any address, and ten per address per minute, over any accounts.
"""

from __future__ import annotations

import time
from types import SimpleNamespace
from typing import Any
from unittest import mock

import pytest
from allauth.core.internal import ratelimit
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD, World, client_for, make_user

BLOCKED = "Too many failed login attempts"


def _attempt(user: Any, password: str, ip: str = "10.0.0.1", client: Client | None = None) -> Any:
    client = client or Client()
    return client.post(
        reverse("account_login"), {"login": user.email, "password": password}, REMOTE_ADDR=ip
    )


def _signed_in(response: Any) -> bool:
    return response.status_code == 302 and response["Location"] == reverse("home")


def test_the_configured_limits_are_the_documented_ones() -> None:
    assert settings.ACCOUNT_RATE_LIMITS["login_failed"] == "10/m/ip,5/5m/key"


def test_five_failures_lock_the_account_with_a_clear_message(world: World) -> None:
    for n in range(5):
        response = _attempt(world.member, "wrong-password")
        assert BLOCKED not in response.content.decode(), f"blocked after {n} failures"
    response = _attempt(world.member, PASSWORD)
    assert response.status_code in {200, 429}
    assert BLOCKED in response.content.decode()
    assert not _signed_in(response)
    # Another account from the same address is not locked by this one's failures.
    assert _signed_in(_attempt(world.other_member, PASSWORD))


def test_failures_count_per_account_across_addresses(world: World) -> None:
    for n in range(5):
        _attempt(world.member, "wrong-password", ip=f"192.0.2.{n + 1}")
    response = _attempt(world.member, PASSWORD, ip="198.51.100.7")
    assert BLOCKED in response.content.decode()
    assert not _signed_in(response)


def test_failures_count_per_address_across_accounts(world: World) -> None:
    people = [make_user(f"spray{n}@test.example", f"Spray {n}") for n in range(10)]
    for person in people:
        response = _attempt(person, "wrong-password", ip="203.0.113.9")
        assert BLOCKED not in response.content.decode()
    # The eleventh failure-counted attempt from that address is refused, whoever it names.
    response = _attempt(world.member, PASSWORD, ip="203.0.113.9")
    assert BLOCKED in response.content.decode()
    assert not _signed_in(response)
    assert _signed_in(_attempt(world.member, PASSWORD, ip="203.0.113.10"))


def test_a_successful_login_does_not_wipe_earlier_failures(world: World) -> None:
    """As allauth is configured: success is not counted, but earlier failures stay counted, so
    an attacker cannot keep guessing by slipping in their own successful logins."""
    for _ in range(4):
        _attempt(world.member, "wrong-password")
    assert _signed_in(_attempt(world.member, PASSWORD))
    _attempt(world.member, "wrong-password")  # the fifth failure
    response = _attempt(world.member, PASSWORD)
    assert BLOCKED in response.content.decode()


def test_the_lockout_ends_after_the_window(world: World) -> None:
    for _ in range(6):
        _attempt(world.member, "wrong-password")
    assert BLOCKED in _attempt(world.member, PASSWORD).content.decode()
    later = time.time() + 5 * 60 + 1
    clock = SimpleNamespace(time=lambda: later, monotonic=time.monotonic, sleep=time.sleep)
    with mock.patch.object(ratelimit, "time", clock):
        assert _signed_in(_attempt(world.member, PASSWORD))


def test_failed_attempts_do_not_sign_in_and_successful_ones_are_audited(world: World) -> None:
    from peermentor.core.models import AuditEntry

    response = _attempt(world.member, "wrong-password")
    assert response.status_code == 200
    assert not AuditEntry.objects.filter(action="account.signed_in").exists()
    assert _signed_in(_attempt(world.member, PASSWORD, ip="192.0.2.50"))
    entry = AuditEntry.objects.get(action="account.signed_in")
    assert (entry.actor, entry.ip_address) == (world.member, "192.0.2.50")


def test_failed_and_refused_sign_ins_are_audited_without_what_was_typed(world: World) -> None:
    from peermentor.core.models import AuditEntry

    _attempt(world.member, "wrong-password", ip="192.0.2.60")
    failed = AuditEntry.objects.get(action="account.sign_in_failed")
    assert (failed.actor, failed.target_id, failed.ip_address) == (
        None, str(world.member.pk), "192.0.2.60",
    )  # fmt: skip
    assert failed.details == {"known_account": True}
    nobody = SimpleNamespace(email="nobody@test.example")
    _attempt(nobody, "guess", ip="192.0.2.61")
    unknown = AuditEntry.objects.get(action="account.sign_in_failed", ip_address="192.0.2.61")
    assert (unknown.target_id, unknown.details) == ("", {"known_account": False})
    for _ in range(5):
        _attempt(world.member, "wrong-password")
    assert BLOCKED in _attempt(world.member, PASSWORD).content.decode()
    refused = AuditEntry.objects.filter(action="account.sign_in_refused")
    assert refused.exists()
    assert {entry.target_id for entry in refused} == {str(world.member.pk)}
    typed = {"wrong-password", "guess", PASSWORD, "nobody@test.example"}
    for entry in AuditEntry.objects.all():
        assert not typed & {str(value) for value in entry.details.values()}


# --- Second factor ------------------------------------------------------------------------------


@pytest.fixture
def mfa_required(settings: Any) -> None:
    settings.PEERMENTOR_REQUIRE_MFA_FOR_STAFF = True


@pytest.mark.parametrize("persona", ["director", "evaluator", "other_director"])
def test_staff_without_totp_are_sent_to_set_it_up_from_any_page(
    world: World, mfa_required: None, persona: str
) -> None:
    client = client_for(world.persona(persona))
    for url in [
        reverse("home"),
        reverse("program_detail", args=[world.program.slug]),
        reverse("profile"),
        reverse("program_surveys", args=[world.program.slug]),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("mfa_activate_totp"), url
    # The set-up page (after allauth asks for the password again) and signing out stay
    # reachable: no redirect loop.
    setup = client.get(reverse("mfa_activate_totp"), follow=True)
    assert setup.status_code == 200
    assert setup.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))
    confirm = client.post(setup.redirect_chain[-1][0], {"password": PASSWORD}, follow=True)
    assert confirm.status_code == 200
    assert confirm.redirect_chain[-1][0] == reverse("mfa_activate_totp")
    assert client.post(reverse("account_logout")).status_code == 302


def test_members_are_not_asked_for_a_second_factor(world: World, mfa_required: None) -> None:
    assert client_for(world.member).get(reverse("home")).status_code == 200


def test_without_the_setting_staff_go_on(world: World) -> None:
    assert client_for(world.director).get(reverse("home")).status_code == 200


def _totp(user: Any) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def test_staff_with_totp_must_give_the_code_at_sign_in(world: World, mfa_required: None) -> None:
    secret = _totp(world.director)
    assert Authenticator.objects.filter(user=world.director, type="totp").exists()
    client = Client()
    response = _attempt(world.director, PASSWORD, client=client)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    # Not signed in yet: private pages still send the person to the login.
    page = client.get(reverse("program_detail", args=[world.program.slug]))
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("account_login"))
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    right = client.post(reverse("mfa_authenticate"), {"code": code})
    assert right.status_code == 302
    assert client.get(reverse("program_detail", args=[world.program.slug])).status_code == 200


def test_staff_with_totp_are_not_redirected_to_set_it_up(world: World, mfa_required: None) -> None:
    _totp(world.evaluator)
    assert client_for(world.evaluator).get(reverse("home")).status_code == 200
