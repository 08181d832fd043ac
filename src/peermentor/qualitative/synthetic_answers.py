"""A deterministic generator of fictional open-ended survey answers about peer mentoring.

Each answer is composed from phrase templates written for PeerMentor and carries the codes that
a careful human coder would apply from the starter codebook. Answers vary in wording, mix several
codes, deny some outcomes ("I never felt left out", which takes no code), include chit-chat that
takes no code, and sometimes contain typos. With ``topics=True`` answers may also mention one of
sixteen discussion topics, each a further code, so that benchmarks can use thirty codes. All text
is fictional; nothing here describes a real person.
"""

from __future__ import annotations

import random
import string
from collections.abc import Sequence
from dataclasses import dataclass

from peermentor.qualitative.starter_codebook import STARTER_CODES

QUESTIONS: dict[str, str] = {
    "benefits": "What, if anything, has the peer mentoring group given you?",
    "difficulties": "What has been difficult or disappointing about the group?",
    "career": "How, if at all, has the group affected your career?",
}

TOPIC_CODES: dict[str, str] = {
    "topic-promotion": "Topic: promotion and tenure",
    "topic-portfolio": "Topic: educator portfolio",
    "topic-writing": "Topic: scholarly writing",
    "topic-grants": "Topic: grants and funding",
    "topic-negotiation": "Topic: negotiation",
    "topic-work-life": "Topic: work–life balance",
    "topic-teaching": "Topic: teaching skills",
    "topic-leadership": "Topic: leadership",
    "topic-burnout": "Topic: burnout and well-being",
    "topic-clinical-load": "Topic: clinical workload",
    "topic-research-methods": "Topic: research methods",
    "topic-presenting": "Topic: presenting at conferences",
    "topic-feedback": "Topic: giving and receiving feedback",
    "topic-learners": "Topic: supervising learners",
    "topic-curriculum-design": "Topic: curriculum design",
    "topic-parenting": "Topic: parenting and caregiving",
}

_SLOTS: dict[str, tuple[str, ...]] = {
    "group": (
        "the group",
        "our group",
        "the PMG",
        "the mentoring group",
        "our peer group",
        "the peer mentoring group",
    ),
    "peers": ("colleagues", "peers", "the other members", "fellow junior faculty", "the others"),
    "meetings": ("meetings", "sessions", "get-togethers", "gatherings"),
    "paper": ("paper", "manuscript", "article", "abstract", "case report"),
    "chief": ("my chief", "my division head", "the chair", "my supervisor", "the department head"),
    "often": ("often", "regularly", "again and again", "time after time"),
    "really": ("really", "genuinely", "truly", "honestly"),
    "helped": ("helped", "made a difference", "mattered", "was invaluable"),
}

