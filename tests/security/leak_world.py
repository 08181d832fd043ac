"""A bigger, seeded world for the leak property test, with its own record of who is who.

The record (``Roster``) is written while the world is built, from the calls made here, never
read back through the authorization layer: the oracle of ``test_no_leaks`` is built on it.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.test import override_settings
from django.utils import timezone

from tests.conftest import make_user

FORMED = dt.date(2020, 1, 6)
PROGRAMS = 3
GROUPS_PER_PROGRAM = 3
CURRENT_PER_GROUP = 3


@dataclass
class Roster:
    """Who holds which role, as the builder made it."""

    users: list[Any] = field(default_factory=list)
    programs: list[Any] = field(default_factory=list)
    groups: list[Any] = field(default_factory=list)
    members: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))  # group → users
    directors: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))  # program
    evaluators: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))  # program
    objects: dict[str, list[Any]] = field(default_factory=lambda: defaultdict(list))
    marker: dict[tuple[str, Any], str] = field(default_factory=dict)  # (model, pk) → unique text

    def member(self, user: Any, group_id: int | None) -> bool:
        return group_id is not None and user.pk in self.members[group_id]

    def director(self, user: Any, program_id: int) -> bool:
        return user.pk in self.directors[program_id]

    def evaluator(self, user: Any, program_id: int) -> bool:
        return user.pk in self.evaluators[program_id]


def build(seed: int = 20261126) -> Roster:
    """Three programs of three groups, with every kind of private object in each."""
    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    ):
        return _build(random.Random(seed))


def _user(roster: Roster, key: str, **extra: Any) -> Any:
    user = make_user(f"{key}@leak.example", f"Person {key}", **extra)
    roster.users.append(user)
    return user


def _build(rng: random.Random) -> Roster:
    from peermentor.programs import services
    from peermentor.programs.models import MemberRole, ProgramRole

    roster = Roster()
    _user(roster, "admin", is_staff=True, is_superuser=True)
    for n in range(2):
        _user(roster, f"outsider{n}")
    directors = [_user(roster, f"director{p}") for p in range(PROGRAMS)]
    evaluators = [_user(roster, f"evaluator{p}") for p in range(PROGRAMS)]
    for p in range(PROGRAMS):
        program = services.program_create(
            name=f"Program {p}", slug=f"leak-p{p}", creator=directors[p]
        )
        roster.programs.append(program)
        roster.directors[program.pk].add(directors[p].pk)
        services.program_role_grant(
            program=program, user=evaluators[p], role=ProgramRole.Role.EVALUATOR, actor=directors[p]
        )
        roster.evaluators[program.pk].add(evaluators[p].pk)
        for g in range(GROUPS_PER_PROGRAM):
            group = services.group_create(
                program=program,
                name=f"Group {p}.{g}",
                time_zone="UTC",
                formed_on=FORMED,
                actor=directors[p],
            )
            roster.groups.append(group)
            for m in range(CURRENT_PER_GROUP + 1):
                person = _user(roster, f"m{p}{g}{m}")
                role = MemberRole.SENIOR_MENTOR if m == 0 else MemberRole.MEMBER
                membership = services.membership_add(
                    group=group, user=person, role=role, joined_on=FORMED, actor=directors[p]
                )
                roster.members[group.pk].add(person.pk)
                if m == CURRENT_PER_GROUP:  # the last one has left: no longer sees anything
                    services.membership_end(
                        membership=membership,
                        left_on=FORMED + dt.timedelta(days=100),
                        reason="moved",
                        actor=directors[p],
                    )
                    roster.members[group.pk].discard(person.pk)
    # People with two hats: a director of program 1 who is a member in program 0, and an
    # evaluator of program 0 who is a member in program 2.
    for holder, group in [(directors[1], roster.groups[0]), (evaluators[0], roster.groups[-1])]:
        services.membership_add(
            group=group, user=holder, role=MemberRole.MEMBER, joined_on=FORMED, actor=directors[0]
        )
        roster.members[group.pk].add(holder.pk)
    _meetings(roster, rng)
    _goals(roster, rng)
    _works(roster, rng)
    _surveys(roster, rng)
    _workbench(roster, rng)
    _enrolment(roster, rng)
    return roster


def _current(roster: Roster, group: Any) -> list[Any]:
    return [u for u in roster.users if u.pk in roster.members[group.pk]]


def _mark(roster: Roster, model: str, obj: Any, text: str) -> str:
    roster.marker[(model, obj.pk)] = text
    roster.objects[model].append(obj)
    return text


def _meetings(roster: Roster, rng: random.Random) -> None:
    from peermentor.meetings import services
    from peermentor.meetings.models import Meeting

    now = timezone.now()
    for group in roster.groups:
        people = _current(roster, group)
        for k in range(2):
            meeting = services.meeting_create(
                group=group,
                starts_at=now + dt.timedelta(days=3 + 7 * k, hours=rng.randrange(8)),
                actor=rng.choice(people),
                assign_rota=False,
            )
            notes = _mark(roster, "notes", meeting, f"NOTESMARK{meeting.pk}Z")
            Meeting.objects.filter(pk=meeting.pk).update(notes=f"We spoke about {notes}.")
            roster.objects["meeting"].append(meeting)
            item = services.agenda_item_add(
                group=group,
                meeting=meeting,
                proposer=rng.choice(people),
                title=f"Agenda {group.pk}.{k}",
                kind="professional",
                minutes=10,
            )
            _mark(roster, "agenda_item", item, f"AGENDAMARK{item.pk}Z")
            owner = rng.choice(people)
            action = services.action_item_add(
                group=group,
                meeting=meeting,
                owner=owner,
                title=f"ACTIONMARK{group.pk}{k}",
                due_on=None,
                actor=owner,
            )
            _mark(roster, "action_item", action, action.title)


def _goals(roster: Roster, rng: random.Random) -> None:
    from peermentor.goals import services

    for group in roster.groups:
        people = _current(roster, group)
        for visibility in ("private", "group", "program"):
            goal = services.goal_create(
                owner=rng.choice(people),
                group=group,
                title=f"Goal {visibility}",
                category="scholarship",
                visibility=visibility,
                done_looks_like="",
            )
            goal.done_looks_like = _mark(roster, "goal", goal, f"GOALMARK{goal.pk}Z")
            goal.save(update_fields=["done_looks_like"])
        for k in range(2):
            resource = services.resource_post(
                group=group,
                actor=rng.choice(people),
                kind="file",
                title=f"Resource {k}",
                file_name=f"call-{k}.pdf",
                file_data=b"%PDF-1.4 RESOURCEMARK",
            )
            _mark(roster, "resource", resource, f"Resource {k}")


def _works(roster: Roster, rng: random.Random) -> None:
    from peermentor.scholarship.models import Authorship, Work

    for group in roster.groups:
        for k in range(2):
            person = rng.choice(_current(roster, group))
            work = Work.objects.create(type="journal_article", title="pending", year=2021)
            authorship = Authorship.objects.create(
                work=work,
                position=1,
                name=person.name,
                member=person,
                match="name",
                claim="pending",
            )
            work.title = _mark(roster, "authorship", authorship, f"WORKMARK{work.pk}Z{k}")
            work.save(update_fields=["title"])


def _surveys(roster: Roster, rng: random.Random) -> None:
    from peermentor.surveys import services
    from peermentor.surveys.models import WaveInvitee

    today = timezone.localdate()
    for program in roster.programs:
        director = next(u for u in roster.users if u.pk in roster.directors[program.pk])
        groups = [g for g in roster.groups if g.program_id == program.pk]
        wave = services.wave_open(
            program=program,
            instrument=services.instrument_create_default(program=program, actor=director),
            actor=director,
            title=f"Wave of {program.slug}",
            kind="close_out",
            mode="anonymous",
            opens_on=today - dt.timedelta(days=1),
            closes_on=today + dt.timedelta(days=14),
            groups=groups,
            notify=False,
        )
        roster.objects["wave"].append(wave)
        roster.objects["answered_wave"].append(wave)
        for extra in range(3):  # more waves, so that 500 distinct (user, wave) pairs exist
            roster.objects["wave"].append(
                services.wave_open(
                    program=program,
                    instrument=wave.instrument,
                    actor=director,
                    title=f"Wave {extra} of {program.slug}",
                    kind="custom",
                    mode="anonymous",
                    opens_on=today - dt.timedelta(days=1),
                    closes_on=today + dt.timedelta(days=14),
                    groups=groups[: extra + 1],
                    notify=False,
                )
            )
        invitees = list(WaveInvitee.objects.filter(wave=wave).select_related("wave__instrument"))
        for invitee in rng.sample(invitees, 5):
            text = f"ANSWERMARK{invitee.pk}Z"
            response = services.response_submit(
                invitee=invitee,
                answers={"benefits_gains": text, "ratings_satisfaction": "4"},
                consent=True,
            )
            answer = response.answers.get(text=text)
            _mark(roster, "answer", answer, text)


def _workbench(roster: Roster, rng: random.Random) -> None:
    from peermentor.qualitative import services
    from peermentor.qualitative.models import Source

    for program, wave in zip(roster.programs, roster.objects["answered_wave"], strict=True):
        evaluator = next(u for u in roster.users if u.pk in roster.evaluators[program.pk])
        services.sources_bring_in(program=program, wave=wave, actor=evaluator)
        for source in Source.objects.filter(program=program):
            roster.objects["source"].append(source)
            roster.marker[("source", source.pk)] = source.text
        for k in range(4):
            code = services.code_create(
                program=program,
                actor=evaluator,
                name=f"Code {k}",
                definition=f"CODEMARK{program.pk}x{k}Z",
            )
            _mark(roster, "code", code, code.definition)


def _enrolment(roster: Roster, rng: random.Random) -> None:
    from peermentor.enrolment import services
    from peermentor.enrolment.models import Application

    today = timezone.localdate()
    for program in roster.programs:
        director = next(u for u in roster.users if u.pk in roster.directors[program.pk])
        call = services.call_save(
            program=program,
            actor=director,
            title=f"Call {program.slug}",
            description="",
            opens_on=today - dt.timedelta(days=1),
            closes_on=today + dt.timedelta(days=10),
            interests=["writing"],
            balance_categories=[],
            min_size=2,
            max_size=3,
            senior_per_group=False,
            time_zone="UTC",
            cohort=None,
        )
        for n in range(4):
            application = Application.objects.create(
                call=call,
                name=f"Applicant {program.pk}.{n}",
                email=f"applicant{program.pk}{n}@leak.example",
                career_stage="junior",
                goals="",
                nonce=secrets.token_urlsafe(32),
                confirmed_at=timezone.now(),
            )
            application.goals = _mark(
                roster, "application", application, f"APPLYMARK{application.pk}Z"
            )
            application.save(update_fields=["goals"])
