"""Retention: the notes of groups closed long enough ago are purged; command and setting."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from peermentor.accounts.privacy import closed_group_notes_purge
from tests.conftest import World

pytestmark = pytest.mark.django_db


def _meeting(group: Any, notes: str) -> Any:
    from peermentor.meetings.models import Meeting

    return Meeting.objects.create(
        group=group, starts_at=timezone.now(), time_zone="UTC", notes=notes
    )


@pytest.fixture
def groups(world: World) -> dict[str, Any]:
    today = timezone.localdate()
    world.group.closed_on = today - dt.timedelta(days=400)
    world.group.save()
    world.other_group.closed_on = today - dt.timedelta(days=10)
    world.other_group.save()
    return {
        "old": _meeting(world.group, "Old confidential notes."),
        "recent": _meeting(world.other_group, "Recent notes."),
        "open": _meeting(world.far_group, "Open group notes."),
    }


def _notes(meeting: Any) -> str:
    meeting.refresh_from_db()
    return meeting.notes


def test_only_notes_of_groups_closed_longer_than_the_retention_go(
    groups: dict[str, Any], settings: Any
) -> None:
    settings.PEERMENTOR_CLOSED_GROUP_RETENTION_DAYS = 365
    version = groups["old"].notes_version
    result = closed_group_notes_purge()
    assert result.meetings == 1
    assert _notes(groups["old"]) == ""
    assert groups["old"].notes_version == version + 1
    assert _notes(groups["recent"]) == "Recent notes."
    assert _notes(groups["open"]) == "Open group notes."
    assert closed_group_notes_purge().meetings == 0  # nothing left to purge


def test_zero_days_turns_purging_off(groups: dict[str, Any], settings: Any) -> None:
    settings.PEERMENTOR_CLOSED_GROUP_RETENTION_DAYS = 0
    assert closed_group_notes_purge().cutoff is None
    assert _notes(groups["old"]) == "Old confidential notes."


def test_the_purge_is_audited_per_group(groups: dict[str, Any], world: World) -> None:
    from peermentor.core.models import AuditEntry

    closed_group_notes_purge(days=5)
    entries = AuditEntry.objects.filter(action="retention.notes_purged")
    assert {e.target_id for e in entries} == {str(world.group.pk), str(world.other_group.pk)}


def test_the_command_reports_and_dry_run_changes_nothing(groups: dict[str, Any]) -> None:
    out = StringIO()
    call_command("purge-closed-groups", "--dry-run", stdout=out)
    assert "Would purge the notes of 1 meeting(s) in 1 group(s)" in out.getvalue()
    assert _notes(groups["old"]) == "Old confidential notes."
    out = StringIO()
    call_command("purge-closed-groups", "--days", "5", stdout=out)
    assert "Purged the notes of 2 meeting(s) in 2 group(s)" in out.getvalue()
    assert _notes(groups["recent"]) == ""


def test_the_command_refuses_negative_days(db: Any) -> None:
    with pytest.raises(CommandError, match="--days must be 0"):
        call_command("purge-closed-groups", "--days", "-1")
