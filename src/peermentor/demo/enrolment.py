"""Demo enrolment: an open call of the demo program with 60 fictional applicants.

The answers vary on purpose (career stage, department, interests, weekly hours, a few people
who would rather not share a group, balance answers given with consent), so that forming groups
in the demo shows every part of the explanation. The random seed is fixed: every load is alike.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets

from django.utils import timezone

from peermentor.accounts.models import User
from peermentor.enrolment import services
from peermentor.enrolment.models import HOURS, WEEKDAYS, Application, Call
from peermentor.programs.models import Program

APPLICANTS = 60
SENIORS = 8
SEED = 2026
INTERESTS = [
    "medical education",
    "curriculum design",
    "assessment",
    "simulation",
    "feedback",
    "writing for publication",
    "grants",
    "quality improvement",
    "leadership",
    "wellness",
    "promotion",
    "educator portfolio",
]
DEPARTMENTS = ["Psychiatry", "Neurology", "Pediatrics", "Internal Medicine", "Surgery",
               "Family Medicine"]  # fmt: skip
FIRST = ["Avery", "Bailey", "Cameron", "Dakota", "Elliot", "Finley", "Gray", "Hayden", "Jesse",
         "Kendall", "Logan", "Micah", "Noel", "Oakley", "Parker", "Reese", "Sage", "Tatum",
         "Val", "Wren"]  # fmt: skip
LAST = ["Abara", "Brandt", "Castillo", "Dubois", "Eriksen", "Fujita", "Galloway", "Hossain",
        "Iverson", "Jovanovic", "Kowalski", "Larsen", "Mensah", "Nakamura", "Oyelaran"]  # fmt: skip
GENDERS = ["woman", "man", "non-binary"]
CONSENT = (
    "I agree that the program director uses this answer only to form balanced groups. Other "
    "applicants and group members never see it."
)


def load_enrolment(program: Program, director: User) -> Call:
    """An open call in the demo program, with 60 confirmed applications."""
    today = timezone.localdate()
    call = services.call_save(
        program=program,
        actor=director,
        title="Peer mentoring groups 2027: open call",
        description="Every junior faculty member of the department is welcome. Groups of six "
        "to eight meet about every six weeks for a year; each has one senior faculty member.",
        opens_on=today - dt.timedelta(days=14),
        closes_on=today + dt.timedelta(days=14),
        interests=INTERESTS,
        balance_categories=[
            {"name": "gender", "label": "Gender", "options": GENDERS, "consent_text": CONSENT},
            {
                "name": "urim",
                "label": "Under-represented in medicine",
                "options": ["yes", "no"],
                "consent_text": CONSENT,
            },
        ],
        min_size=6,
        max_size=8,
        senior_per_group=True,
        time_zone="America/Los_Angeles",
        cohort=None,
    )
    services.call_set_status(call=call, status=Call.Status.OPEN, actor=director)
    rng = random.Random(SEED)  # noqa: S311 - fictional data, not a secret
    applications = [_applicant(call, n, rng, today) for n in range(1, APPLICANTS + 1)]
    _exclusions(applications, rng)
    Application.objects.bulk_create(applications)
    return call


def _applicant(call: Call, n: int, rng: random.Random, today: dt.date) -> Application:
    senior = n % (APPLICANTS // SENIORS) == 0 and n // (APPLICANTS // SENIORS) <= SENIORS
    name = f"{FIRST[(n * 7) % len(FIRST)]} {LAST[(n * 11) % len(LAST)]}"
    applied = timezone.now() - dt.timedelta(days=14, hours=-6 * n)
    balance = {}
    if rng.random() < 0.85:
        balance["Gender"] = rng.choices(GENDERS, weights=[50, 45, 5])[0]
    if rng.random() < 0.7:
        balance["Under-represented in medicine"] = "yes" if rng.random() < 0.25 else "no"
    return Application(
        call=call,
        name=name,
        email=f"applicant{n:02d}@example.org",
        career_stage="senior" if senior else "junior",
        rank=rng.choice(["professor", "associate"]) if senior else
        rng.choice(["instructor", "assistant"]),
        track=rng.choice(["clinician_educator", "research", "clinical"]),
        department=rng.choice(DEPARTMENTS),
        interests=_interests(n % len(HABITS), rng),
        tags=rng.sample(_TAGS, rng.randint(0, 1)),
        goals=rng.choice(_GOALS),
        availability=_hours(n % len(HABITS), rng),
        balance=balance,
        status=Application.Status.APPLIED,
        source="demo",
        nonce=secrets.token_urlsafe(32),
        confirmed_at=applied,
        applied_at=applied,
    )  # fmt: skip


def _hours(family: int, rng: random.Random) -> list[str]:
    # People keep a habitual meeting time (early morning, lunch or late afternoon on set
    # days) that goes with their kind of work, and a few other hours.
    habit = HABITS[family]
    if rng.random() < 0.2:
        habit = habit[1:]
    extra = [f"{rng.choice(WEEKDAYS)}{rng.choice([7, 8, 12, 13, 17]):02d}" for _ in range(3)]
    return sorted({*habit, *extra} & {f"{d}{h:02d}" for d in WEEKDAYS for h in HOURS})


def _interests(family: int, rng: random.Random) -> list[str]:
    # Interests cluster (education, scholarship, career) and go with the habitual time.
    own = INTERESTS[family * 4 : family * 4 + 4]
    chosen = rng.sample(own, 2) + rng.sample(INTERESTS, rng.randint(0, 1))
    return list(dict.fromkeys(chosen))


HABITS = [("Tue07", "Thu07", "Tue08"), ("Mon12", "Wed12", "Fri12"), ("Tue17", "Wed17", "Thu17")]


def _exclusions(applications: list[Application], rng: random.Random) -> None:
    seniors = [a for a in applications if a.career_stage == "senior"]
    for junior in rng.sample([a for a in applications if a.career_stage == "junior"], 5):
        junior.exclude_emails = [rng.choice(seniors).email]  # e.g. their supervisor


_TAGS = ["telehealth", "global health", "podcasting", "coaching"]
_GOALS = [
    "Submit my first educational research paper.",
    "Prepare my promotion dossier and educator portfolio.",
    "Write a grant for a simulation curriculum.",
    "Find collaborators for a quality-improvement project.",
    "Protect time for writing and say no more often.",
    "Present a workshop at a national meeting.",
]
