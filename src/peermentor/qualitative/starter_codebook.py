"""An optional starter codebook built from the outcomes reported for a published mentoring group.

Lord et al. (Academic Medicine, 2012) reported seven benefits and seven undesirable or unintended
outcomes of their peer mentoring group. The code names follow those findings; the definitions,
guidance and example answers are written for PeerMentor (the examples are fictional). An
evaluation team may start from this codebook, change it, or ignore it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeAlias

Polarity: TypeAlias = Literal["benefit", "undesirable", "neutral"]

BENEFITS = "Benefits"
UNDESIRABLE = "Undesirable or unintended outcomes"
PARENTS: tuple[str, str] = (BENEFITS, UNDESIRABLE)
POLARITIES: tuple[Polarity, ...] = ("benefit", "undesirable", "neutral")


@dataclass(frozen=True, slots=True)
class StarterCode:
    """One code of the starter codebook, with the guidance a coder needs to apply it."""

    key: str
    name: str
    parent: str
    definition: str
    use_when: str
    do_not_use_when: str
    example: str
    colour: str
    polarity: Polarity


def _benefit(key: str, name: str, *guidance: str, colour: str) -> StarterCode:
    definition, use_when, do_not_use_when, example = guidance
    return StarterCode(
        key, name, BENEFITS, definition, use_when, do_not_use_when, example, colour, "benefit"
    )


def _undesirable(key: str, name: str, *guidance: str, colour: str) -> StarterCode:
    definition, use_when, do_not_use_when, example = guidance
    return StarterCode(
        key,
        name,
        UNDESIRABLE,
        definition,
        use_when,
        do_not_use_when,
        example,
        colour,
        "undesirable",
    )


_BENEFITS: tuple[StarterCode, ...] = (
    _benefit(
        "workplace-satisfaction",
        "Workplace satisfaction",
        "The respondent likes their job or their department more, or feels more at home in it, "
        "and links this to the group.",
        "The answer speaks of enjoying work, feeling valued, wanting to stay, or a better sense "
        "of belonging in the institution.",
        "The answer is about friendships inside the group only (use Social connection) or about "
        "getting more done (use Productivity and personal growth).",
        "Since joining I look forward to coming in on Mondays, and I no longer think about "
        "leaving the department.",
        colour="#b7e4c7",
    ),
    _benefit(
        "social-connection",
        "Social connection",
        "The group gave the respondent colleagues they know, trust or are friends with, and "
        "reduced a sense of isolation.",
        "The answer mentions friendship, companionship, knowing people across divisions, or "
        "feeling less alone.",
        "The connection is described as a problem, such as friendships crowding out work (use "
        "Personal–professional enmeshment).",
        "I was the only educator on my floor; now I have five people I can call about anything.",
        colour="#ffd6a5",
    ),
    _benefit(
        "productivity-growth",
        "Productivity and personal growth",
        "Concrete output or new skills that the respondent credits to the group: papers, grants, "
        "talks, a promotion file, a new ability.",
        "The answer names something produced or learned, helped by members' feedback, shared "
        "information, support or joint work.",
        "The answer describes only the feeling of being pushed or kept on schedule without an "
        "outcome (use Accountability and motivation).",
        "Two members read every draft of my education paper, and it was accepted on the first "
        "submission.",
        colour="#a0c4ff",
    ),
    _benefit(
        "synergy-diversity",
        "Synergy and diversity of thought",
        "Members' different backgrounds and viewpoints combined into ideas or projects none of "
        "them would have reached alone.",
        "The answer mentions different perspectives, specialties or ways of thinking, "
        "brainstorming, or a joint project born in the group.",
        "The answer reports help received by one person without any exchange of ideas (use "
        "Productivity and personal growth).",
        "A child psychiatrist and a geriatrician looking at the same teaching problem came up "
        "with a course neither of us had imagined.",
        colour="#caffbf",
    ),
    _benefit(
        "professional-involvement",
        "Involvement in professional activities",
        "The respondent took on more roles beyond daily work: committees, societies, conferences, "
        "reviewing or leadership, through the group.",
        "The answer names a committee, a national meeting, an editorial or leadership role, or "
        "an invitation passed on by a member.",
        "The activity is the group's own meeting, or the answer is about writing output (use "
        "Productivity and personal growth).",
        "Someone in the group nominated me for the residency education committee, and I now "
        "chair its assessment subgroup.",
        colour="#9bf6ff",
    ),
    _benefit(
        "safe-discussion",
        "Safe peer discussion",
        "The group is a confidential place where peers can raise doubts, mistakes or conflicts "
        "without fear of judgement or consequences.",
        "The answer speaks of trust, confidentiality, honesty, being able to admit uncertainty, "
        "or talking freely away from supervisors.",
        "The answer only says discussions were pleasant, with nothing about candour or "
        "confidentiality (consider Social connection).",
        "I could say that I was struggling with a difficult fellow without worrying that it "
        "would reach my chief.",
        colour="#bdb2ff",
    ),
    _benefit(
        "accountability-motivation",
        "Accountability and motivation",
        "Knowing that peers will ask about progress keeps the respondent working toward goals "
        "and gives energy or encouragement.",
        "The answer mentions deadlines, reporting back, not wanting to arrive empty-handed, or "
        "feeling encouraged to keep going.",
        "The answer names a finished output rather than the drive behind it (use Productivity "
        "and personal growth, or both if both are described).",
        "Having to tell everyone where my grant stood every six weeks was the only reason I kept "
        "writing.",
        colour="#fdffb6",
    ),
)

_UNDESIRABLE: tuple[StarterCode, ...] = (
    _undesirable(
        "exclusivity",
        "Exclusivity",
        "The group is seen, from inside or outside, as a closed circle that others cannot join "
        "or that sets its members apart.",
        "The answer mentions colleagues who were left out, resentment from non-members, a clique, "
        "or the group being closed to newcomers.",
        "The respondent says they did not feel excluded; a denial is not this code.",
        "A colleague hired a year after us asked to join and we had no way to let her in; it "
        "felt like a club.",
        colour="#ffadad",
    ),
    _undesirable(
        "lack-of-hierarchy",
        "Lack of hierarchy",
        "Having no leader, senior voice or formal structure left the group without direction, "
        "expertise or someone to settle questions.",
        "The answer wishes for a facilitator, a senior mentor, a chair, or clearer roles, or "
        "says nobody was in charge.",
        "The answer praises the equality of peers without naming a cost (consider Safe peer "
        "discussion).",
        "With everyone at the same level, nobody could tell us how promotion committees actually "
        "read a portfolio.",
        colour="#ffc6ff",
    ),
    _undesirable(
        "scheduling",
        "Scheduling of meetings",
        "Finding times that suit everyone, cancellations and clashes with clinical or family "
        "duties made meetings hard to hold or attend.",
        "The answer mentions calendars, call schedules, rescheduling, missed or cancelled "
        "meetings, or long gaps between them.",
        "The answer is about what happened in meetings rather than when they could happen.",
        "Between clinic rotations and school pick-up, finding an evening all seven of us could "
        "make took weeks of emails.",
        colour="#e9c46a",
    ),
    _undesirable(
        "no-curriculum",
        "No intentional curriculum",
        "Without a planned programme of topics, meetings felt ad hoc and important subjects were "
        "covered late, unevenly or not at all.",
        "The answer wishes for a syllabus, planned topics, structured sessions or a reading list, "
        "or says agendas were improvised.",
        "The answer is about missing leadership rather than missing content (use Lack of "
        "hierarchy).",
        "We never planned topics, so we only talked about promotion criteria in the fourth year, "
        "when it was nearly too late for me.",
        colour="#d4a373",
    ),
    _undesirable(
        "competing-interests",
        "Diverse and competing interests",
        "Members' different goals, specialties or career stages pulled the group in different "
        "directions, so some needs went unmet.",
        "The answer mentions topics that mattered to some but not others, competition for "
        "meeting time, or diverging career paths.",
        "The difference in views is described as a strength (use Synergy and diversity of "
        "thought).",
        "Half of us wanted to talk about research and the other half about teaching, and "
        "neither half got enough time.",
        colour="#f4a261",
    ),
    _undesirable(
        "enmeshment",
        "Personal–professional enmeshment",
        "Friendship and work became tangled, so that professional feedback, competition or "
        "conflict strained personal ties, or the reverse.",
        "The answer mentions difficulty giving honest criticism to friends, awkwardness when "
        "competing for the same job, or blurred boundaries.",
        "The answer only says personal talk took time away from work (use Loss of focus).",
        "When two of us applied for the same clerkship director post, our friendship made the "
        "whole thing awkward for months.",
        colour="#cdb4db",
    ),
    _undesirable(
        "loss-of-focus",
        "Loss of focus",
        "Personal news and social talk took over meetings, so professional goals and the agenda "
        "lost ground.",
        "The answer mentions meetings drifting into chat, catching up on family news, or "
        "leaving without discussing the work planned.",
        "The personal talk is described as welcome support with no cost (consider Social "
        "connection or Safe peer discussion).",
        "Some evenings we spent an hour and a half on holidays and kids and five minutes on "
        "anyone's manuscript.",
        colour="#c9ada7",
    ),
)

STARTER_CODES: tuple[StarterCode, ...] = _BENEFITS + _UNDESIRABLE


def starter_codebook() -> list[StarterCode]:
    """The fourteen starter codes, benefits first, as a new list the caller may change."""
    return list(STARTER_CODES)


def starter_code(key: str) -> StarterCode:
    """The starter code with this key; KeyError when there is none."""
    for code in STARTER_CODES:
        if code.key == key:
            return code
    raise KeyError(key)
