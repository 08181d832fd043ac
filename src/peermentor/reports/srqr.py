"""The appendix of the report: the 21 items of the Standards for Reporting Qualitative Research
(O'Brien et al., 2014), in PeerMentor's own words, filled in from what PeerMentor knows.

Pure module: no Django import. It reads the report's plain content and answers each item it
can; the rest say they are for the authors to complete.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

TO_COMPLETE = "To be completed by the authors."

Content = dict[str, Any]


def _context(c: Content) -> str:
    about = c["description"]
    years = (
        f"{about['first_year']}–{about['last_year']}" if about["first_year"] else "no meetings yet"
    )
    groups = len(about["groups"])
    return (
        f"{c['program']}: {groups} peer mentoring group{'s' * (groups != 1)} meeting "
        f"{years}, formats and agendas decided by the members."
    )


def _sampling(c: Content) -> str | None:
    m = c["methods"]
    if not m["invited"]:
        return None
    return f"Every member of the groups surveyed was invited: {m['invited']} invitations."


def _collection(c: Content) -> str | None:
    waves = c["methods"]["waves"]
    if not waves:
        return None
    return "; ".join(f"{w['title']} ({w['opens_on']} to {w['closes_on']})" for w in waves) + "."


def _instruments(c: Content) -> str | None:
    names = c["methods"]["instruments"]
    return ("Open-ended questionnaires: " + "; ".join(names) + ".") if names else None


def _units(c: Content) -> str:
    people = c["description"]["people"]
    return (
        f"{people['people']} members ({people['junior']} junior, {people['senior']} senior); "
        f"{c['methods']['answered']} questionnaires answered."
    )


def _processing(c: Content) -> str | None:
    sources = c["methods"]["sources"]
    if not sources:
        return None
    return (
        f"{sources} answers were brought into the coding workbench under pseudonyms; "
        "no names reach the evaluators."
    )


def _analysis(c: Content) -> str | None:
    m = c["methods"]
    if not m["codes"]:
        return None
    return (
        f"A codebook of {m['codes']} codes applied in {m['rounds']} coding "
        f"round{'s' * (m['rounds'] != 1)}; codes grouped into {m['themes']} themes "
        "(benefits, undesirable or unintended outcomes)."
    )


def _trustworthiness(c: Content) -> str | None:
    m = c["methods"]
    if m["coders"] < 2:
        return None
    text = f"{m['coders']} coders coded the answers"
    figures = [f for r in m["agreement"]["rounds"] for f in r["figures"]]
    if figures:
        text += "; agreement: " + ", ".join(f"{name} {value}" for name, value in figures[:4])
    return text + "."


def _synthesis(c: Content) -> str | None:
    names = [t["name"] for t in c["benefits"] + c["undesirable"]]
    return ("Themes: " + "; ".join(names) + ".") if names else None


def _links(c: Content) -> str | None:
    quotes = sum(len(t["quotes"]) for t in c["benefits"] + c["undesirable"] + c["other_themes"])
    return f"{quotes} quotes published by the evaluator illustrate the themes." if quotes else None


def _purpose(c: Content) -> str:
    return (
        "To describe the benefits and the undesirable or unintended outcomes of the peer "
        "mentoring program as its members report them, with retention, attendance, "
        "productivity and collaboration."
    )


ITEMS: list[tuple[str, Callable[[Content], str | None] | None]] = [
    ("A title that says the study is qualitative and names its approach", None),
    ("A summary of background, purpose, methods, results and conclusions", None),
    ("Why the problem matters: what is known and what is missing", None),
    ("The aim of the study or the questions it answers", _purpose),
    ("The qualitative approach chosen and the view of knowledge behind it", None),
    ("Who the researchers are and how they may have shaped the work", None),
    ("The setting and the circumstances of the study", _context),
    ("How participants were chosen, and why", _sampling),
    ("Ethics approval, consent and protection of participants", None),
    ("How, when and how often the data were gathered", _collection),
    ("The instruments used to gather data, and any changes to them", _instruments),
    ("Who or what was studied, how many, and what they were like", _units),
    ("How the data were prepared for analysis, including de-identification", _processing),
    ("How codes and themes were found and developed", _analysis),
    ("What was done to make the findings credible", _trustworthiness),
    ("The main findings and how they fit together", _synthesis),
    ("Evidence from the data, such as quotes, for each finding", _links),
    ("How the findings relate to earlier work, and where else they may hold", None),
    ("What limits the findings", None),
    ("Possible conflicts of interest and how they were handled", None),
    ("Who funded the work and what part they played", None),
]


def srqr_items(content: Content) -> list[dict[str, Any]]:
    """The 21 items, numbered, each with PeerMentor's answer or a note for the authors."""
    rows = []
    for number, (title, answer) in enumerate(ITEMS, start=1):
        text = answer(content) if answer else None
        rows.append(
            {"number": number, "title": title, "text": text or TO_COMPLETE, "filled": bool(text)}
        )
    return rows
