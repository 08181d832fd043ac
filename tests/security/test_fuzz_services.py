"""The service-level imports, fuzzed: a refused file leaves the database exactly as it was.

Fewer inputs than the reader fuzz (each one is a database transaction): 100 mutated files per
import, each either imported or refused with the service's own error; after a refusal, every
table the import writes has the rows it had before. A failure forced in the middle of a save
also leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest
from django.apps import apps
from hypothesis import given, settings

from peermentor.qualitative import exchange
from peermentor.scholarship import services as scholarship
from peermentor.scholarship.records import WorkFileError
from peermentor.surveys import services as surveys
from peermentor.surveys.reading import read_survey
from peermentor.surveys.records import SurveyFileError
from tests.conftest import World
from tests.security.fuzz_support import FUZZ, PER_EXAMPLE, Batch, inputs
from tests.security.test_fuzz_importers import GENERIC_CSV, QDPX, RIS

SERVICE_INPUTS = 100
SERVICE_FUZZ = settings(FUZZ, max_examples=SERVICE_INPUTS // PER_EXAMPLE)
THREE_WORKS = b"".join(
    RIS.replace(b"A study", title).replace(b"10.1000/xyz", doi)
    for title, doi in [
        (b"A study", b"10.1000/one"),
        (b"Mentoring at scale", b"10.1000/two"),
        (b"Peer groups and promotion", b"10.1000/three"),
    ]
)


def _counts(*labels: str) -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in labels}


def _all_or_nothing(
    seed: bytes, errors: tuple[type[BaseException], ...], call: Callable[[bytes], Any], *tables: str
) -> Batch:
    batch = Batch(errors)

    @SERVICE_FUZZ
    @given(inputs(seed))
    def run(files: list[bytes]) -> None:
        for data in files:
            before = _counts(*tables)
            refused_before = batch.refused
            batch.run(call, data)
            if batch.refused > refused_before:
                assert _counts(*tables) == before, "a refused import saved part of itself"

    run()
    return batch


SCHOLARSHIP_TABLES = (
    "scholarship.Work",
    "scholarship.Authorship",
    "scholarship.WorkSource",
    "scholarship.ImportBatch",
)
SURVEY_TABLES = (
    "surveys.Instrument",
    "surveys.Question",
    "surveys.Wave",
    "surveys.Response",
    "surveys.Answer",
)
WORKBENCH_TABLES = (
    "qualitative.Code",
    "qualitative.Source",
    "qualitative.Segment",
    "qualitative.Memo",
    "qualitative.Coder",
)


def test_works_import(world: World) -> None:
    def run(data: bytes) -> Any:
        return scholarship.works_import(
            data=data, filename="refs.ris", actor=world.member, members=[world.member]
        )

    batch = _all_or_nothing(THREE_WORKS, (WorkFileError,), run, *SCHOLARSHIP_TABLES)
    assert batch.calls == SERVICE_INPUTS
    assert batch.refused


def test_survey_import(world: World) -> None:
    def run(data: bytes) -> Any:
        result = read_survey(data, "answers.csv")
        return surveys.survey_import(
            program=world.program, result=result, filename="answers.csv", actor=world.evaluator
        )

    batch = _all_or_nothing(
        GENERIC_CSV, (SurveyFileError, surveys.SurveyError), run, *SURVEY_TABLES
    )
    assert batch.calls == SERVICE_INPUTS
    assert batch.refused


def test_workbench_import(world: World) -> None:
    def run(data: bytes) -> Any:
        return exchange.import_project(
            program=world.program, data=data, filename="project.qdpx", actor=world.evaluator
        )

    batch = _all_or_nothing(QDPX, (exchange.ExchangeError,), run, *WORKBENCH_TABLES)
    assert batch.calls == SERVICE_INPUTS
    assert batch.refused


@pytest.mark.django_db
def test_a_failure_in_the_middle_of_a_works_import_saves_nothing(world: World) -> None:
    real = scholarship._create_work
    made: list[Any] = []

    def second_fails(record: Any) -> Any:
        if made:
            raise RuntimeError("disk full")
        made.append(real(record))
        return made[-1]

    before = _counts(*SCHOLARSHIP_TABLES)
    with (
        mock.patch.object(scholarship, "_create_work", second_fails),
        pytest.raises(RuntimeError),
    ):
        scholarship.works_import(
            data=THREE_WORKS, filename="refs.ris", actor=world.member, members=[world.member]
        )
    assert made, "the first work was made before the failure"
    assert _counts(*SCHOLARSHIP_TABLES) == before
