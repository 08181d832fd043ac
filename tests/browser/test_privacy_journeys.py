"""The privacy journey: a member downloads all their data, then deletes their account."""

from __future__ import annotations

from typing import Any

import pytest

from tests.accounts.conftest import EMAIL, Person, person  # noqa: F401
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_privacy_journey(page: Any, live_server: Any, person: Person) -> None:  # noqa: F811
    from django.contrib.auth import get_user_model

    sign_in(page, live_server, EMAIL, PASSWORD)
    page.get_by_role("link", name="Your data").click()
    page.screenshot(path="test-artifacts/privacy_home.png", full_page=True)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download my data (ZIP)").click()
    assert download.value.suggested_filename.startswith("peermentor-my-data-")
    page.get_by_role("link", name="Delete my account…").click()
    page.get_by_role("button", name="Delete my account for good").click()
    page.screenshot(path="test-artifacts/privacy_delete_errors.png", full_page=True)
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("I have downloaded my data, or I do not want a copy.").check()
    page.set_viewport_size({"width": 390, "height": 800})
    page.screenshot(path="test-artifacts/privacy_delete_phone.png", full_page=True)
    page.get_by_role("button", name="Delete my account for good").click()
    page.wait_for_load_state()
    page.screenshot(path="test-artifacts/privacy_deleted.png", full_page=True)
    assert "Your account is deleted" in page.content()
    assert not get_user_model().objects.filter(email=EMAIL).exists()
