"""Demo workbench: the 2010 close-out answers coded by two fictional evaluators.

The starter codebook is loaded, the close-out answers are brought in, and Robin and Sam code them
in a blind round that is then closed. Their coding disagrees where two careful people plausibly
would (an on-call week is scheduling to one and competing interests to the other; one of them
misses a passage the other codes), so the comparison and agreement pages have something to show.
The team's consensus, one theme per starter code with a published quote, follows.
"""

from __future__ import annotations

from dataclasses import dataclass

from peermentor.accounts.models import User
from peermentor.programs.models import Program
from peermentor.qualitative import services
from peermentor.qualitative.models import Code, Exemplar, Segment, Source, Theme
from peermentor.qualitative.starter_codebook import starter_codebook
from peermentor.surveys.models import Wave


@dataclass(frozen=True)
class DemoCoding:
    """A passage of one close-out answer and the starter codes each coder gave it."""

    question: str
    passage: str
    robin: tuple[str, ...]
    sam: tuple[str, ...]
    # What the team settled on after comparing; by default what Robin and Sam agreed on, or
    # Robin's coding where they differed.
    consensus: tuple[str, ...] | None = None


CODINGS: tuple[DemoCoding, ...] = (
    DemoCoding(
        "benefits_gains",
        "A place where I felt I belonged in the department.",
        ("social-connection", "workplace-satisfaction"),
        ("social-connection",),
    ),
    DemoCoding(
        "benefits_gains",
        "Work felt less lonely, and I liked coming in on meeting days.",
        ("workplace-satisfaction",),
        ("workplace-satisfaction",),
    ),
    DemoCoding(
        "benefits_moment",
        "the group read it line by line. I submitted it two months later.",
        ("productivity-growth",),
        ("productivity-growth",),
    ),
    DemoCoding(
        "difficulties_drawbacks",
        "It felt exclusive, and I did not know what to tell them.",
        ("exclusivity",),
        ("exclusivity",),
    ),
    DemoCoding(
        "difficulties_barriers",
        "Clinic overran on two of our meeting afternoons every term.",
        ("scheduling",),
        ("competing-interests",),
        consensus=("scheduling",),
    ),
    DemoCoding(
        "career_collaboration",
        "Two of us wrote a curriculum paper together",
        ("professional-involvement",),
        ("productivity-growth",),
        consensus=("professional-involvement", "productivity-growth"),
    ),
    DemoCoding(
        "benefits_gains",
        "Being accountable to peers kept me writing.",
        ("accountability-motivation",),
        ("accountability-motivation",),
    ),
    DemoCoding(
        "benefits_gains",
        "I finished three papers I would otherwise have let slide.",
        ("productivity-growth",),
        ("productivity-growth",),
    ),
    DemoCoding(
        "benefits_moment",
        "we submitted together and were accepted.",
        ("professional-involvement",),
        ("professional-involvement",),
    ),
    DemoCoding(
        "difficulties_drawbacks",
        "Without anyone senior in the room we sometimes went round in circles",
        ("lack-of-hierarchy",),
        ("lack-of-hierarchy",),
    ),
    DemoCoding(
        "difficulties_climate",
        "Safe to admit what was going badly.",
        ("safe-discussion",),
        ("safe-discussion",),
    ),
    DemoCoding(
        "career_scholarship",
        "More first-author work, and my first grant as principal investigator.",
        ("productivity-growth",),
        (),
    ),
    DemoCoding(
        "benefits_gains",
        "Practical information nobody writes down",
        ("safe-discussion",),
        ("professional-involvement",),
    ),
    DemoCoding(
        "difficulties_barriers",
        "Finding one time for seven people was the hardest part",
        ("scheduling",),
        ("scheduling",),
    ),
    DemoCoding(
        "difficulties_change",
        "We never had a curriculum",
        ("no-curriculum",),
        ("no-curriculum",),
    ),
    DemoCoding(
        "difficulties_change",
        "some topics kept coming back while others never came up.",
        ("loss-of-focus",),
        ("no-curriculum",),
        consensus=("no-curriculum",),
    ),
    DemoCoding(
        "career_direction",
        "I applied for the residency program director role because the group told me I was ready.",
        ("productivity-growth",),
        ("productivity-growth",),
    ),
    DemoCoding(
        "benefits_gains",
        "Different specialties saw my project from angles I had missed.",
        ("synergy-diversity",),
        ("synergy-diversity",),
    ),
    DemoCoding(
        "difficulties_drawbacks",
        "Our interests pulled in different directions",
        ("competing-interests",),
        ("competing-interests",),
    ),
    DemoCoding(
        "career_beyond",
        "I joined two national committees through contacts from the group.",
        ("professional-involvement",),
        ("professional-involvement",),
    ),
    DemoCoding(
        "benefits_gains",
        "Support through a hard year at home.",
        ("social-connection",),
        ("social-connection",),
    ),
    DemoCoding(
        "difficulties_drawbacks",
        "The line between friends and colleagues blurred.",
        ("enmeshment",),
        ("enmeshment",),
    ),
    DemoCoding(
        "difficulties_drawbacks",
        "personal news took over and we lost the professional focus of the meeting.",
        ("loss-of-focus",),
        ("enmeshment",),
        consensus=("loss-of-focus", "enmeshment"),
    ),
    DemoCoding(
        "difficulties_change",
        "Keep the personal check-in, but limit it to ten minutes.",
        ("enmeshment",),
        (),
        consensus=(),
    ),
    DemoCoding(
        "career_collaboration",
        "A joint workshop on feedback that we have now run three times.",
        ("professional-involvement",),
        ("professional-involvement",),
    ),
    DemoCoding(
        "benefits_gains",
        "Knowing the group would ask about my goal each meeting got me to work on it.",
        ("accountability-motivation",),
        ("accountability-motivation",),
    ),
    DemoCoding(
        "difficulties_barriers", "On-call weeks.", ("scheduling",), ("competing-interests",)
    ),
    DemoCoding(
        "career_scholarship",
        "Two posters, one paper and an educational video for students.",
        ("productivity-growth",),
        ("productivity-growth",),
    ),
    DemoCoding(
        "benefits_gains",
        "Advice from a senior colleague without the weight of a formal mentoring relationship.",
        ("safe-discussion",),
        ("social-connection",),
    ),
    DemoCoding(
        "difficulties_drawbacks",
        "the conversation drifted to personal matters for most of the hour, and the work items "
        "waited.",
        ("loss-of-focus", "enmeshment"),
        ("loss-of-focus",),
    ),
    DemoCoding(
        "career_direction",
        "I now mentor a junior group of my own.",
        ("professional-involvement",),
        ("professional-involvement",),
    ),
)


