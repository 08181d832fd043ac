"""The token journey in a browser: make a token from the profile, use it, revoke it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import (  # noqa: F401 - Chromium's launch settings
    browser_context_args,
    browser_type_launch_args,
    sign_in,
)
from tests.conftest import PASSWORD, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/shots")  # noqa: S108 - screenshots to look at, as the brief asks


def _serious(page: Any) -> list[str]:
    return [
        f"{v['id']}: {v['help']}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def test_member_makes_uses_and_revokes_a_token(page: Any, live_server: Any, world: World) -> None:
    SHOTS.mkdir(exist_ok=True)
    sign_in(page, live_server, world.member.email, PASSWORD)
    page.get_by_role("link", name="Profile").click()
    page.get_by_role("link", name="API tokens: let another program read your data").click()
    page.get_by_label("Name").fill("Department dashboard")
    page.get_by_label("read:groups").check()
    page.get_by_label("read:meetings").check()
    page.get_by_label("Expires after").select_option("90")
    page.get_by_role("button", name="Make the token").click()
    secret = page.get_by_label("Copy it now").input_value()
    assert secret.startswith("pm_")
    page.screenshot(path=str(SHOTS / "api-tokens.png"), full_page=True)
    assert _serious(page) == []

    answer = page.request.get(
        f"{live_server.url}/api/v1/groups", headers={"Authorization": f"Bearer {secret}"}
    )
    assert answer.status == 200
    assert [g["name"] for g in answer.json()] == ["Group A"]

    page.get_by_role("button", name="Revoke the token Department dashboard").click()
    expect(page.get_by_text("no longer works")).to_be_visible()
    page.screenshot(path=str(SHOTS / "api-tokens-revoked.png"), full_page=True)
    again = page.request.get(
        f"{live_server.url}/api/v1/groups", headers={"Authorization": f"Bearer {secret}"}
    )
    assert again.status == 401

    page.get_by_role("link", name="API operations").click()
    expect(page.get_by_role("heading", name="Operations")).to_be_visible()
    page.screenshot(path=str(SHOTS / "api-docs.png"), full_page=True)
    assert _serious(page) == []
