"""Invitations are signed, expiring and single-use; bad ones change nothing."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from peermentor.core.models import AuditEntry
from peermentor.programs import services
from peermentor.programs.models import Invitation, Membership, ProgramRole
from tests.conftest import make_user


def _invite(
    world: Any, email: str = "new@test.example", role: str = "member", group: Any = "default"
) -> Invitation:
    return services.invitation_create(
        program=world.program,
        group=world.group if group == "default" else group,
        email=email,
        role=role,
        invited_by=world.director,
    )


def test_invitation_link_is_emailed(world: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(world)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new@test.example"]
    assert "Group A" in message.body
    link = re.search(r"http://\S+/invitations/(\S+)/", message.body)
    assert link is not None
    assert services.invitation_from_token(token=link.group(1)) == invitation


def test_accepting_joins_the_group_once(world: Any) -> None:
    invitation = _invite(world)
    user = make_user("new@test.example", "New Person")
    services.invitation_accept(invitation=invitation, user=user)
    membership = Membership.objects.get(user=user)
    assert membership.group == world.group
    assert membership.role == "member"
    with pytest.raises(services.ProgramError, match="used already"):
        services.invitation_from_token(token=services.invitation_token(invitation=invitation))


def test_director_invitation_grants_the_program_role(world: Any) -> None:
    invitation = _invite(world, role="director", group=None)
    user = make_user("new@test.example", "New Director")
    services.invitation_accept(invitation=invitation, user=user)
    assert ProgramRole.objects.filter(user=user, program=world.program, role="director").exists()


def test_tampered_token_is_refused(world: Any) -> None:
    token = services.invitation_token(invitation=_invite(world))
    with pytest.raises(services.ProgramError, match="not valid"):
        services.invitation_from_token(token=token[:-2] + ("AA" if token[-2:] != "AA" else "BB"))


def test_token_of_a_recreated_invitation_does_not_open_another(world: Any) -> None:
    invitation = _invite(world)
    token = services.invitation_token(invitation=invitation)
    invitation.nonce = "changed"
    invitation.save()
    with pytest.raises(services.ProgramError, match="not valid"):
        services.invitation_from_token(token=token)


def test_expired_invitation_is_refused(world: Any) -> None:
    invitation = _invite(world)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    with pytest.raises(services.ProgramError, match="expired"):
        services.invitation_from_token(token=services.invitation_token(invitation=invitation))


def test_revoked_invitation_is_refused(world: Any) -> None:
    invitation = _invite(world)
    services.invitation_revoke(invitation=invitation, actor=world.director)
    with pytest.raises(services.ProgramError, match="withdrawn"):
        services.invitation_from_token(token=services.invitation_token(invitation=invitation))


def test_duplicate_open_invitation_is_refused(world: Any) -> None:
    _invite(world, email="Twice@Test.Example")
    with pytest.raises(services.ProgramError, match="open invitation already"):
        _invite(world, email="twice@test.example")
    assert Invitation.objects.filter(email="twice@test.example").count() == 1


def test_inviting_a_current_member_is_refused(world: Any) -> None:
    with pytest.raises(services.ProgramError, match="already a member"):
        _invite(world, email=world.member.email)


def test_member_invitation_needs_a_group_of_the_same_program(world: Any) -> None:
    with pytest.raises(services.ProgramError, match="Choose the group"):
        _invite(world, group=None)
    with pytest.raises(services.ProgramError, match="another program"):
        _invite(world, group=world.far_group)


def test_someone_else_cannot_use_the_invitation(world: Any) -> None:
    invitation = _invite(world)
    with pytest.raises(services.ProgramError, match=r"sent to new@test\.example"):
        services.invitation_accept(invitation=invitation, user=world.outsider)
    assert not Membership.objects.filter(user=world.outsider, group=world.group).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_invitation_actions_are_audited_without_the_address(world: Any) -> None:
    invitation = _invite(world)
    entry = AuditEntry.objects.get(action="invitation.created", target_id=str(invitation.pk))
    assert entry.actor == world.director
    assert "new@test.example" not in str(entry.details)
