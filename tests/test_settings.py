"""Settings: production checks pass, SQLite runs in WAL mode, passwords use Argon2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD, World, client_for

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k3Jv9-Qm2ZtY8rWp_xN4aB7cD1eF6gH0iL5oS2uV9wX3yZ8qR4tE7mK1nP6",
    "ALLOWED_HOSTS": "peermentor.example.edu",
    "PEERMENTOR_SECURE": "true",
    "PEERMENTOR_SITE_URL": "https://peermentor.example.edu",
}


def _run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PEERMENTOR_DATA_DIR": str(tmp_path), **env}
    for inherited in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        environment.pop(inherited, None)
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "peermentor.cli", *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_deploy_checks_pass_under_production_settings(tmp_path: Path) -> None:
    result = _run(["check", "--deploy", "--fail-level", "WARNING"], tmp_path, **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_checks_fail_without_https(tmp_path: Path) -> None:
    result = _run(
        ["check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        **{**PRODUCTION, "PEERMENTOR_SECURE": "false"},
    )
    assert result.returncode != 0


def test_sqlite_uses_wal_immediate_transactions_and_argon2(tmp_path: Path) -> None:
    script = (
        "import json; from django.db import connection; from django.conf import settings;"
        "c = connection.cursor(); c.execute('PRAGMA journal_mode'); mode = c.fetchone()[0];"
        "c.execute('PRAGMA busy_timeout'); busy = c.fetchone()[0];"
        "print(json.dumps({'mode': mode, 'busy': busy, 'hasher': settings.PASSWORD_HASHERS[0],"
        "'tx': settings.DATABASES['default']['OPTIONS']['transaction_mode']}))"
    )
    result = _run(["shell", "-c", script], tmp_path)
    assert result.returncode == 0, result.stderr
    facts = json.loads(result.stdout.strip().splitlines()[-1])
    assert facts == {
        "mode": "wal",
        "busy": 20000,
        "tx": "IMMEDIATE",
        "hasher": "django.contrib.auth.hashers.Argon2PasswordHasher",
    }


def test_secret_key_is_generated_once_and_kept(tmp_path: Path) -> None:
    script = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = _run(["shell", "-c", script], tmp_path).stdout.strip()
    second = _run(["shell", "-c", script], tmp_path).stdout.strip()
    assert len(first) > 50
    assert first == second
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"


def test_signed_in_pages_are_not_stored(world: World) -> None:
    response = client_for(world.member).get(reverse("home"))
    assert "no-store" in response["Cache-Control"]


def test_pages_send_a_content_security_policy_without_inline_scripts(world: World) -> None:
    policy = client_for(world.member).get(reverse("home"))["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if "script-src" in part)
    assert "'unsafe-inline'" not in script_src
    assert "frame-ancestors 'none'" in policy


def test_staff_must_set_up_a_second_factor_when_required(world: World, settings: Any) -> None:
    settings.PEERMENTOR_REQUIRE_MFA_FOR_STAFF = True
    response = client_for(world.director).get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    assert client_for(world.member).get(reverse("home")).status_code == 200


def test_repeated_failed_logins_are_throttled(world: World) -> None:
    client = client_for(None)
    for _ in range(6):
        response = client.post(
            reverse("account_login"), {"login": world.member.email, "password": "wrong-password"}
        )
    assert response.status_code in {200, 429}
    assert "Too many failed login attempts" in response.content.decode()
    response = client.post(
        reverse("account_login"), {"login": world.member.email, "password": PASSWORD}
    )
    assert response.status_code != 302, "the right password must wait out the lockout"


@pytest.mark.parametrize("persona", ["member", "director"])
def test_signing_in_is_audited(world: World, persona: str) -> None:
    from peermentor.core.models import AuditEntry

    user = world.persona(persona)
    response = client_for(None).post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="account.signed_in", actor=user).count() == 1
