"""The programs pages, driven as each persona would through real form posts."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from peermentor.accounts.models import User
from peermentor.programs import services
from peermentor.programs.models import Charter, Group, Invitation, Membership, Program
from tests.conftest import World, client_for, make_user

CHARTER_POST = {
    "goals": "Write more.",
    "meeting_format": "video",
    "cadence_weeks": "6",
    "meeting_minutes": "60",
    "norms": "Be kind.",
    "confidentiality": "It stays here.",
    "uses_senior_mentor": "on",
    "uses_facilitator_rota": "on",
    "personal_checkin_minutes": "10",
}


def _csrf_client(user: Any) -> tuple[Client, str]:
    """A client that enforces CSRF, with a token taken from a page as a browser would."""
    client = client_for(user, csrf=True)
    client.get(reverse("home") if user else reverse("account_login"))
    return client, client.cookies["csrftoken"].value


def test_director_creates_a_program_and_a_group(world: World) -> None:
    client, token = _csrf_client(world.director)
    response = client.post(
        reverse("program_create"),
        {
            "name": "Medicine PMG",
            "slug": "medicine",
            "description": "",
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 302
    program = Program.objects.get(slug="medicine")
    response = client.post(
        reverse("group_create", args=["medicine"]),
        {
            "name": "Cohort 1",
            "time_zone": "America/Chicago",
            "formed_on": "2026-01-12",
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 302
    assert Group.objects.get(program=program).time_zone == "America/Chicago"


def test_duplicate_program_address_is_reported_on_the_form(world: World) -> None:
    client, token = _csrf_client(world.director)
    response = client.post(
        reverse("program_create"),
        {
            "name": "Again",
            "slug": "psych",
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode() or "is taken" in response.content.decode()
    assert Program.objects.filter(slug="psych").count() == 1


def test_invitation_form_sends_mail_and_lists_it(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    client, token = _csrf_client(world.director)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("invitation_create", args=["psych"]),
            {
                "email": "new@test.example",
                "role": "senior_mentor",
                "group": world.group.pk,
                "csrfmiddlewaretoken": token,
            },
        )
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["new@test.example"]
    page = client.get(reverse("program_detail", args=["psych"])).content.decode()
    assert "new@test.example" in page


def test_invitation_form_refuses_a_group_of_another_program(world: World) -> None:
    client, token = _csrf_client(world.director)
    response = client.post(
        reverse("invitation_create", args=["psych"]),
        {
            "email": "new@test.example",
            "role": "member",
            "group": world.far_group.pk,
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Invitation.objects.filter(email="new@test.example").exists()


def _invitation_url(world: World, email: str = "new@test.example") -> str:
    invitation = services.invitation_create(
        program=world.program,
        group=world.group,
        email=email,
        role="member",
        invited_by=world.director,
    )
    return reverse("invitation_accept", args=[services.invitation_token(invitation=invitation)])


def test_new_person_accepts_with_a_password_and_joins(world: World) -> None:
    url = _invitation_url(world)
    client, token = _csrf_client(None)
    response = client.post(
        url,
        {
            "name": "Nia New",
            "password1": "a-fresh-password-77",
            "password2": "a-fresh-password-77",
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("profile")
    user = User.objects.get(email="new@test.example")
    assert Membership.objects.filter(user=user, group=world.group, left_on__isnull=True).exists()
    assert client.get(reverse("group_detail", args=[world.group.pk])).status_code == 200


def test_weak_password_is_refused_and_nothing_is_saved(world: World) -> None:
    url = _invitation_url(world)
    client, token = _csrf_client(None)
    response = client.post(
        url,
        {"name": "Nia New", "password1": "123", "password2": "123", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 200
    assert "too short" in response.content.decode()
    assert not User.objects.filter(email="new@test.example").exists()


def test_existing_account_is_asked_to_sign_in_first(world: World) -> None:
    make_user("new@test.example", "Known Person")
    response = client_for(None).get(_invitation_url(world))
    assert "Sign in, and this page will ask you to accept" in response.content.decode()


def test_signed_in_person_with_another_address_cannot_accept(world: World) -> None:
    url = _invitation_url(world)
    client, token = _csrf_client(world.outsider)
    response = client.post(url, {"csrfmiddlewaretoken": token})
    assert "you are signed in as outsider@test.example" in response.content.decode()
    assert not Membership.objects.filter(user=world.outsider, group=world.group).exists()


@pytest.mark.parametrize("mangle", [lambda t: t + "x", lambda t: "nonsense", lambda t: t[:-5]])
def test_tampered_links_get_a_clear_page(world: World, mangle: Any) -> None:
    url = _invitation_url(world)
    token = url.rstrip("/").rsplit("/", 1)[1]
    response = client_for(None).get(reverse("invitation_accept", args=[mangle(token)]))
    assert response.status_code == 400
    assert "This invitation link is not valid" in response.content.decode()


def test_members_propose_and_approve_a_charter(world: World) -> None:
    client, token = _csrf_client(world.member)
    response = client.post(
        reverse("charter_propose", args=[world.group.pk]),
        {**CHARTER_POST, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    charter = Charter.objects.get(group=world.group)
    assert charter.status == "proposed"
    page = client.get(reverse("charter", args=[world.group.pk])).content.decode()
    assert "1 of 2" in page
    other, other_token = _csrf_client(world.other_member)
    other.post(
        reverse("charter_decide", args=[world.group.pk, charter.version]),
        {"decision": "approve", "csrfmiddlewaretoken": other_token},
    )
    charter.refresh_from_db()
    assert charter.status == "adopted"
    assert charter.meeting_format == "video"


def test_invalid_charter_is_refused_with_field_messages(world: World) -> None:
    client, token = _csrf_client(world.member)
    response = client.post(
        reverse("charter_propose", args=[world.group.pk]),
        {
            **CHARTER_POST,
            "uses_senior_mentor": "",
            "senior_mentor_required": "on",
            "personal_checkin_minutes": "90",
            "csrfmiddlewaretoken": token,
        },
    )
    page = response.content.decode()
    assert "only need a senior mentor if the group has one" in page
    assert "cannot be longer than the meeting" in page
    assert not Charter.objects.filter(group=world.group).exists()


def test_director_records_a_member_leaving(world: World) -> None:
    membership = world.membership_of(world.other_member)
    client, token = _csrf_client(world.director)
    response = client.post(
        reverse("membership_end", args=[membership.pk]),
        {
            "left_on": "2024-06-30",
            "reason": "workload",
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert str(membership.left_on) == "2024-06-30"
    page = client.get(reverse("group_detail", args=[world.group.pk])).content.decode()
    assert "Former members" in page


def test_director_page_never_shows_the_charter(world: World) -> None:
    services.charter_propose(
        group=world.group,
        proposer=world.member,
        data={
            **CHARTER_POST,
            "norms": "SECRET-NORM-TEXT",
            "uses_senior_mentor": True,
            "senior_mentor_required": False,
            "uses_facilitator_rota": True,
            "cadence_weeks": 6,
            "meeting_minutes": 60,
            "personal_checkin_minutes": 10,
        },
    )
    client = client_for(world.director)
    for url in (
        reverse("group_detail", args=[world.group.pk]),
        reverse("program_detail", args=["psych"]),
        reverse("home"),
    ):
        assert "SECRET-NORM-TEXT" not in client.get(url).content.decode()


def _query_count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_list_pages_do_not_grow_queries_with_data(world: World) -> None:
    member, director = client_for(world.member), client_for(world.director)
    pages = [
        (member, reverse("home")),
        (director, reverse("program_detail", args=["psych"])),
        (director, reverse("group_detail", args=[world.group.pk])),
    ]
    before = [_query_count(client, url) for client, url in pages]
    for index in range(12):
        group = services.group_create(
            program=world.program,
            name=f"Extra {index}",
            time_zone="UTC",
            formed_on=world.group.formed_on,
            actor=world.director,
        )
        services.membership_add(
            group=group,
            user=world.member,
            role="member",
            joined_on=world.group.formed_on,
            actor=world.director,
        )
        newcomer = make_user(f"extra{index}@test.example", f"Extra {index}")
        services.membership_add(
            group=world.group,
            user=newcomer,
            role="member",
            joined_on=world.group.formed_on,
            actor=world.director,
        )
    after = [_query_count(client, url) for client, url in pages]
    assert after == before
