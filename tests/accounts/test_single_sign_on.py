"""Single sign-on: configured from settings, and only for invited people."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.test import RequestFactory
from django.urls import reverse

from peermentor.programs import services
from peermentor.programs.adapters import InvitedPeopleSocialAccountAdapter
from tests.conftest import World, client_for

OIDC = {
    "openid_connect": {
        "APPS": [
            {
                "provider_id": "university",
                "name": "University login",
                "client_id": "peermentor",
                "secret": "not-a-real-secret",
                "settings": {
                    "server_url": "https://login.example.edu/.well-known/openid-configuration"
                },
            }
        ]
    }
}


def _login_for(email: str) -> Any:
    return SimpleNamespace(user=SimpleNamespace(email=email))


def test_configured_provider_is_offered_on_the_sign_in_page(world: World, settings: Any) -> None:
    settings.SOCIALACCOUNT_PROVIDERS = OIDC
    page = client_for(None).get(reverse("account_login")).content.decode()
    assert "Sign in with University login" in page


def test_no_provider_means_no_single_sign_on_button(world: World) -> None:
    page = client_for(None).get(reverse("account_login")).content.decode()
    assert "institution's sign-in" not in page


def test_single_sign_on_creates_accounts_only_for_invited_addresses(world: World) -> None:
    services.invitation_create(
        program=world.program,
        group=world.group,
        email="invited@test.example",
        role="member",
        invited_by=world.director,
    )
    adapter = InvitedPeopleSocialAccountAdapter()
    request = RequestFactory().get("/")
    assert adapter.is_open_for_signup(request, _login_for("Invited@Test.Example"))
    assert not adapter.is_open_for_signup(request, _login_for("stranger@test.example"))
    assert not adapter.is_open_for_signup(request, _login_for(""))


def test_password_sign_up_is_closed(world: World) -> None:
    response = client_for(None).get(reverse("account_signup"))
    assert "closed" in response.content.decode().lower()
