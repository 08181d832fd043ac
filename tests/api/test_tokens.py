"""Personal access tokens: made and revoked by their owner only, stored as a hash, scoped,
expiring; and the answers the API gives without a good token."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from peermentor.api import services
from peermentor.api.models import ApiToken
from peermentor.api.v1 import api
from peermentor.core.models import AuditEntry
from tests.access_routes_api import API_OPERATIONS
from tests.api.conftest import ALL_SCOPES, call, make_token
from tests.conftest import World, client_for

ME = "/api/v1/me"


# --- Making and revoking tokens --------------------------------------------------------------


def test_token_is_stored_only_as_its_hash(world: World) -> None:
    token, secret = services.token_create(
        user=world.member, name="Dashboard", scopes=["read:groups"], days=30
    )
    assert secret.startswith("pm_")
    assert len(secret) > 40
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert secret not in {str(value) for value in stored.values()}
    assert token.prefix == secret[:10]


def test_token_page_shows_the_secret_once_and_records_it(world: World) -> None:
    client = client_for(world.member, csrf=True)
    page = client.get(reverse("api_tokens"))
    csrf = page.cookies["csrftoken"].value
    response = client.post(
        reverse("api_tokens"),
        {
            "name": "Dashboard",
            "scopes": ["read:groups", "read:meetings"],
            "days": "30",
            "csrfmiddlewaretoken": csrf,
        },
    )
    assert response.status_code == 200
    secret = re.search(r'value="(pm_[^"]+)"', response.content.decode()).group(1)
    token = ApiToken.objects.get(user=world.member)
    assert token.scopes == ["read:groups", "read:meetings"]
    assert dt.timedelta(days=29) < token.expires_at - timezone.now() <= dt.timedelta(days=30)
    assert call(ME, secret).json()["scopes"] == ["read:groups", "read:meetings"]
    again = client.get(reverse("api_tokens")).content.decode()
    assert secret not in again
    assert token.prefix in again
    entry = AuditEntry.objects.get(action="api.token_created")
    assert entry.actor == world.member
    assert entry.details == {"scope_count": 2, "days": 30}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "scopes": ["read:groups"], "days": "30"}, "This field is required"),
        ({"name": "X", "scopes": [], "days": "30"}, "This field is required"),
        ({"name": "X", "scopes": ["write:everything"], "days": "30"}, "not one of the available"),
        ({"name": "X", "scopes": ["read:groups"], "days": "3650"}, "not one of the available"),
    ],
)
def test_token_page_refuses_bad_input(world: World, data: dict, message: str) -> None:
    response = client_for(world.member).post(reverse("api_tokens"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ApiToken.objects.exists()


def test_services_refuse_what_the_form_would(world: World) -> None:
    for kwargs in (
        {"name": " ", "scopes": ["read:groups"], "days": 30},
        {"name": "X", "scopes": ["admin"], "days": 30},
        {"name": "X", "scopes": ["read:groups"], "days": 0},
    ):
        with pytest.raises(services.TokenError):
            services.token_create(user=world.member, **kwargs)
    assert not ApiToken.objects.exists()


def test_owner_revokes_a_token_and_it_stops_working(world: World) -> None:
    secret = make_token(world.member)
    token = ApiToken.objects.get(user=world.member)
    assert call(ME, secret).status_code == 200
    response = client_for(world.member).post(reverse("api_token_revoke", args=[token.pk]))
    assert response.status_code == 302
    assert call(ME, secret).status_code == 401
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEntry.objects.filter(action="api.token_revoked", actor=world.member).count() == 1
    page = client_for(world.member).get(reverse("api_tokens")).content.decode()
    assert "Revoked" in page


def test_nobody_else_revokes_my_token(world: World) -> None:
    secret = make_token(world.member)
    token = ApiToken.objects.get(user=world.member)
    for persona in ("other_member", "director", "admin"):
        client = client_for(world.persona(persona))
        assert client.post(reverse("api_token_revoke", args=[token.pk])).status_code == 404
        assert token.name not in client.get(reverse("api_tokens")).content.decode()
    assert call(ME, secret).status_code == 200


def test_revoking_twice_says_so(world: World) -> None:
    make_token(world.member)
    token = ApiToken.objects.get(user=world.member)
    services.token_revoke(token=token, actor=world.member)
    with pytest.raises(services.TokenError):
        services.token_revoke(token=token, actor=world.member)


def test_live_tokens_are_capped(world: World) -> None:
    for _ in range(services.MAX_LIVE_TOKENS):
        make_token(world.member, ["read:groups"])
    with pytest.raises(services.TokenError, match="revoke one first"):
        make_token(world.member, ["read:groups"])


def test_profile_page_links_to_the_token_page(world: World) -> None:
    page = client_for(world.member).get(reverse("profile")).content.decode()
    assert reverse("api_tokens") in page


# --- Authentication --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        "",
        "Bearer",
        "Bearer ",
        "Bearer pm_wrong",
        "Basic dXNlcjpwYXNz",
        "Token pm_x",
        "Bearer " + "a" * 300,
    ],
)
def test_without_a_good_token_the_answer_is_401_json(world: World, header: str) -> None:
    from django.test import Client

    response = Client().get(ME, headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_a_signed_in_browser_session_is_not_a_token(world: World) -> None:
    assert client_for(world.member).get(ME).status_code == 401


def test_expired_token_is_refused(world: World) -> None:
    secret = make_token(world.member)
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert call(ME, secret).status_code == 401


def test_token_of_a_disabled_account_is_refused(world: World) -> None:
    secret = make_token(world.member)
    world.member.is_active = False
    world.member.save()
    assert call(ME, secret).status_code == 401


def test_staff_tokens_stop_while_a_required_second_factor_is_missing(
    world: World, settings: object
) -> None:
    director, member = make_token(world.director), make_token(world.member)
    settings.PEERMENTOR_REQUIRE_MFA_FOR_STAFF = True
    assert call(ME, director).status_code == 401
    assert call(ME, member).status_code == 200
    settings.PEERMENTOR_REQUIRE_MFA_FOR_STAFF = False
    assert call(ME, director).status_code == 200


def test_last_use_is_recorded_at_most_once_a_minute(world: World) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    secret = make_token(world.member)
    token = ApiToken.objects.get()
    assert token.last_used_at is None
    call(ME, secret)
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    with CaptureQueriesContext(connection) as queries:
        call(ME, secret)
    assert len(queries) == 1, "a fresh token costs one SELECT and no UPDATE"
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.update(last_used_at=first - dt.timedelta(minutes=2))
    call(ME, secret)
    token.refresh_from_db()
    assert token.last_used_at > first - dt.timedelta(minutes=2)


def test_me_answers_only_with_the_callers_own_details(world: World) -> None:
    body = call(ME, make_token(world.member, ["read:groups"])).json()
    assert body["id"] == world.member.pk
    assert body["email"] == world.member.email
    assert body["scopes"] == ["read:groups"]


# --- Scopes ----------------------------------------------------------------------------------


def _required_scopes() -> dict[tuple[str, str], str]:
    paths = api.get_openapi_schema()["paths"]
    return {
        (method.upper(), path): details["x-required-scope"]
        for path, ops in paths.items()
        for method, details in ops.items()
    }


def test_every_operation_names_its_scope() -> None:
    scopes = _required_scopes()
    assert set(scopes) == set(API_OPERATIONS)
    assert set(scopes.values()) == {*ALL_SCOPES, "any"}


@pytest.mark.parametrize("key", sorted(API_OPERATIONS), ids=lambda key: key[1])
def test_a_token_without_the_scope_gets_403(world: World, key: tuple[str, str]) -> None:
    scope = _required_scopes()[key]
    if scope == "any":
        pytest.skip("needs no scope")
    operation = API_OPERATIONS[key]
    persona = next(p for p, status in operation.expected.items() if status == 200)
    user = world.persona(persona)
    path = operation.path(key[1], world)
    lacking = make_token(user, [s for s in ALL_SCOPES if s != scope])
    response = call(path, lacking)
    assert response.status_code == 403
    assert response.json() == {"detail": f"This token lacks the scope {scope}."}
    denial = AuditEntry.objects.get(action="authorization.denied", actor=user)
    assert denial.details == {"permission": scope}
    assert call(path, make_token(user, [scope])).status_code == 200


# --- Description and documentation ------------------------------------------------------------


def test_openapi_description_and_docs_page_are_served_locally(world: World) -> None:
    from django.test import Client

    schema = Client().get("/api/v1/openapi.json")
    assert schema.status_code == 200
    assert schema.json()["openapi"].startswith("3.")
    docs = client_for(world.member).get("/api/v1/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/api/v1/groups/{group_id}/meetings" in html
    assert "read:meetings" in html
    assert not re.search(r"""(src|href)=["']https?://""", html)
    assert Client().get("/api/v1/docs").status_code == 200


def test_calls_beyond_the_rate_limit_wait_and_others_go_on(world: World, settings: Any) -> None:
    settings.PEERMENTOR_API_RATE_LIMIT = "3/m"
    first, second = make_token(world.member), make_token(world.member)
    statuses = [call("/api/v1/programs", secret).status_code for secret in [first] * 2 + [second]]
    assert statuses == [200, 200, 200]
    refused = call("/api/v1/programs", second)  # the fourth call of this person, any token
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert call("/api/v1/programs", make_token(world.other_member)).status_code == 200
    settings.PEERMENTOR_API_RATE_LIMIT = ""
    assert call("/api/v1/programs", first).status_code == 200  # no limit configured
