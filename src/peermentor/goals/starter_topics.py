"""The optional starter set of curriculum topics a program may load (our own text)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StarterTopic:
    """A topic with what it covers, questions for the group and where to read more."""

    title: str
    description: str
    questions: str
    resources: str


STARTER_TOPICS: tuple[StarterTopic, ...] = (
    StarterTopic(
        "Promotion and the educator portfolio",
        "How your institution promotes clinician-educators, and how to show teaching, "
        "curriculum work, mentoring and leadership as scholarship in an educator portfolio.",
        "What do our promotion criteria actually ask for?\n"
        "Which of my activities count, and what evidence do I keep for each?\n"
        "Who on the committee could read a draft of my portfolio?",
        "Your faculty handbook's promotion criteria; your school's portfolio template; "
        "a recently promoted colleague's portfolio (ask to see it).",
    ),
    StarterTopic(
        "Manuscript writing",
        "Turning clinical teaching and projects into papers: choosing a journal, structuring "
        "the argument, writing regularly, and answering reviewers.",
        "What is the one paper each of us could finish this year?\n"
        "When in the week do we write, and how do we protect that time?\n"
        "Who will read whose draft before the next meeting?",
        "Author guidelines of two target journals; a shared folder of drafts for peer review.",
    ),
    StarterTopic(
        "Grant writing",
        "Finding education and small research grants, reading a call, writing specific aims "
        "and a budget, and learning from reviews.",
        "Which calls fit our projects, and when are they due?\n"
        "What makes a specific aims page convincing?\n"
        "Could two of us apply together?",
        "Your institution's internal grant calls; the research office's budget templates.",
    ),
    StarterTopic(
        "Teaching skills and feedback",
        "Teaching in clinic and on the ward, running small groups, giving and receiving "
        "feedback, and peer observation of teaching.",
        "What teaching moment went well or badly this month, and why?\n"
        "Would anyone observe my teaching and give me feedback?\n"
        "How do we ask learners for useful feedback?",
        "A peer observation form agreed by the group; your program's teaching evaluations.",
    ),
    StarterTopic(
        "Leadership and negotiation",
        "Taking on committee and program roles, leading without authority, and negotiating "
        "protected time, resources and roles.",
        "What am I asking for this year, from whom, and what is my alternative?\n"
        "Which roles would move my career forward, and which should I decline?\n"
        "Can we rehearse a conversation with the chair?",
        "Notes from your last annual review; a list of open committee roles.",
    ),
    StarterTopic(
        "Work–life integration",
        "Sustaining a clinical, teaching and academic life alongside family and health: "
        "boundaries, saying no, and noticing burnout early.",
        "What would I stop doing if I could?\n"
        "Where do work and home collide most often?\n"
        "What support do we have, and do we use it?",
        "Your institution's well-being and employee assistance services.",
    ),
    StarterTopic(
        "Career planning",
        "Setting goals for the next one, three and five years, and linking them to the "
        "activities you say yes to.",
        "Where do I want to be in five years, and what gets me there?\n"
        "Which of my current commitments serve that plan?\n"
        "What will I ask the group to hold me to?",
        "An individual development plan (PeerMentor exports yours from My goals).",
    ),
    StarterTopic(
        "Mentoring others",
        "Becoming a mentor to students, residents and newer faculty: setting expectations, "
        "sponsoring, and knowing when to refer.",
        "Whom do I mentor now, and what do they need from me?\n"
        "How do I sponsor someone, not only advise them?\n"
        "What did my best mentors do that I can do too?",
        "Your program's mentoring guidelines; a mentoring agreement template.",
    ),
)