_CODED: dict[str, tuple[str, ...]] = {
    "workplace-satisfaction": (
        "I enjoy my job much more than before I joined {group}.",
        "{Group} is a big part of why I am still happy in this department.",
        "I feel more at home at work and less like an outsider in the institution.",
        "My job satisfaction went up noticeably in the years I was in {group}.",
        "I no longer think about leaving; work feels rewarding again.",
        "Coming to work is more pleasant now that I feel valued here.",
        "I am more content with my position and my place in the department.",
    ),
    "social-connection": (
        "I made real friends among {peers}, which I did not expect.",
        "It ended the isolation I felt as the only educator in my division.",
        "I now know people across the department I would never have met otherwise.",
        "The companionship of {peers} made me feel less alone.",
        "We became close and still have dinner together outside {meetings}.",
        "Having a circle of {peers} to lean on made the first years less lonely.",
    ),
    "productivity-growth": (
        "{Peers} read my drafts and my {paper} was accepted on the first try.",
        "I published more in those years than ever, thanks to feedback from {peers}.",
        "I learned how to write a teaching dossier from the other members.",
        "Shared information about funding led to my first successful application.",
        "My scholarly output grew, and I picked up skills in survey design along the way.",
        "Through mutual learning I became a far better writer and reviewer.",
        "Together we finished the {paper} that had been sitting on my desk for a year.",
    ),
    "synergy-diversity": (
        "The mix of specialties brought perspectives I would never have considered.",
        "Different ways of thinking around the table sparked new ideas.",
        "Brainstorming with people from other disciplines produced a joint project.",
        "Our diversity of thought was the best part; the ideas built on each other.",
        "A combined idea from two members turned into a new course for residents.",
        "Each of us saw the problem differently, and the result was better than any one view.",
    ),
    "professional-involvement": (
        "A member nominated me for a national education committee.",
        "I started presenting at conferences because {peers} encouraged me to submit.",
        "I joined the editorial board of a journal after a tip from the group.",
        "I became more involved in professional societies and took on a leadership role.",
        "Through the group I was invited to review for a medical education journal.",
        "I now sit on the residency selection committee, an opportunity a member passed on.",
    ),
    "safe-discussion": (
        "It was a safe place to admit what I did not know.",
        "I could talk openly about a conflict with {chief} knowing it would stay confidential.",
        "We trusted each other enough to discuss mistakes without judgement.",
        "Being able to speak freely, away from supervisors, {helped} a great deal.",
        "What was said in the room stayed in the room, so we were honest with each other.",
        "I could voice doubts about my career there without fear of consequences.",
    ),
    "accountability-motivation": (
        "Knowing I had to report back kept me working on my goals.",
        "I did not want to show up empty-handed, so I kept writing between {meetings}.",
        "The group held me accountable for deadlines I would otherwise have let slip.",
        "The encouragement kept me motivated when I wanted to give up.",
        "Checking in every six weeks gave me the push I needed to keep going.",
        "Having peers ask about my progress was a strong motivator.",
    ),
    "exclusivity": (
        "Other junior faculty saw us as a closed clique and some resented it.",
        "Colleagues who joined the department later had no way to get in.",
        "It felt exclusive; people outside the group were left out.",
        "A few colleagues asked to join and we had to turn them away, which felt unfair.",
        "Non-members sometimes felt excluded from opportunities shared in {group}.",
        "We were perceived as an elite club by others in the department.",
    ),
    "lack-of-hierarchy": (
        "With no senior mentor, nobody could answer questions about promotion with authority.",
        "We lacked a leader, so decisions drifted.",
        "I wished we had a facilitator to keep things moving.",
        "Because we were all at the same level, nobody was really in charge.",
        "A more experienced voice would have corrected some of our wrong assumptions.",
        "Without a chair or clear roles, it was hard to settle disagreements.",
    ),
    "scheduling": (
        "Finding a time when everyone was free was a constant struggle.",
        "Clinical schedules meant we cancelled or rescheduled {meetings} {often}.",
        "I missed many {meetings} because of call and clinic clashes.",
        "Coordinating calendars took weeks of emails every time.",
        "Evening {meetings} conflicted with childcare, so attendance was patchy.",
        "The long gaps between {meetings} came from scheduling problems.",
    ),
    "no-curriculum": (
        "There was no planned curriculum, so important topics came up by chance.",
        "I would have liked a structured list of topics for the year.",
        "Agendas were improvised, and some {meetings} felt aimless.",
        "Without a syllabus we covered promotion criteria far too late.",
        "A reading list or planned sessions would have made it more useful.",
        "We never planned what to cover, so content was uneven.",
    ),
    "competing-interests": (
        "Members wanted different things, so not everyone's needs were met.",
        "Research-minded members and teaching-minded members competed for time.",
        "Our interests diverged as careers went in different directions.",
        "Some topics mattered to half of us and bored the other half.",
        "Different career stages meant different priorities at every meeting.",
        "It was hard to serve everyone's goals with such varied interests.",
    ),
    "enmeshment": (
        "Because we were friends, it was hard to give honest criticism of each other's work.",
        "When two of us applied for the same job, the friendship made it awkward.",
        "The line between personal and professional got blurred.",
        "Work disagreements spilled into our friendships and the other way round.",
        "Being close friends made it uncomfortable to compete for the same positions.",
        "I sometimes held back feedback to protect a personal relationship.",
    ),
    "loss-of-focus": (
        "Too much time went to personal news and not enough to the agenda.",
        "{Meetings} drifted into social chat and we lost focus on work.",
        "We spent whole evenings catching up on family and never got to the {paper}s.",
        "The personal check-in often took over the meeting.",
        "Overemphasis on personal matters meant professional goals got sidelined.",
        "We left some {meetings} without discussing any of the work we had planned.",
    ),
}