def _passage(sources: list[Source], coding: DemoCoding) -> tuple[Source, int, int]:
    for source in sources:
        if source.question is not None and source.question.key == coding.question:
            start = source.text.find(coding.passage)
            if start >= 0:
                return source, start, start + len(coding.passage)
    raise LookupError(f"No close-out answer to {coding.question} holds “{coding.passage}”.")


def _agreed(coding: DemoCoding) -> tuple[str, ...]:
    if coding.consensus is not None:
        return coding.consensus
    return coding.robin


def load_coding(program: Program, wave: Wave, robin: User, sam: User) -> None:
    """Bring in the close-out answers, code them twice in a closed blind round, record the
    consensus and make one theme with a published quote per starter code."""
    services.starter_codebook_load(program=program, actor=robin)
    services.sources_bring_in(program=program, wave=wave, actor=robin)
    codes = {
        starter.key: Code.objects.get(program=program, name=starter.name)
        for starter in starter_codebook()
    }
    sources = list(Source.objects.filter(program=program, wave=wave).select_related("question"))
    coders = {
        "robin": services.coder_for(program=program, user=robin),
        "sam": services.coder_for(program=program, user=sam),
    }
    coding_round = services.round_create(
        program=program,
        name="Close-out 2010: first pass",
        blind=True,
        coders=list(coders.values()),
        actor=robin,
    )
    for coding in CODINGS:
        source, start, end = _passage(sources, coding)
        for who, keys in (("robin", coding.robin), ("sam", coding.sam)):
            for key in keys:
                services.segment_add(
                    source=source,
                    code=codes[key],
                    coder=coders[who],
                    start=start,
                    end=end,
                    round=coding_round,
                    actor=robin,
                )
    services.round_close(coding_round=coding_round, actor=robin)
    first_quote: dict[str, Segment] = {}
    for coding in CODINGS:
        source, start, end = _passage(sources, coding)
        for key in _agreed(coding):
            segment = services.consensus_record(
                coding_round=coding_round,
                source=source,
                code=codes[key],
                start=start,
                end=end,
                keep=True,
                actor=robin,
            )
            if segment is not None:
                first_quote.setdefault(key, segment)
    _themes(program, codes, first_quote, robin)


def _themes(
    program: Program, codes: dict[str, Code], quotes: dict[str, Segment], robin: User
) -> None:
    for position, starter in enumerate(starter_codebook()):
        theme = Theme.objects.create(
            program=program,
            name=starter.name,
            description=starter.definition,
            polarity=starter.polarity,
            position=position,
            created_by=robin,
        )
        theme.codes.add(codes[starter.key])
        segment = quotes.get(starter.key)
        if segment is not None:
            Exemplar.objects.create(
                theme=theme,
                segment=segment,
                source=segment.source,
                quote=segment.source.text[segment.start : segment.end],
                respondent=segment.source.respondent,
                published=True,
                chosen_by=robin,
            )
