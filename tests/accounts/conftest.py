"""A person with records in every app, and text about them written by others, for the privacy
tests: what the export must hold and the deletion must leave no trace of."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from tests.conftest import World, make_user

NAME = "Zelda Quintessa-Moor"
EMAIL = "zelda.qm@test.example"
ORCID = "0000-0002-1825-0097"


@dataclass
class Person:
    """The person who leaves, and a few records the tests look at afterwards."""

    user: Any
    meeting: Any
    agenda_item: Any
    identified_wave: Any
    kept_wave: Any
    anonymous_answer: Any
    work: Any
    coder: Any
    memo: Any
    resource: Any


def _survey(world: World, user: Any, title: str, mode: str) -> tuple[Any, Any, Any]:
    from peermentor.surveys.models import Answer, Instrument, Question, Response, Wave

    instrument = Instrument.objects.create(program=world.program, name=title, created_by=user)
    question = Question.objects.create(
        instrument=instrument, key="q1", type="open_text", label="What went well?"
    )
    wave = Wave.objects.create(
        program=world.program,
        instrument=instrument,
        title=title,
        mode=mode,
        opens_on=dt.date(2024, 1, 1),
        closes_on=dt.date(2024, 2, 1),
        consent_text="I agree that my answers are used for the program evaluation.",
    )
    identified = mode == "identified"
    response = Response.objects.create(
        wave=wave,
        group=world.group,
        respondent=user if identified else None,
        consented=identified,
    )
    answer = Answer.objects.create(
        response=response,
        question=question,
        text=f"As {NAME} I found the group a safe place ({title}).",
    )
    return wave, response, answer


def _workbench(world: World, user: Any, answers: list[Any]) -> tuple[Any, Any]:
    from peermentor.qualitative.models import (
        Code,
        CodebookVersion,
        Coder,
        CodingRound,
        Exemplar,
        KeywordRule,
        Memo,
        Segment,
        Source,
        Suggestion,
        Theme,
    )

    code = Code.objects.create(program=world.program, name="Safety")
    coder = Coder.objects.create(program=world.program, kind="person", user=user, name=NAME)
    Coder.objects.create(program=world.program, kind="imported", name=f"{NAME} (NVivo)")
    coding_round = CodingRound.objects.create(
        program=world.program, name="Round 1", created_by=user
    )
    CodebookVersion.objects.create(
        program=world.program, number=1, snapshot={"by": NAME}, created_by=user
    )
    segment = None
    for n, answer in enumerate(answers):
        source = Source.objects.create(
            program=world.program,
            answer=answer,
            wave=answer.response.wave,
            question=answer.question,
            respondent=f"R{n:02d}",
            name=f"R{n:02d} q1",
            text=answer.text,
        )
        segment = Segment.objects.create(
            source=source, code=code, coder=coder, round=coding_round, start=3, end=8
        )
        Exemplar.objects.create(
            theme=Theme.objects.create(program=world.program, name=f"Theme {n}", created_by=user),
            segment=segment,
            source=source,
            quote=answer.text[:40],
            respondent=source.respondent,
            chosen_by=user,
        )
        Suggestion.objects.create(
            source=source, code=code, origin="keyword", confidence=0.5, decided_by=user
        )
    memo = Memo.objects.create(
        program=world.program, author=coder, title="Safety", text="Memo text.", code=code
    )
    KeywordRule.objects.create(program=world.program, code=code, pattern="safe", created_by=user)
    assert segment is not None
    return coder, memo


def _group_life(world: World, user: Any) -> tuple[Any, Any, Any]:
    from peermentor.goals.models import (
        CurriculumTopic,
        Goal,
        GoalCheckIn,
        Milestone,
        Resource,
        TopicPlan,
    )
    from peermentor.meetings.models import (
        ActionItem,
        AgendaItem,
        AgendaVote,
        Attendance,
        AvailabilityPoll,
        CalendarFeed,
        Meeting,
        MeetingSeries,
        PollOption,
        ReminderSent,
        Vote,
    )
    from peermentor.programs.models import Charter, CharterDecision

    start = timezone.now() - dt.timedelta(days=30)
    MeetingSeries.objects.create(
        group=world.group,
        rrule="FREQ=WEEKLY",
        first_start=start,
        time_zone="UTC",
        duration_minutes=60,
        created_by=user,
    )
    meeting = Meeting.objects.create(
        group=world.group,
        starts_at=start,
        time_zone="UTC",
        facilitator=user,
        notes=f"{NAME} presented her grant; write to {EMAIL} for the slides.",
        notes_updated_by=user,
    )
    other = Meeting.objects.create(
        group=world.group,
        starts_at=start + dt.timedelta(days=7),
        time_zone="UTC",
        notes="Group-only notes by another member.",
        notes_updated_by=world.other_member,
    )
    Attendance.objects.create(meeting=meeting, user=user, status="present")
    Attendance.objects.create(meeting=other, user=user, status="present")
    item = AgendaItem.objects.create(
        group=world.group, meeting=meeting, proposer=user, title="Promotion dossier", minutes=10
    )
    AgendaVote.objects.create(item=item, user=world.other_member)
    AgendaVote.objects.create(item=item, user=user)
    ActionItem.objects.create(group=world.group, meeting=meeting, owner=user, title="Send CV")
    poll = AvailabilityPoll.objects.create(
        group=world.group, title="Next meeting", time_zone="UTC", deadline=start, created_by=user
    )
    poll.required_members.add(user)
    option = PollOption.objects.create(poll=poll, starts_at=start)
    Vote.objects.create(option=option, user=user, answer="yes")
    CalendarFeed.objects.create(user=user, token_hash=uuid.uuid4().hex)
    ReminderSent.objects.create(kind="meeting", object_id=meeting.pk, user=user, occasion="day")
    goal = Goal.objects.create(
        owner=user, group=world.group, title="Write a grant", category="scholarship"
    )
    milestone = Milestone.objects.create(goal=goal, title="Aims page")
    GoalCheckIn.objects.create(
        goal=goal, meeting=meeting, progress=40, milestone=milestone, note="On track."
    )
    topic = CurriculumTopic.objects.create(
        program=world.program, title="Negotiation", description="How to ask."
    )
    TopicPlan.objects.create(group=world.group, topic=topic, meeting=meeting, added_by=user)
    resource = Resource.objects.create(
        group=world.group,
        kind="link",
        title="Grant tips",
        url="https://example.org",
        posted_by=user,
    )
    charter = Charter.objects.create(
        group=world.group,
        version=1,
        meeting_format="video",
        cadence_weeks=6,
        confidentiality="What is said here stays here.",
        proposed_by=user,
    )
    CharterDecision.objects.create(charter=charter, user=user, decision="approve")
    return meeting, item, resource


def _scholarship(user: Any) -> Any:
    from peermentor.scholarship.models import (
        Authorship,
        CareerEvent,
        ImportBatch,
        Work,
        WorkSource,
    )

    work = Work.objects.create(type="article", title="Peer mentoring works", year=2020)
    batch = ImportBatch.objects.create(
        imported_by=user, file_name="works.bib", format="bibtex", report={"authors": [NAME]}
    )
    WorkSource.objects.create(work=work, batch=batch, source_format="bibtex", source_record="k1")
    Authorship.objects.create(
        work=work, position=1, name=NAME, orcid=ORCID, member=user, claim="confirmed"
    )
    Authorship.objects.create(work=work, position=2, name="Outside Author")
    CareerEvent.objects.create(
        user=user, kind="award", title="Teaching award", date=dt.date(2021, 5, 1)
    )
    return work


def _enrolment_and_more(world: World, user: Any) -> None:
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    from peermentor.api.models import ApiToken
    from peermentor.core.audit import audit_record
    from peermentor.enrolment.models import Application, Call, Cohort, FormationRun
    from peermentor.programs.models import Invitation, ProgramRole
    from peermentor.reports.models import Report
    from peermentor.surveys.models import WaveInvitee

    ProgramRole.objects.create(program=world.other_program, user=user, role="evaluator")
    Invitation.objects.create(
        program=world.program,
        group=world.group,
        email=EMAIL,
        role="member",
        nonce=uuid.uuid4().hex,
        invited_by=world.director,
        expires_at=timezone.now(),
        accepted_by=user,
    )
    cohort = Cohort.objects.create(
        program=world.program,
        name="2025",
        starts_on=dt.date(2025, 1, 1),
        ends_on=dt.date(2025, 12, 31),
    )
    call = Call.objects.create(
        program=world.program,
        cohort=cohort,
        title="Call 2025",
        slug="call-2025",
        opens_on=dt.date(2025, 1, 1),
        closes_on=dt.date(2025, 2, 1),
        created_by=user,
    )
    common = {"call": call, "career_stage": "junior"}
    Application.objects.create(
        **common, user=user, name=NAME, email=EMAIL, goals="Grow.", nonce=uuid.uuid4().hex
    )
    Application.objects.create(
        **common,
        name="Other Applicant",
        email="other.applicant@test.example",
        exclude_emails=[EMAIL, "someone@test.example"],
        goals=f"Not in a group with {NAME}, please.",
        nonce=uuid.uuid4().hex,
    )
    FormationRun.objects.create(
        call=call, min_size=3, max_size=6, created_by=user, result={"names": [NAME]}
    )
    Report.objects.create(
        program=world.program,
        since=dt.date(2024, 1, 1),
        until=dt.date(2024, 12, 31),
        requested_by=user,
        conclusions_by=user,
    )
    ApiToken.objects.create(
        user=user,
        name="Script",
        token_hash=uuid.uuid4().hex,
        prefix="pm_x",
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    audit_record(action="profile.updated", actor=user, target=user)
    LogEntry.objects.create(
        user=world.admin,
        content_type=ContentType.objects.get_for_model(user),
        object_id=str(user.pk),
        object_repr=str(user),
        action_flag=CHANGE,
    )
    wave = _survey(world, world.director, "Invited", "anonymous")[0]
    WaveInvitee.objects.create(wave=wave, user=user, group=world.group, token_hash=uuid.uuid4().hex)


@pytest.fixture
def person(world: World) -> Person:
    """Zelda, a member of world.group with a record of every kind."""
    from peermentor.accounts.services import profile_for
    from peermentor.programs.models import MemberRole
    from peermentor.programs.services import membership_add

    user = make_user(EMAIL, NAME)
    profile = profile_for(user=user)
    profile.orcid = ORCID
    profile.department = "Psychiatry"
    profile.save()
    membership_add(
        group=world.group,
        user=user,
        role=MemberRole.MEMBER,
        joined_on=dt.date(2020, 1, 6),
        actor=world.director,
    )
    identified_wave, _, identified_answer = _survey(world, user, "Year one", "identified")
    kept_wave, _, kept_answer = _survey(world, user, "Year two", "identified")
    _, _, anonymous_answer = _survey(world, user, "Anonymous year", "anonymous")
    coder, memo = _workbench(world, user, [identified_answer, kept_answer, anonymous_answer])
    meeting, item, resource = _group_life(world, user)
    work = _scholarship(user)
    _enrolment_and_more(world, user)
    return Person(
        user=user,
        meeting=meeting,
        agenda_item=item,
        identified_wave=identified_wave,
        kept_wave=kept_wave,
        anonymous_answer=anonymous_answer,
        work=work,
        coder=coder,
        memo=memo,
        resource=resource,
    )
