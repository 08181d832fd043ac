"""Survey services: the default instrument, versions, waves, drafts and all-or-nothing answers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail

from peermentor.core.models import AuditEntry
from peermentor.programs import services as programs
from peermentor.surveys import services
from peermentor.surveys.default_instrument import DEFAULT_INSTRUMENT
from peermentor.surveys.models import Answer, Draft, Instrument, Response
from tests.conftest import World, make_user
from tests.surveys.survey_fixtures import answer, invitee, open_wave


def test_the_default_instrument_has_its_sections_and_questions(world: World) -> None:
    instrument = services.instrument_create_default(program=world.program, actor=world.director)
    assert instrument.name == DEFAULT_INSTRUMENT.title
    assert [q.key for q in instrument.questions.all()] == [
        q.key for q in DEFAULT_INSTRUMENT.questions()
    ]
    assert instrument.sections.get(key="ratings").optional
    again = services.instrument_create_default(program=world.program, actor=world.director)
    assert again.version == 2


def test_editing_an_instrument_with_answers_makes_a_new_version(world: World) -> None:
    wave = open_wave(world)
    first = wave.instrument
    question = first.questions.get(key="benefits_gains")
    changed = services.question_edit(question=question, actor=world.director, label="What helped?")
    assert changed.instrument_id == first.pk  # no answers yet: changed in place
    answer(wave, world.member)
    changed = services.question_edit(question=question, actor=world.director, label="New text")
    assert changed.instrument.version == 2
    assert changed.instrument.previous_version == first
    question.refresh_from_db()
    assert question.label == "What helped?"  # the answered version stays as it was
    moved = services.question_move(question=question, actor=world.director, direction="down")
    assert moved.instrument.version == 3
    added = services.question_add(
        instrument=first, actor=world.director, key="extra", type="open_text", label="More?"
    )
    assert added.instrument.version == 4
    assert not first.questions.filter(key="extra").exists()


def test_question_move_and_bad_questions(world: World) -> None:
    instrument = services.instrument_create_default(program=world.program, actor=world.director)
    second = instrument.questions.all()[1]
    services.question_move(question=second, actor=world.director, direction="up")
    assert instrument.questions.first() == second
    with pytest.raises(services.SurveyError, match="at least two choices"):
        services.question_add(
            instrument=instrument, actor=world.director, key="x", type="likert", label="Rate"
        )
    with pytest.raises(services.SurveyError, match="already used"):
        services.question_add(
            instrument=instrument,
            actor=world.director,
            key="benefits_gains",
            type="open_text",
            label="Again",
        )


def test_opening_a_wave_invites_current_members_and_emails_links(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    left = make_user("left@test.example", "Left Early")
    membership = programs.membership_add(
        group=world.group, user=left, role="member", joined_on=dt.date(2020, 1, 6),
        actor=world.director,
    )  # fmt: skip
    programs.membership_end(
        membership=membership, left_on=dt.date(2021, 1, 1), reason="other", actor=world.director
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        wave = open_wave(world, groups=[world.group, world.other_group])
    invited = set(wave.invitees.values_list("user__email", flat=True))
    assert invited == {u.email for u in (world.member, world.other_member, world.senior,
                                         world.outsider)}  # fmt: skip
    assert len(mail.outbox) == 4
    link = services.invitee_token(invitee(wave, world.member))
    assert any(link in message.body and message.to == [world.member.email]
               for message in mail.outbox)  # fmt: skip
    assert "your name is not stored" in mail.outbox[0].body


def test_reminders_go_only_to_those_who_have_not_answered(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    wave = open_wave(world)
    answer(wave, world.member)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.wave_remind(wave=wave, actor=world.director) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.other_member.email, world.senior.email]
    )
    assert all(m.subject.startswith("Reminder") for m in mail.outbox)


def test_an_anonymous_response_keeps_no_person_and_cannot_be_given_twice(world: World) -> None:
    wave = open_wave(world)
    response = answer(wave, world.member)
    assert response.respondent is None
    assert response.group == world.group
    assert invitee(wave, world.member).answered
    entry = AuditEntry.objects.get(action="survey.response_submitted")
    assert entry.actor is None
    assert entry.target_type == "surveys.wave"
    with pytest.raises(services.SurveyError, match="already answered"):
        answer(wave, world.member, text="Second go")
    assert Response.objects.count() == 1


def test_an_identified_response_needs_consent(world: World) -> None:
    wave = open_wave(world, mode="identified")
    record = invitee(wave, world.member)
    with pytest.raises(services.SurveyError, match="consent"):
        services.response_submit(invitee=record, answers={"benefits_gains": "Yes"}, consent=False)
    assert not Response.objects.exists()
    response = services.response_submit(
        invitee=record, answers={"benefits_gains": "Yes"}, consent=True
    )
    assert response.respondent == world.member
    assert response.consented


@pytest.mark.parametrize(
    ("answers", "key", "message"),
    [
        ({"ratings_satisfaction": "9"}, "ratings_satisfaction", "listed answers"),
        ({"ratings_attendance_barriers": ["clinical", "zzz"]}, "ratings_attendance_barriers",
         "listed answers"),
        ({"ratings_satisfaction": ["1", "2"]}, "ratings_satisfaction", "only one"),
    ],
)  # fmt: skip
def test_a_bad_answer_saves_nothing(
    world: World, answers: dict[str, Any], key: str, message: str
) -> None:
    wave = open_wave(world)
    with pytest.raises(services.SurveyError) as error:
        services.response_submit(
            invitee=invitee(wave, world.member), answers={"benefits_gains": "Good", **answers}
        )
    assert message in error.value.problems[key]
    assert not Response.objects.exists()
    assert not Answer.objects.exists()
    assert not invitee(wave, world.member).answered


def test_a_required_question_must_be_answered(world: World) -> None:
    wave = open_wave(world)
    wave.instrument.questions.filter(key="benefits_gains").update(required=True)
    with pytest.raises(services.SurveyError) as error:
        services.response_submit(invitee=invitee(wave, world.member), answers={})
    assert error.value.problems == {"benefits_gains": "Please answer this question."}


def test_a_draft_is_kept_then_deleted_on_submit(world: World) -> None:
    wave = open_wave(world)
    record = invitee(wave, world.member)
    services.draft_save(invitee=record, answers={"benefits_gains": "Half a thought", "x": ""})
    assert Draft.objects.get().answers == {"benefits_gains": "Half a thought"}
    answer(wave, world.member)
    assert not Draft.objects.exists()


def test_a_closed_wave_takes_no_answers(world: World) -> None:
    wave = open_wave(world)
    with pytest.raises(services.SurveyError, match="closed"):
        services.response_submit(
            invitee=invitee(wave, world.member),
            answers={"benefits_gains": "Late"},
            today=wave.closes_on + dt.timedelta(days=1),
        )
    assert not Response.objects.exists()


def test_a_forged_token_finds_nobody(world: World) -> None:
    wave = open_wave(world)
    real = services.invitee_token(invitee(wave, world.member))
    assert services.invitee_for_token(real).user == world.member
    assert services.invitee_for_token(real[:-1] + ("0" if real[-1] != "0" else "1")) is None
    assert services.invitee_for_token("") is None


def test_wave_rules(world: World) -> None:
    instrument = services.instrument_create_default(program=world.program, actor=world.director)
    base = {
        "program": world.program,
        "instrument": instrument,
        "actor": world.director,
        "title": "W",
        "kind": "yearly",
        "opens_on": dt.date(2030, 1, 1),
        "closes_on": dt.date(2030, 1, 31),
    }
    with pytest.raises(services.SurveyError, match="consent"):
        services.wave_open(**base, mode="identified", groups=[world.group])
    with pytest.raises(services.SurveyError, match="group of this program"):
        services.wave_open(**base, mode="anonymous", groups=[world.far_group])
    assert not Instrument.objects.filter(waves__isnull=False).exists()
