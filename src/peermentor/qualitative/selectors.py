"""Reads of the qualitative workbench.

``report_findings`` is what the program evaluation report takes from the workbench: themes with
the number of respondents whose answers carry one of their codes, and the quotes an evaluator has
published — never an unpublished quote, never a name (sources are pseudonymised when brought in).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch

from peermentor.programs.models import Program
from peermentor.qualitative.models import Coder, CodingRound, Exemplar, Segment, Theme


@dataclass
class ThemeFinding:
    """A theme as the report shows it."""

    name: str
    description: str
    polarity: str
    code_names: list[str]
    respondents: int
    quotes: list[tuple[str, str]] = field(default_factory=list)  # (respondent code, quote)


@dataclass
class Findings:
    """Themes by polarity and how the coding was done, for the report's methods and results."""

    benefits: list[ThemeFinding]
    undesirable: list[ThemeFinding]
    other: list[ThemeFinding]
    coders: list[str]
    rounds: int
    sources: int


def _respondents_by_code(program: Program, since: dt.date | None, until: dt.date | None) -> dict:
    segments = Segment.objects.filter(source__program=program)
    if since is not None:
        segments = segments.filter(source__wave__closes_on__gte=since)
    if until is not None:
        segments = segments.filter(source__wave__opens_on__lte=until)
    respondents: dict[int, set[str]] = defaultdict(set)
    for code_id, source_id, respondent in segments.values_list(
        "code_id", "source_id", "source__respondent"
    ).distinct():
        # A respondent code is unique within a wave; sources without one count on their own.
        respondents[code_id].add(respondent or f"source-{source_id}")
    return respondents


def report_findings(
    *, program: Program, since: dt.date | None = None, until: dt.date | None = None
) -> Findings:
    """Themes of the program with respondent counts and published quotes (constant queries)."""
    by_code = _respondents_by_code(program, since, until)
    themes = Theme.objects.filter(program=program).prefetch_related(
        "codes",
        Prefetch("exemplars", queryset=Exemplar.objects.filter(published=True)),
    )
    findings: dict[str, list[ThemeFinding]] = defaultdict(list)
    for theme in themes:
        codes = list(theme.codes.all())
        respondents: set[str] = set()
        for code in codes:
            respondents |= by_code.get(code.pk, set())
        findings[theme.polarity].append(
            ThemeFinding(
                name=theme.name,
                description=theme.description,
                polarity=theme.polarity,
                code_names=[code.name for code in codes],
                respondents=len(respondents),
                quotes=[(e.respondent, e.quote) for e in theme.exemplars.all()],
            )
        )
    coders = list(
        Coder.objects.filter(program=program, segments__isnull=False)
        .distinct()
        .values_list("name", flat=True)
    )
    return Findings(
        benefits=findings["benefit"],
        undesirable=findings["undesirable"],
        other=findings["neutral"],
        coders=coders,
        rounds=CodingRound.objects.filter(program=program).count(),
        sources=program.coding_sources.count(),
    )
