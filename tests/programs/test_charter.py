"""The charter belongs to the members: a proposal takes effect when more than half approve."""

from __future__ import annotations

from typing import Any

import pytest

from peermentor.programs import services
from peermentor.programs.forms import DEFAULT_CHARTER
from peermentor.programs.models import Charter


def _propose(world: Any, proposer: Any = None, **changes: Any) -> Charter:
    return services.charter_propose(
        group=world.group, proposer=proposer or world.member, data={**DEFAULT_CHARTER, **changes}
    )


def test_proposal_waits_for_a_majority_then_takes_effect(world: Any) -> None:
    charter = _propose(world)  # three members: two approvals needed
    assert charter.status == "proposed"
    assert services.charter_tally(charter=charter) == {
        "members": 3,
        "approvals": 1,
        "objections": 0,
        "needed": 2,
    }
    charter = services.charter_decide(charter=charter, user=world.other_member, decision="approve")
    assert charter.status == "adopted"


def test_new_version_supersedes_the_one_in_force(world: Any) -> None:
    first = services.charter_decide(charter=_propose(world), user=world.senior, decision="approve")
    second = _propose(world, proposer=world.other_member, cadence_weeks=4)
    assert second.version == 2
    services.charter_decide(charter=second, user=world.senior, decision="approve")
    first.refresh_from_db()
    assert first.status == "superseded"
    assert Charter.objects.get(group=world.group, status="adopted").cadence_weeks == 4


def test_enough_objections_reject_the_proposal(world: Any) -> None:
    charter = _propose(world)
    charter = services.charter_decide(charter=charter, user=world.other_member, decision="object")
    assert charter.status == "proposed"  # one approval, one objection, one undecided
    charter = services.charter_decide(charter=charter, user=world.senior, decision="object")
    assert charter.status == "rejected"


def test_only_one_open_proposal_at_a_time(world: Any) -> None:
    _propose(world)
    with pytest.raises(services.ProgramError, match="proposal is open already"):
        _propose(world, proposer=world.other_member)
    assert Charter.objects.filter(group=world.group).count() == 1


def test_non_member_cannot_propose_or_decide(world: Any) -> None:
    with pytest.raises(services.ProgramError, match="Only the group's members"):
        _propose(world, proposer=world.director)
    charter = _propose(world)
    with pytest.raises(services.ProgramError, match="Only the group's members"):
        services.charter_decide(charter=charter, user=world.outsider, decision="approve")
    assert services.charter_tally(charter=charter)["approvals"] == 1


def test_only_the_proposer_withdraws(world: Any) -> None:
    charter = _propose(world)
    with pytest.raises(services.ProgramError, match="Only the member who proposed"):
        services.charter_withdraw(charter=charter, user=world.other_member)
    services.charter_withdraw(charter=charter, user=world.member)
    charter.refresh_from_db()
    assert charter.status == "withdrawn"


def test_decisions_of_former_members_do_not_count(world: Any) -> None:
    import datetime as dt

    charter = _propose(world)
    services.membership_end(
        membership=world.membership_of(world.member),
        left_on=dt.date(2024, 1, 1),
        reason="other",
        actor=world.director,
    )
    assert services.charter_tally(charter=charter) == {
        "members": 2,
        "approvals": 0,
        "objections": 0,
        "needed": 2,
    }


def test_unknown_decision_is_refused(world: Any) -> None:
    with pytest.raises(services.ProgramError, match="not a decision"):
        services.charter_decide(charter=_propose(world), user=world.senior, decision="maybe")