# Sentences that deny an outcome; a careful coder applies no code to them.
_DENIALS: dict[str, tuple[str, ...]] = {
    "exclusivity": ("I never felt excluded or left out.", "I did not feel anyone was shut out."),
    "scheduling": ("Scheduling was never a problem for me.", "Finding a time was not an issue."),
    "no-curriculum": ("I did not miss having a formal curriculum.",),
    "lack-of-hierarchy": ("The lack of a leader did not bother me.",),
    "loss-of-focus": ("We never drifted off topic much.",),
    "enmeshment": ("Our friendships did not get in the way of honest feedback.",),
    "productivity-growth": ("I cannot say it changed my productivity.",),
    "workplace-satisfaction": ("It did not really affect my job satisfaction either way.",),
    "professional-involvement": ("I would not say it made me more involved in committees.",),
    "competing-interests": ("Our interests were similar, so there was no competition for time.",),
}

_CHITCHAT: tuple[str, ...] = (
    "Thanks for running this survey.",
    "The coffee at the cafe was good.",
    "Hard to sum up in a few lines.",
    "I have mentioned most of this in earlier answers.",
    "Hope this is useful.",
    "We met in the library conference room.",
    "I joined in the second year.",
    "Not sure what else to add.",
    "The survey was a bit long.",
)

_EMPTY: tuple[str, ...] = ("N/A", "Nothing to add.", "See above.", "No comment.", "-", "none")

_OPENERS: tuple[str, ...] = ("Overall, ", "Honestly, ", "To be fair, ", "Looking back, ", "")
_CONNECTORS: tuple[str, ...] = ("", "", "", "Also, ", "In addition, ", "And ")

_TOPIC_PHRASES: dict[str, tuple[str, ...]] = {
    "topic-promotion": ("promotion criteria", "the tenure clock", "preparing for promotion"),
    "topic-portfolio": ("our educator portfolios", "the teaching dossier", "portfolio templates"),
    "topic-writing": ("writing habits", "how to structure a manuscript", "writing retreats"),
    "topic-grants": ("grant budgets", "foundation funding", "a K award resubmission"),
    "topic-negotiation": ("negotiating protected time", "salary negotiation", "asking for FTE"),
    "topic-work-life": ("work–life balance", "protecting weekends", "saying no to extra duties"),
    "topic-teaching": ("bedside teaching", "lecture design", "small-group teaching techniques"),
    "topic-leadership": ("leading a team", "becoming a program director", "leadership styles"),
    "topic-burnout": ("burnout", "compassion fatigue", "our own well-being"),
    "topic-clinical-load": ("clinic volume", "RVU targets", "the inpatient service load"),
    "topic-research-methods": ("qualitative methods", "survey statistics", "study design"),
    "topic-presenting": ("poster design", "giving conference talks", "workshop proposals"),
    "topic-feedback": ("giving feedback to residents", "receiving harsh reviews", "feedback"),
    "topic-learners": ("struggling residents", "supervising medical students", "remediation"),
    "topic-curriculum-design": ("curriculum mapping", "course objectives", "milestone design"),
    "topic-parenting": ("parental leave", "childcare", "caring for aging parents"),
}

_TOPIC_TEMPLATES: tuple[str, ...] = (
    "We spent several {meetings} on {topic}.",
    "The discussions about {topic} stood out.",
    "I brought up {topic} more than once.",
    "{Topic} came up {often}.",
    "One session on {topic} was memorable.",
)

_CODE_WEIGHT: dict[str, float] = {
    "professional-involvement": 0.7,
    "enmeshment": 0.6,
    "synergy-diversity": 0.8,
    "lack-of-hierarchy": 0.7,
}

_QUESTION_FAVOURS: dict[str, frozenset[str]] = {
    "benefits": frozenset(c.key for c in STARTER_CODES if c.polarity == "benefit"),
    "difficulties": frozenset(c.key for c in STARTER_CODES if c.polarity == "undesirable"),
    "career": frozenset(
        {
            "productivity-growth",
            "professional-involvement",
            "accountability-motivation",
            "workplace-satisfaction",
        }
    ),
}


@dataclass(frozen=True, slots=True)
class SyntheticAnswer:
    """A fictional answer, the codes a careful coder would give it, and the question it answers."""

    text: str
    codes: frozenset[str]
    question: str = "benefits"


def code_keys(*, topics: bool = False) -> list[str]:
    """The code keys the generator may assign: the starter codes, then the topics if asked for."""
    keys = [code.key for code in STARTER_CODES]
    return keys + list(TOPIC_CODES) if topics else keys


