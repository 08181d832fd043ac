"""A consortium-sized program for benchmarks: hundreds of groups, thousands of members, written
with bulk inserts so it takes minutes, not hours. Everyone in it is made up.

``peermentor demo --scale consortium`` makes the default size (300 groups, 2,000 members,
10,000 meetings, 50,000 survey answers, 100,000 works); benchmarks make smaller ones too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from peermentor.accounts.models import Profile, User
from peermentor.accounts.services import user_create
from peermentor.goals.models import Goal
from peermentor.meetings.models import AgendaItem, Attendance, Meeting
from peermentor.programs.models import Group, Membership, Program, ProgramRole
from peermentor.scholarship.models import Authorship, Work
from peermentor.surveys.models import Answer, Instrument, Question, Response, Wave, WaveInvitee

BATCH = 5000
NO_PASSWORD = make_password(None)  # nobody signs in as the generated members
RANKS = ["instructor", "assistant", "assistant", "assistant", "associate", "professor"]
TRACKS = ["clinician_educator", "clinician_educator", "research", "clinical"]
KINDS = ["professional", "professional", "accountability", "curriculum", "personal"]
WORK_TYPES = ["journal_article", "presentation", "workshop", "poster", "grant"]
QUESTIONS = [
    "What has the group given you?",
    "What has been hard about the group?",
    "What would you change?",
    "How has the group affected your work?",
]


@dataclass(frozen=True)
class Scale:
    """How big the generated program is."""

    slug: str = "consortium"
    groups: int = 300
    members: int = 2000
    meetings: int = 10_000
    answers: int = 50_000
    works: int = 100_000
    first_year: int = 2014
    years: int = 10


CONSORTIUM = Scale()


def _users(scale: Scale, rng: random.Random) -> list[User]:
    users = User.objects.bulk_create(
        [
            User(
                email=f"m{n}@{scale.slug}.example",
                name=f"Member {n:05d}",
                password=NO_PASSWORD,
                is_demo=True,
            )
            for n in range(scale.members)
        ],
        batch_size=BATCH,
    )
    Profile.objects.bulk_create(
        [
            Profile(user=u, rank=rng.choice(RANKS), track=rng.choice(TRACKS), department="Medicine")
            for u in users
        ],
        batch_size=BATCH,
    )
    return users


def _groups(program: Program, scale: Scale, rng: random.Random) -> list[Group]:
    return Group.objects.bulk_create(
        [
            Group(
                program=program,
                name=f"Group {g + 1:03d}",
                formed_on=dt.date(
                    scale.first_year + rng.randrange(max(scale.years // 2, 1)),
                    rng.randint(1, 12),
                    1,
                ),
            )
            for g in range(scale.groups)
        ]
    )


def _memberships(
    groups: list[Group], users: list[User], scale: Scale, rng: random.Random
) -> dict[int, list[Membership]]:
    end = dt.date(scale.first_year + scale.years, 1, 1)
    rows = []
    for n, user in enumerate(users):
        group = groups[n % len(groups)]
        left = None
        if rng.random() < 0.12:
            left = group.formed_on + dt.timedelta(
                days=rng.randint(60, (end - group.formed_on).days)
            )
        rows.append(
            Membership(
                group=group,
                user=user,
                role="senior_mentor" if n % 7 == 6 else "member",
                joined_on=group.formed_on,
                left_on=left,
                leave_reason=rng.choice(["workload", "left_institution", "completed"])
                if left
                else "",
            )
        )
    made = Membership.objects.bulk_create(rows, batch_size=BATCH)
    by_group: dict[int, list[Membership]] = {}
    for m in made:
        by_group.setdefault(m.group_id, []).append(m)
    return by_group


def _meetings(
    groups: list[Group], members: dict[int, list[Membership]], scale: Scale, rng: random.Random
) -> None:
    per_group = scale.meetings // len(groups)
    now = dt.datetime.now(dt.UTC)
    meetings = []
    for group in groups:
        start = dt.datetime.combine(group.formed_on, dt.time(17), tzinfo=dt.UTC)
        for i in range(per_group):
            when = start + dt.timedelta(days=45 * i + rng.randint(0, 6))
            held = when < now
            meetings.append(
                Meeting(
                    group=group,
                    starts_at=when,
                    time_zone="UTC",
                    status=Meeting.Status.HELD if held else Meeting.Status.SCHEDULED,
                )
            )
    meetings = Meeting.objects.bulk_create(meetings, batch_size=BATCH)
    attendance, items = [], []
    for meeting in meetings:
        if meeting.status != Meeting.Status.HELD:
            continue
        day = meeting.starts_at.date()
        for m in members.get(meeting.group_id, []):
            if m.left_on is None or m.left_on >= day:
                status = "present" if rng.random() < 0.82 else rng.choice(["absent", "excused"])
                attendance.append(Attendance(meeting=meeting, user_id=m.user_id, status=status))
        for position, kind in enumerate(rng.sample(KINDS, 3)):
            minutes = rng.choice([10, 15, 20, 30])
            items.append(
                AgendaItem(
                    group_id=meeting.group_id,
                    meeting=meeting,
                    title=f"Item {position + 1}",
                    kind=kind,
                    minutes=minutes,
                    actual_minutes=minutes + rng.randint(-5, 10),
                    status="discussed",
                    position=position,
                )
            )
    Attendance.objects.bulk_create(attendance, batch_size=BATCH)
    AgendaItem.objects.bulk_create(items, batch_size=BATCH)


def _goals(members: dict[int, list[Membership]], rng: random.Random) -> None:
    Goal.objects.bulk_create(
        [
            Goal(
                owner_id=m.user_id,
                group_id=m.group_id,
                title="Submit a paper",
                category="scholarship",
                status=rng.choice(["active", "achieved", "achieved", "paused"]),
                visibility=rng.choice(["private", "group", "program"]),
            )
            for ms in members.values()
            for m in ms
        ],
        batch_size=BATCH,
    )


def _works(members: dict[int, list[Membership]], scale: Scale, rng: random.Random) -> None:
    everyone = [m for ms in members.values() for m in ms]
    made = 0
    while made < scale.works:
        size = min(BATCH, scale.works - made)
        picks = []
        for _ in range(size):
            first = rng.choice(everyone)
            during = rng.random() < 0.65
            offset = rng.randint(0, 3) if during else -rng.randint(1, 3)
            picks.append((first, first.joined_on.year + offset))
        works = Work.objects.bulk_create(
            [
                Work(type=rng.choice(WORK_TYPES), title=f"Work {made + i}", year=year)
                for i, (_, year) in enumerate(picks)
            ]
        )
        authorships = []
        for work, (first, year) in zip(works, picks, strict=True):
            authors = [first]
            if year >= first.joined_on.year and rng.random() < 0.3:
                authors.append(rng.choice(members[first.group_id]))
            for position, m in enumerate({a.user_id: a for a in authors}.values()):
                authorships.append(
                    Authorship(
                        work=work,
                        position=position,
                        name=f"Member {m.user_id}",
                        member_id=m.user_id,
                        claim=Authorship.Claim.CONFIRMED,
                        match="exact",
                    )
                )
        Authorship.objects.bulk_create(authorships, batch_size=BATCH)
        made += size


def _surveys(
    program: Program,
    members: dict[int, list[Membership]],
    scale: Scale,
    rng: random.Random,
    director: User,
) -> None:
    instrument = Instrument.objects.create(
        program=program, name="Annual questions", created_by=director
    )
    questions = Question.objects.bulk_create(
        [
            Question(instrument=instrument, key=f"q{i}", type="open_text", label=label, position=i)
            for i, label in enumerate(QUESTIONS)
        ]
    )
    everyone = [m for ms in members.values() for m in ms if m.left_on is None]
    answered = 0
    year = scale.first_year + 1
    while answered < scale.answers:
        wave = Wave.objects.create(
            program=program,
            instrument=instrument,
            title=f"Annual survey {year}",
            opens_on=dt.date(year, 6, 1),
            closes_on=dt.date(year, 6, 30),
            created_by=director,
        )
        invitees, responses = [], []
        for m in everyone:
            done = (
                rng.random() < 0.75 and answered + len(responses) * len(questions) < scale.answers
            )
            token = hashlib.sha256(f"{wave.pk}-{m.user_id}".encode()).hexdigest()
            invitees.append(
                WaveInvitee(
                    wave=wave,
                    user_id=m.user_id,
                    group_id=m.group_id,
                    token_hash=token,
                    answered=done,
                )
            )
            if done:
                responses.append(Response(wave=wave, group_id=m.group_id))
        WaveInvitee.objects.bulk_create(invitees, batch_size=BATCH)
        Response.objects.bulk_create(responses, batch_size=BATCH)
        Answer.objects.bulk_create(
            [
                Answer(response=r, question=q, text=f"Answer {rng.randint(1, 999)}")
                for r in responses
                for q in questions
            ],
            batch_size=BATCH,
        )
        answered += len(responses) * len(questions)
        year += 1


def generate(
    scale: Scale = CONSORTIUM,
    *,
    password: str | None = None,
    seed: int = 2012,
    say: Callable[[str], None] = lambda text: None,
) -> Program:
    """Make the program, its people, groups, meetings, goals, works and survey answers."""
    rng = random.Random(seed)  # noqa: S311 -- made-up data
    with transaction.atomic():
        director = user_create(
            email=f"director@{scale.slug}.example",
            name="Consortium Director",
            password=password,
            is_demo=True,
        )
        evaluator = user_create(
            email=f"evaluator@{scale.slug}.example",
            name="Consortium Evaluator",
            password=password,
            is_demo=True,
        )
        program = Program.objects.create(
            name=f"Consortium ({scale.groups} groups)",
            slug=scale.slug,
            is_demo=True,
            description="A made-up program, large enough to measure PeerMentor's speed.",
        )
        ProgramRole.objects.create(program=program, user=director, role=ProgramRole.Role.DIRECTOR)
        ProgramRole.objects.create(program=program, user=evaluator, role=ProgramRole.Role.EVALUATOR)
        say("people")
        users = _users(scale, rng)
        groups = _groups(program, scale, rng)
        members = _memberships(groups, users, scale, rng)
        say("meetings")
        _meetings(groups, members, scale, rng)
        _goals(members, rng)
        say("works")
        _works(members, scale, rng)
        say("surveys")
        _surveys(program, members, scale, rng, director)
    # Rows written in bulk leave the query planner's statistics behind (PostgreSQL's autovacuum
    # catches up only later): without them some pages plan joins 30 times slower.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return program
