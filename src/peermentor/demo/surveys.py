"""Demo surveys: the 2006 group's close-out wave (2010) and a recent wave for the later groups.

The close-out answers are fictional, written to cover the benefits and the undesirable outcomes
the published group reported (DESIGN.md §1), so that an evaluator has something to code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils import timezone

from peermentor.accounts.models import User
from peermentor.programs.models import Group, Program
from peermentor.surveys import services
from peermentor.surveys.models import Wave

CLOSE_OUT_DAY = dt.date(2010, 6, 15)

# One dictionary per respondent; keys are questions of the default instrument.
CLOSE_OUT_ANSWERS: list[dict[str, object]] = [
    {
        "benefits_gains": "A place where I felt I belonged in the department. Work felt less "
        "lonely, and I liked coming in on meeting days.",
        "benefits_moment": "When my promotion packet stalled, the group read it line by line. "
        "I submitted it two months later.",
        "difficulties_drawbacks": "Colleagues outside the group asked why they could not join. "
        "It felt exclusive, and I did not know what to tell them.",
        "difficulties_barriers": "Clinic overran on two of our meeting afternoons every term.",
        "career_collaboration": "Two of us wrote a curriculum paper together and presented it "
        "at the national meeting.",
        "ratings_satisfaction": "5",
        "ratings_recommend": "5",
        "ratings_attendance_barriers": ["clinical"],
    },
    {
        "benefits_gains": "Being accountable to peers kept me writing. I finished three papers "
        "I would otherwise have let slide.",
        "benefits_moment": "Blair shared a call for workshops the day before the deadline; "
        "we submitted together and were accepted.",
        "difficulties_drawbacks": "Without anyone senior in the room we sometimes went round in "
        "circles on questions none of us could answer.",
        "difficulties_climate": "Safe to admit what was going badly. That was the whole point.",
        "career_scholarship": "More first-author work, and my first grant as principal "
        "investigator.",
        "ratings_satisfaction": "5",
        "ratings_recommend": "4",
        "ratings_attendance_barriers": ["teaching"],
    },
    {
        "benefits_gains": "Practical information nobody writes down: how the promotion "
        "committee reads a teaching portfolio, who to ask about protected time.",
        "difficulties_barriers": "Finding one time for seven people was the hardest part; we "
        "lost weeks to e-mail threads about dates.",
        "difficulties_change": "Some kind of plan for the year. We never had a curriculum and "
        "some topics kept coming back while others never came up.",
        "career_direction": "I applied for the residency program director role because the "
        "group told me I was ready.",
        "ratings_satisfaction": "4",
        "ratings_recommend": "5",
        "ratings_attendance_barriers": ["meeting_time", "clinical"],
    },
    {
        "benefits_gains": "Different specialties saw my project from angles I had missed. "
        "The mix of interests was a strength.",
        "difficulties_drawbacks": "Our interests pulled in different directions; a research "
        "question for one of us was irrelevant to another.",
        "difficulties_climate": "Mostly comfortable, though I held back when a topic touched "
        "my own division.",
        "career_beyond": "I joined two national committees through contacts from the group.",
        "ratings_satisfaction": "4",
        "ratings_recommend": "4",
        "ratings_attendance_barriers": ["family"],
    },
    {
        "benefits_gains": "Support through a hard year at home. The group noticed before "
        "anyone at work did.",
        "difficulties_drawbacks": "The line between friends and colleagues blurred. Sometimes "
        "personal news took over and we lost the professional focus of the meeting.",
        "difficulties_change": "Keep the personal check-in, but limit it to ten minutes.",
        "career_collaboration": "A joint workshop on feedback that we have now run three times.",
        "ratings_satisfaction": "4",
        "ratings_recommend": "5",
        "ratings_attendance_barriers": ["family", "clinical"],
    },
    {
        "benefits_gains": "Motivation. Knowing the group would ask about my goal each meeting "
        "got me to work on it.",
        "benefits_keep": "That we set the agenda ourselves.",
        "difficulties_barriers": "On-call weeks.",
        "career_scholarship": "Two posters, one paper and an educational video for students.",
        "ratings_satisfaction": "5",
        "ratings_recommend": "5",
        "ratings_attendance_barriers": ["clinical"],
    },
    {
        "benefits_gains": "Advice from a senior colleague without the weight of a formal "
        "mentoring relationship.",
        "difficulties_drawbacks": "At times the conversation drifted to personal matters for "
        "most of the hour, and the work items waited.",
        "career_direction": "I now mentor a junior group of my own.",
        "ratings_satisfaction": "4",
        "ratings_recommend": "4",
        "ratings_attendance_barriers": ["teaching"],
    },
]

RECENT_ANSWERS: list[dict[str, object]] = [
    {"benefits_gains": "Someone to check my grant aims before the deadline.",
     "ratings_satisfaction": "4", "ratings_attendance_barriers": ["clinical"]},
    {"difficulties_barriers": "Evening meetings clash with childcare.",
     "ratings_satisfaction": "3", "ratings_attendance_barriers": ["family", "meeting_time"]},
    {"benefits_gains": "Honest feedback on my teaching portfolio.",
     "ratings_satisfaction": "5", "ratings_attendance_barriers": ["teaching"]},
]  # fmt: skip


def load_surveys(
    program: Program, director: User, first_group: Group, other_groups: Sequence[Group]
) -> list[Wave]:
    """The default instrument, the first group's 2010 close-out wave, and a recent open wave."""
    instrument = services.instrument_create_default(program=program, actor=director)
    close_out = services.wave_open(
        program=program,
        instrument=instrument,
        actor=director,
        title="Close-out survey 2010",
        kind=Wave.Kind.CLOSE_OUT,
        mode=Wave.Mode.ANONYMOUS,
        opens_on=CLOSE_OUT_DAY,
        closes_on=CLOSE_OUT_DAY + dt.timedelta(days=30),
        groups=[first_group],
        notify=False,
    )
    _answer(close_out, CLOSE_OUT_ANSWERS, CLOSE_OUT_DAY)
    today = timezone.localdate()
    recent = services.wave_open(
        program=program,
        instrument=instrument,
        actor=director,
        title=f"Yearly survey {today.year}",
        kind=Wave.Kind.YEARLY,
        mode=Wave.Mode.ANONYMOUS,
        opens_on=today - dt.timedelta(days=7),
        closes_on=today + dt.timedelta(days=21),
        groups=list(other_groups),
        notify=False,
    )
    _answer(recent, RECENT_ANSWERS, today)
    return [close_out, recent]


def _answer(wave: Wave, answers: list[dict[str, object]], day: dt.date) -> None:
    invitees = list(wave.invitees.select_related("wave__instrument").order_by("id"))
    for invitee, given in zip(invitees, answers, strict=False):
        services.response_submit(invitee=invitee, answers=dict(given), today=day)