def generate(n: int, *, seed: int, topics: bool = False) -> list[SyntheticAnswer]:
    """``n`` fictional answers with their true codes; the same seed always gives the same list."""
    if n < 0:
        raise ValueError("The number of answers cannot be negative.")
    # Not for security: a seeded generator makes the data reproducible.
    rng = random.Random(seed)  # noqa: S311
    return [_answer(rng, topics) for _ in range(n)]


def _answer(rng: random.Random, topics: bool) -> SyntheticAnswer:
    question = rng.choice(tuple(QUESTIONS))
    codes = _pick_codes(rng, question)
    parts: list[tuple[str, str | None]] = [
        (_fill(rng, rng.choice(_CODED[code])), code) for code in codes
    ]
    if topics:
        parts += [_topic_sentence(rng) for _ in range(rng.choices((0, 1, 2), (4, 5, 1))[0])]
    if rng.random() < 0.2:
        parts.append((_denial(rng, codes), None))
    if rng.random() < 0.25:
        parts.append((rng.choice(_CHITCHAT), None))
    if not parts:
        return SyntheticAnswer(rng.choice(_EMPTY + _CHITCHAT), frozenset(), question)
    rng.shuffle(parts)
    text = _join(rng, parts)
    return SyntheticAnswer(text, frozenset(c for _, c in parts if c), question)


def _pick_codes(rng: random.Random, question: str) -> list[str]:
    how_many = rng.choices((0, 1, 2, 3), (12, 50, 28, 10))[0]
    favoured = _QUESTION_FAVOURS[question]
    keys = list(_CODED)
    weights = [_CODE_WEIGHT.get(k, 1.0) * (5.0 if k in favoured else 1.0) for k in keys]
    chosen: list[str] = []
    while len(chosen) < how_many:
        key = rng.choices(keys, weights)[0]
        if key not in chosen:
            chosen.append(key)
    return chosen


def _denial(rng: random.Random, codes: Sequence[str]) -> str:
    denied = rng.choice([key for key in _DENIALS if key not in codes])
    return rng.choice(_DENIALS[denied])


def _topic_sentence(rng: random.Random) -> tuple[str, str]:
    topic = rng.choice(tuple(_TOPIC_PHRASES))
    template = rng.choice(_TOPIC_TEMPLATES)
    phrase = rng.choice(_TOPIC_PHRASES[topic])
    return _fill(rng, template, topic=phrase), topic


def _fill(rng: random.Random, template: str, **fixed: str) -> str:
    values = {name: rng.choice(options) for name, options in _SLOTS.items()} | fixed
    values |= {name.capitalize(): _capitalised(value) for name, value in values.items()}
    return template.format(**values)


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _join(rng: random.Random, parts: Sequence[tuple[str, str | None]]) -> str:
    sentences = [parts[0][0]]
    for sentence, code in parts[1:]:
        connector = rng.choice(_CONNECTORS) if code else ""
        sentences.append(connector + _decapitalised(sentence) if connector else sentence)
    text = _opened(rng, " ".join(sentences))
    if rng.random() < 0.15:
        text = _with_typos(rng, text)
    return text.lower() if rng.random() < 0.05 else text


def _decapitalised(text: str) -> str:
    first = text.split(" ", 1)[0]
    keep = first == "I" or first[:2].isupper()
    return text if keep else text[:1].lower() + text[1:]


def _opened(rng: random.Random, text: str) -> str:
    opener = rng.choice(_OPENERS) if rng.random() < 0.3 else ""
    return opener + _decapitalised(text) if opener else text


def _with_typos(rng: random.Random, text: str) -> str:
    words = text.split(" ")
    eligible = [i for i, word in enumerate(words) if len(word) >= 4 and word.isalpha()]
    for position in rng.sample(eligible, min(len(eligible), rng.randint(1, 2))):
        words[position] = _misspelt(rng, words[position])
    return " ".join(words)


def _misspelt(rng: random.Random, word: str) -> str:
    at = rng.randrange(1, len(word) - 2)
    kind = rng.randrange(3)
    if kind == 0:
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    if kind == 1:
        return word[:at] + word[at + 1 :]
    return word[:at] + rng.choice(string.ascii_lowercase) + word[at:]
