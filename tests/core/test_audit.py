"""The audit log is append-only and refuses free text."""

from __future__ import annotations

from typing import Any

import pytest

from peermentor.core.audit import audit_record
from peermentor.core.models import AuditEntry


def test_entry_records_actor_action_and_target(world: Any) -> None:
    entry = audit_record(action="test.done", actor=world.member, target=world.group, role="member")
    assert entry.actor == world.member
    assert entry.target_type == "programs.group"
    assert entry.target_id == str(world.group.pk)
    assert entry.details == {"role": "member"}


def test_entries_cannot_be_changed_or_deleted(world: Any) -> None:
    entry = audit_record(action="test.done", actor=world.member)
    entry.action = "test.rewritten"
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    with pytest.raises(ValueError, match="append-only"):
        entry.delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.done"


def test_free_text_is_refused(world: Any) -> None:
    with pytest.raises(ValueError, match="free text"):
        audit_record(action="test.done", note="We talked about my divorce and\nmy tenure case")


def test_anonymous_actor_is_stored_as_none(db: Any) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert audit_record(action="test.done", actor=AnonymousUser()).actor is None
