"""The demo's workbench: close-out answers coded twice in a closed blind round, a consensus, and
one theme with a published quote per finding of the published evaluation."""

from __future__ import annotations

import pytest

from peermentor.demo.loader import load_demo
from peermentor.qualitative.models import Coder, CodingRound, Exemplar, Source, Theme
from peermentor.qualitative.selectors import report_findings
from peermentor.qualitative.selectors_coding import disagreements, round_agreement
from peermentor.qualitative.starter_codebook import starter_codebook

pytestmark = pytest.mark.django_db


def test_demo_answers_are_coded_by_two_people_who_sometimes_disagree() -> None:
    program = load_demo()
    sources = Source.objects.filter(program=program)
    assert sources.count() > 20
    assert not sources.filter(text__contains="Blair").exists(), "names are masked"
    coding_round = CodingRound.objects.get(program=program)
    assert (coding_round.blind, coding_round.is_open) == (True, False)
    assert {c.name for c in coding_round.coders.all()} == {
        "Robin Evaluator (demo)",
        "Sam Coder (demo)",
    }
    pooled = round_agreement(coding_round=coding_round, unit="answer").pooled
    kappa = next(f.value for f in pooled.figures if f.key == "cohen_kappa")
    assert 0.5 < kappa < 0.95, "realistic agreement: good, not perfect"
    assert len(disagreements(coding_round=coding_round)) >= 6
    consensus = Coder.objects.get(program=program, kind="consensus")
    assert consensus.segments.count() > 25

    names = [starter.name for starter in starter_codebook()]
    assert list(Theme.objects.filter(program=program).values_list("name", flat=True)) == names
    assert Exemplar.objects.filter(theme__program=program, published=True).count() == 14
    findings = report_findings(program=program)
    assert len(findings.benefits) == 7
    assert len(findings.undesirable) == 7
    assert all(theme.respondents >= 1 and theme.quotes for theme in findings.benefits)
    assert all(theme.respondents >= 1 and theme.quotes for theme in findings.undesirable)
