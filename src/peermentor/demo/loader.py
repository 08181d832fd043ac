"""Load the demo program: one group like the published one (2006), and two later groups."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from peermentor.accounts.models import Profile, User
from peermentor.accounts.services import user_create
from peermentor.demo.enrolment import load_enrolment
from peermentor.demo.goals import load_curriculum, load_first_year_plan, load_goal_history
from peermentor.demo.meetings import load_meeting_history, load_recent_activity
from peermentor.demo.qualitative import load_coding
from peermentor.demo.surveys import load_surveys
from peermentor.demo.works import load_works
from peermentor.programs import services as programs
from peermentor.programs.forms import DEFAULT_CHARTER
from peermentor.programs.models import Charter, Group, MemberRole, Program, ProgramRole

DEMO_PASSWORD = "peermentor-demo"  # noqa: S105 -- published in the README for the demo only
DEMO_SLUG = "demo"
PROGRAM_NAME = "Department of Psychiatry — Junior Faculty Peer Mentoring"


@dataclass(frozen=True)
class DemoPerson:
    email: str
    name: str
    rank: str
    department: str
    interests: str


FIRST_GROUP = [
    DemoPerson(
        "member1@example.org",
        "Alex Rivera",
        "assistant",
        "Psychiatry",
        "medical education, curriculum design, writing",
    ),
    DemoPerson(
        "member2@example.org",
        "Blair Okafor",
        "assistant",
        "Psychiatry",
        "consultation-liaison, teaching, grants",
    ),
    DemoPerson(
        "member3@example.org",
        "Casey Lindqvist",
        "instructor",
        "Psychiatry",
        "child psychiatry, assessment, writing",
    ),
    DemoPerson(
        "member4@example.org",
        "Devon Tanaka",
        "assistant",
        "Psychiatry",
        "residency education, feedback, leadership",
    ),
    DemoPerson(
        "member5@example.org",
        "Emerson Haddad",
        "assistant",
        "Psychiatry",
        "addiction, quality improvement, teaching",
    ),
    DemoPerson(
        "member6@example.org",
        "Frankie Novak",
        "instructor",
        "Psychiatry",
        "geriatric psychiatry, simulation, grants",
    ),
    DemoPerson(
        "member7@example.org",
        "Dr. Morgan Ellis",
        "professor",
        "Psychiatry",
        "mentoring, promotion, educator portfolio",
    ),
]
SECOND_GROUP = [
    DemoPerson(
        "member8@example.org",
        "Harper Quinn",
        "assistant",
        "Psychiatry",
        "psychotherapy training, writing",
    ),
    DemoPerson(
        "member9@example.org",
        "Indigo Marsh",
        "assistant",
        "Neurology",
        "medical education, assessment",
    ),
    DemoPerson(
        "member10@example.org", "Jordan Bell", "instructor", "Psychiatry", "telepsychiatry, grants"
    ),
]
THIRD_GROUP = [
    DemoPerson(
        "member11@example.org",
        "Kai Moreno",
        "assistant",
        "Psychiatry",
        "leadership, work-life integration",
    ),
    DemoPerson(
        "member12@example.org",
        "Lee Achterberg",
        "instructor",
        "Pediatrics",
        "teaching skills, feedback",
    ),
    DemoPerson(
        "member13@example.org",
        "Marlowe Chen",
        "assistant",
        "Psychiatry",
        "career planning, negotiation",
    ),
]


def demo_exists() -> bool:
    """True when the demo program is loaded."""
    return Program.objects.filter(slug=DEMO_SLUG).exists()


def _person(person: DemoPerson) -> User:
    user = user_create(
        email=person.email,
        name=person.name,
        password=DEMO_PASSWORD,
        is_demo=True,
        time_zone="America/Los_Angeles",
    )
    Profile.objects.filter(user=user).update(
        rank=person.rank,
        track="clinician_educator",
        department=person.department,
        interests=person.interests,
    )
    return user


def _staff(email: str, name: str) -> User:
    return user_create(
        email=email,
        name=name,
        password=DEMO_PASSWORD,
        is_demo=True,
        time_zone="America/Los_Angeles",
    )


@transaction.atomic
def load_demo() -> Program:
    """Create the demo program with its people, groups, memberships and charters."""
    director = _staff("director@example.org", "Pat Director (demo)")
    evaluator = _staff("evaluator@example.org", "Robin Evaluator (demo)")
    program = programs.program_create(
        name=PROGRAM_NAME,
        slug=DEMO_SLUG,
        creator=director,
        is_demo=True,
        description="A fictional program for trying PeerMentor. Everyone in it is made up.",
    )
    programs.program_role_grant(
        program=program, user=evaluator, role=ProgramRole.Role.EVALUATOR, actor=director
    )
    first = _group(program, director, "Clinician-Educators 2006", dt.date(2006, 9, 1), FIRST_GROUP)
    load_meeting_history(*first)
    load_goal_history(*first)
    load_works(first[1][:6])
    second = _group(
        program, director, "Clinician-Educators 2011", dt.date(2011, 1, 10), SECOND_GROUP
    )
    load_recent_activity(*second, with_poll=True)
    third, third_members = _group(
        program, director, "Clinician-Educators 2024", dt.date(2024, 9, 2), THIRD_GROUP
    )
    load_recent_activity(third, third_members, with_poll=False)
    load_curriculum(program, director, third, third_members[0])
    load_first_year_plan(first[0], first[1][0])
    close_out, _recent = load_surveys(program, director, first[0], [second[0], third])
    second_coder = _staff("coder@example.org", "Sam Coder (demo)")
    programs.program_role_grant(
        program=program, user=second_coder, role=ProgramRole.Role.EVALUATOR, actor=director
    )
    load_coding(program, close_out, evaluator, second_coder)
    load_enrolment(program, director)
    return program


def _group(
    program: Program, director: User, name: str, formed_on: dt.date, people: list[DemoPerson]
) -> tuple[Group, list[User]]:
    group = programs.group_create(
        program=program,
        name=name,
        formed_on=formed_on,
        time_zone="America/Los_Angeles",
        actor=director,
    )
    members = [_person(person) for person in people]
    for person, user in zip(people, members, strict=True):
        role = MemberRole.SENIOR_MENTOR if person.rank == "professor" else MemberRole.MEMBER
        programs.membership_add(
            group=group, user=user, role=role, joined_on=formed_on, actor=director
        )
    charter = programs.charter_propose(group=group, proposer=members[0], data=DEFAULT_CHARTER)
    for user in members[1:]:
        if charter.status == "proposed":
            charter = programs.charter_decide(charter=charter, user=user, decision="approve")
    agreed = dt.datetime.combine(formed_on, dt.time(17, 0), tzinfo=dt.UTC)
    Charter.objects.filter(pk=charter.pk).update(proposed_at=agreed, decided_at=agreed)
    return group, members
