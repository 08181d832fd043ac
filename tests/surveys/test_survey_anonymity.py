"""The anonymity proof: an anonymous response cannot be joined back to its respondent.

Checked three ways: the schema (no field of a response or answer names a person, an invitee or
a time; nothing else points at a response); the data (after a member answers, no row of any
table outside the response and its answers holds the response's ids); and the audit trail.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models

from peermentor.core.models import AuditEntry
from peermentor.qualitative.models import Source
from peermentor.surveys.models import Answer, Draft, Response, WaveInvitee
from tests.conftest import World
from tests.surveys.survey_fixtures import answer, open_wave

PERSON_MODELS = (WaveInvitee, Draft)
TIME_FIELDS = (models.DateField, models.DateTimeField, models.TimeField, models.DurationField)


def _concrete(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return list(model._meta.concrete_fields)


def test_a_response_and_its_answers_hold_no_person_invitee_or_time() -> None:
    user_model = get_user_model()
    for model in (Response, Answer):
        for field in _concrete(model):
            assert not isinstance(field, TIME_FIELDS), f"{model.__name__}.{field.name}"
            assert not getattr(field, "auto_created", False) or field.primary_key
            if field.is_relation:
                assert field.related_model not in PERSON_MODELS, f"{model.__name__}.{field.name}"
                if field.related_model is user_model:
                    # Only identified waves fill it, and only with consent (a DB constraint).
                    assert (model, field.name) == (Response, "respondent")
        pk = model._meta.pk
        assert isinstance(pk, models.UUIDField), "a sequential id would give away the order"


def test_nothing_but_an_answer_points_at_a_response() -> None:
    for model in apps.get_models():
        for field in _concrete(model):
            if field.is_relation and field.related_model in (Response, Answer):
                # The workbench's pseudonymised copy of an answer points at the answer (never at
                # the response) and holds no person and no time of answering.
                allowed = {(Answer, "response"), (Source, "answer")}
                assert (model, field.name) in allowed, f"{model.__name__}.{field.name}"
        for field in model._meta.many_to_many:
            assert field.related_model not in (Response, Answer), f"{model.__name__}.{field.name}"


def test_an_invitee_records_only_whether_someone_answered() -> None:
    for field in _concrete(WaveInvitee):
        assert not isinstance(field, TIME_FIELDS), field.name
        assert field.name in {"id", "wave", "user", "group", "token_hash", "answered"}, field.name


def _row_texts(model: type[models.Model]) -> list[str]:
    names = [field.attname for field in _concrete(model)]
    return [repr(row) for row in model.objects.values_list(*names)]


def test_no_table_joins_an_anonymous_response_to_its_respondent(world: World) -> None:
    wave = open_wave(world)
    answer(wave, world.other_member, text="Someone else's answer.")
    response = answer(wave, world.member, text="The group made me feel less alone.")
    assert response.respondent_id is None
    secrets = {str(response.pk), response.pk.hex}
    secrets |= {str(pk) for pk in response.answers.values_list("pk", flat=True)}
    secrets |= {uuid.UUID(s).hex for s in list(secrets)}
    for model in apps.get_models():
        if model in (Response, Answer):
            continue
        for text in _row_texts(model):
            assert not any(secret in text for secret in secrets), f"{model.__name__}: {text}"
    # The answered flag says that both answered, not which response is whose.
    assert set(wave.invitees.filter(answered=True).values_list("user", flat=True)) == {
        world.member.pk,
        world.other_member.pk,
    }
    texts = " ".join(text for model in apps.get_models() if model is not Answer
                     for text in _row_texts(model))  # fmt: skip
    assert "less alone" not in texts


def test_the_audit_trail_keeps_no_respondent(world: World) -> None:
    wave = open_wave(world)
    answer(wave, world.member)
    entries = AuditEntry.objects.filter(action__startswith="survey.response")
    assert [(e.actor_id, e.target_type, e.ip_address) for e in entries] == [
        (None, "surveys.wave", None)
    ]
    assert not AuditEntry.objects.filter(target_type__in=["surveys.response", "surveys.answer"])
    assert str(world.member.pk) not in {str(v) for e in entries for v in e.details.values()}
