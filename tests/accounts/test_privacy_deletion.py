"""Account deletion leaves nothing identifying anywhere, and keeps what the group and the
research may keep, without a name."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q, TextField
from django.db.models.functions import Cast

from peermentor.accounts.privacy import (
    FORMER_EVALUATOR,
    FORMER_MEMBER,
    Erasure,
    account_delete,
)
from tests.accounts.conftest import EMAIL, NAME, ORCID, Person

pytestmark = pytest.mark.django_db


def _identifying_rows(needles: list[str]) -> list[str]:
    """Every row of every table of every installed app that still holds one of the needles."""
    found = []
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if isinstance(f, models.JSONField):
                rows = model._default_manager.annotate(t=Cast(f.name, TextField()))
                query = Q()
                for needle in needles:
                    for form in {needle, json.dumps(needle)[1:-1]}:
                        query |= Q(t__icontains=form)
            elif isinstance(f, models.CharField | models.TextField):
                rows = model._default_manager.all()
                query = Q()
                for needle in needles:
                    query |= Q(**{f"{f.name}__icontains": needle})
            else:
                continue
            if rows.filter(query).exists():
                found.append(f"{model._meta.label}.{f.name}")
    return found


def _links_to(pk: int) -> list[str]:
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    found = []
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            linked = f.is_relation and f.related_model is user_model
            if linked and model._default_manager.filter(**{f.attname: pk}).exists():
                found.append(f"{model._meta.label}.{f.name}")
    return found


def test_the_scan_finds_the_person_before_deletion(person: Person) -> None:
    found = _identifying_rows([NAME, EMAIL, ORCID])
    assert "accounts.User.email" in found
    assert "meetings.Meeting.notes" in found
    assert "enrolment.Application.exclude_emails" in found


def test_nothing_identifying_is_left_in_any_table(person: Person) -> None:
    pk = person.user.pk
    account_delete(user=person.user)
    assert _identifying_rows([NAME, EMAIL, ORCID]) == []
    # "Quintessa-Moor" alone would still point at her in a small program.
    assert _identifying_rows(["Quintessa"]) == []
    assert _links_to(pk) == []


def test_own_records_are_deleted(person: Person) -> None:
    from peermentor.goals.models import Goal
    from peermentor.meetings.models import ActionItem, Attendance
    from peermentor.programs.models import Invitation, Membership
    from peermentor.scholarship.models import CareerEvent

    user = person.user
    account_delete(user=user)
    assert not Goal.objects.filter(title="Write a grant").exists()
    assert not ActionItem.objects.filter(title="Send CV").exists()
    assert not CareerEvent.objects.exists()
    assert not Invitation.objects.filter(email__iexact=EMAIL).exists()
    assert Attendance.objects.filter(meeting=person.meeting).count() == 0
    assert Membership.objects.filter(group__name="Group A").count() == 3


def test_shared_group_records_stay_as_written_by_a_former_member(person: Person) -> None:
    from peermentor.goals.models import Resource
    from peermentor.meetings.models import AgendaItem, Meeting

    account_delete(user=person.user)
    meeting = Meeting.objects.get(pk=person.meeting.pk)
    assert meeting.notes_updated_by is None
    assert meeting.facilitator is None
    # The text stays; her name and e-mail in it are blacked out, keeping its length.
    assert "presented her grant" in meeting.notes
    assert len(meeting.notes) == len(person.meeting.notes)
    item = AgendaItem.objects.get(pk=person.agenda_item.pk)
    assert item.title == "Promotion dossier"
    assert item.proposer is None
    assert Resource.objects.get(pk=person.resource.pk).posted_by is None


def test_authorship_and_coder_identity_become_former(person: Person) -> None:
    from peermentor.qualitative.models import Coder, Memo, Segment
    from peermentor.scholarship.models import Authorship

    account_delete(user=person.user)
    first = Authorship.objects.get(work=person.work, position=1)
    assert (first.name, first.orcid, first.member) == (FORMER_MEMBER, "", None)
    assert Authorship.objects.get(work=person.work, position=2).name == "Outside Author"
    coder = Coder.objects.get(pk=person.coder.pk)
    assert (coder.name, coder.user) == (FORMER_EVALUATOR, None)
    assert Memo.objects.get(pk=person.memo.pk).author == coder
    assert Segment.objects.filter(coder=coder).exists()


def test_identified_answers_go_with_their_workbench_sources_unless_kept(person: Person) -> None:
    from peermentor.qualitative.models import Source
    from peermentor.surveys.models import Answer, Response

    erasure = Erasure(keep_research_waves=frozenset({person.kept_wave.pk}))
    account_delete(user=person.user, erasure=erasure)
    assert not Response.objects.filter(wave=person.identified_wave).exists()
    assert not Source.objects.filter(wave=person.identified_wave).exists()
    kept = Response.objects.get(wave=person.kept_wave)
    assert kept.respondent is None
    assert kept.consented
    answer = Answer.objects.get(response=kept)
    assert "found the group a safe place" in answer.text
    assert NAME not in answer.text
    assert Source.objects.get(wave=person.kept_wave).text == answer.text


def test_without_the_research_choice_every_identified_answer_goes(person: Person) -> None:
    from peermentor.surveys.models import Response

    account_delete(user=person.user)
    assert not Response.objects.filter(wave__mode="identified").exists()
    # An anonymous answer was never hers to delete: it stays, her name in it blacked out.
    anonymous = type(person.anonymous_answer).objects.get(pk=person.anonymous_answer.pk)
    assert "found the group a safe place" in anonymous.text


def test_other_applicants_lists_lose_only_her_address(person: Person) -> None:
    from peermentor.enrolment.models import Application

    account_delete(user=person.user)
    other = Application.objects.get(email="other.applicant@test.example")
    assert other.exclude_emails == ["someone@test.example"]
    assert not Application.objects.filter(name=NAME).exists()


def test_audit_entries_stay_without_the_person_and_the_deletion_is_recorded(
    person: Person,
) -> None:
    from peermentor.core.models import AuditEntry

    before = AuditEntry.objects.count()
    pk = person.user.pk
    account_delete(user=person.user)
    assert AuditEntry.objects.count() == before + 1
    assert not AuditEntry.objects.filter(actor_id=pk).exists()
    entry = AuditEntry.objects.get(action="account.deleted")
    assert entry.actor is None
    assert entry.details["account"] == pk
    assert entry.ip_address is None


def test_a_failing_step_deletes_nothing(person: Person, monkeypatch: Any) -> None:
    from peermentor.accounts import privacy
    from peermentor.goals.models import Goal

    def boom(identifiers: list[str]) -> int:
        raise RuntimeError("disk full")

    monkeypatch.setattr(privacy, "identifying_text_sweep", boom)
    with pytest.raises(RuntimeError):
        account_delete(user=person.user)
    assert Goal.objects.filter(owner__email=EMAIL).exists()
    assert apps.get_model(settings.AUTH_USER_MODEL).objects.filter(email=EMAIL).exists()
