"""The deletion page: password, the export question, the research choice, then goodbye."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.accounts.conftest import EMAIL, Person
from tests.conftest import PASSWORD, client_for

pytestmark = pytest.mark.django_db


def _form(client: Client, **data: Any) -> dict[str, Any]:
    client.get("/account/delete/")
    return {"csrfmiddlewaretoken": client.cookies["csrftoken"].value, **data}


def _exists() -> bool:
    return get_user_model().objects.filter(email=EMAIL).exists()


def test_the_page_offers_the_export_and_shows_the_consent_given(person: Person) -> None:
    page = client_for(person.user).get("/account/delete/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'action="/account/data/export/"' in html
    assert "I agree that my answers are used for the program evaluation." in html
    assert f'name="keep_wave_{person.kept_wave.pk}"' in html
    assert 'name="password"' in html
    assert 'autocomplete="current-password"' in html


def test_a_wrong_password_deletes_nothing(person: Person) -> None:
    client = client_for(person.user, csrf=True)
    response = client.post("/account/delete/", _form(client, password="wrong", export_settled="on"))
    assert response.status_code == 200
    assert "That is not your password; nothing was deleted." in response.content.decode()
    assert _exists()


def test_the_export_question_must_be_answered(person: Person) -> None:
    client = client_for(person.user, csrf=True)
    response = client.post("/account/delete/", _form(client, password=PASSWORD))
    assert "Download your data first, or tick this box" in response.content.decode()
    assert _exists()


def test_deletion_signs_out_and_keeps_only_chosen_research_answers(person: Person) -> None:
    from peermentor.surveys.models import Response

    client = client_for(person.user, csrf=True)
    other_device = client_for(person.user)
    data = _form(
        client,
        password=PASSWORD,
        export_settled="on",
        **{f"keep_wave_{person.kept_wave.pk}": "on"},
    )
    response = client.post("/account/delete/", data)
    assert response.status_code == 302
    assert response["Location"] == "/account/deleted/"
    assert not _exists()
    assert Response.objects.filter(wave=person.kept_wave, respondent=None).exists()
    assert not Response.objects.filter(wave=person.identified_wave).exists()
    goodbye = client.get("/account/deleted/")
    assert goodbye.status_code == 200
    assert b"Your account is deleted" in goodbye.content
    for device in (client, other_device):
        assert device.get("/account/data/").status_code == 302


def test_a_single_sign_on_account_needs_no_password(person: Person) -> None:
    user = person.user
    user.set_unusable_password()
    user.save()
    client = client_for(user, csrf=True)
    page = client.get("/account/delete/")
    assert 'name="password"' not in page.content.decode()
    response = client.post("/account/delete/", _form(client, export_settled="on"))
    assert response.status_code == 302
    assert not _exists()
