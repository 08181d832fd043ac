"""Memberships keep their history so that retention can be computed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from peermentor.core.authorization import allowed
from peermentor.programs import services
from peermentor.programs.models import Membership


def test_leaving_keeps_the_membership_with_dates_and_reason(world: Any) -> None:
    membership = world.membership_of(world.other_member)
    services.membership_end(
        membership=membership,
        left_on=dt.date(2022, 6, 30),
        reason="left_institution",
        actor=world.director,
    )
    membership.refresh_from_db()
    assert (membership.joined_on, membership.left_on) == (dt.date(2020, 1, 6), dt.date(2022, 6, 30))
    assert membership.leave_reason == "left_institution"
    assert not allowed(world.other_member, "programs.see_group", world.group)


def test_a_former_member_may_rejoin_with_a_new_membership(world: Any) -> None:
    membership = world.membership_of(world.other_member)
    services.membership_end(
        membership=membership, left_on=dt.date(2021, 1, 1), reason="other", actor=world.director
    )
    services.membership_add(
        group=world.group,
        user=world.other_member,
        role="member",
        joined_on=dt.date(2023, 1, 1),
        actor=world.director,
    )
    history = Membership.objects.filter(user=world.other_member, group=world.group)
    assert history.count() == 2
    assert allowed(world.other_member, "programs.see_group", world.group)


def test_leaving_before_joining_is_refused(world: Any) -> None:
    membership = world.membership_of(world.member)
    with pytest.raises(services.ProgramError, match="before the date they joined"):
        services.membership_end(
            membership=membership, left_on=dt.date(2019, 1, 1), reason="other", actor=world.director
        )
    membership.refresh_from_db()
    assert membership.left_on is None


def test_role_changes_to_senior_mentor(world: Any) -> None:
    membership = world.membership_of(world.member)
    services.membership_set_role(membership=membership, role="senior_mentor", actor=world.director)
    membership.refresh_from_db()
    assert membership.role == "senior_mentor"


def test_unknown_role_is_refused(world: Any) -> None:
    with pytest.raises(services.ProgramError, match="not a group role"):
        services.membership_set_role(
            membership=world.membership_of(world.member), role="boss", actor=world.director
        )


def test_second_current_membership_is_refused(world: Any) -> None:
    with pytest.raises(services.ProgramError, match="already a member"):
        services.membership_add(
            group=world.group,
            user=world.member,
            role="member",
            joined_on=dt.date(2024, 1, 1),
            actor=world.director,
        )
