"""Survey imports into waves: REDCap, Qualtrics and tables, all or nothing, and the command."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from peermentor.surveys import services
from peermentor.surveys.models import Answer, Instrument, Response, Wave
from peermentor.surveys.reading import read_survey
from peermentor.surveys.records import SurveyFileError
from tests.conftest import World, client_for
from tests.surveys.survey_fixtures import open_wave


def sample_path(folder: str, name: str) -> Path:
    """A sample file from $PEERMENTOR_SAMPLES, or a skip when the folder is not set."""
    root = os.environ.get("PEERMENTOR_SAMPLES")
    if not root:
        pytest.skip("PEERMENTOR_SAMPLES is not set")
    return Path(root) / "samples" / folder / name


def _redcap(data: str, dictionary: str) -> Any:
    return read_survey(
        sample_path("redcap", data).read_bytes(),
        data,
        dictionary=sample_path("redcap", dictionary).read_bytes(),
        dictionary_name=dictionary,
    )


@pytest.mark.parametrize(
    ("data", "dictionary"),
    [
        ("survey_data.csv", "survey_dictionary.csv"),
        ("checkboxes_data.csv", "checkboxes_dictionary.csv"),
        ("repeating_data.csv", "repeating_dictionary.csv"),
    ],
)
def test_redcap_samples_import_into_a_new_wave(world: World, data: str, dictionary: str) -> None:
    result = _redcap(data, dictionary)
    summary = services.survey_import(
        program=world.program, result=result, filename=data, actor=world.evaluator
    )
    assert summary.responses == len(result.responses) == Response.objects.count()
    assert summary.wave.imported_from == data
    assert Response.objects.filter(respondent__isnull=False).count() == 0


def test_a_redcap_sample_with_bad_cells_saves_nothing(world: World) -> None:
    result = _redcap("simple_data.csv", "simple_dictionary.csv")
    with pytest.raises(services.SurveyError, match=r"simple_data\.csv, row 2, column sex"):
        services.survey_import(
            program=world.program, result=result, filename="simple_data.csv", actor=None
        )
    assert not Response.objects.exists()
    assert not Wave.objects.exists()
    assert not Instrument.objects.exists()


def test_a_qualtrics_sample_imports(world: World) -> None:
    path = sample_path("qualtrics", "qualtrics_3header_german_labels.csv")
    result = read_survey(path.read_bytes(), path.name)
    assert result.format == "qualtrics"
    summary = services.survey_import(
        program=world.program, result=result, filename=path.name, actor=world.evaluator
    )
    assert summary.responses == 1


def test_a_redcap_file_with_the_wrong_dictionary_is_refused(world: World) -> None:
    with pytest.raises(SurveyFileError) as error:
        _redcap("dag_data.csv", "simple_dictionary.csv")
    assert "dag_data.csv" in str(error.value)
    assert error.value.column


def test_a_ragged_row_saves_nothing(world: World) -> None:
    data = b"benefits_gains,ratings_satisfaction\nGood,4\nToo,many,cells\nFine,5\n"
    wave = open_wave(world)
    questions_before = Instrument.objects.count()
    result = read_survey(data, "answers.csv", questions=None)
    with pytest.raises(services.SurveyError, match=r"answers\.csv, row 3"):
        services.survey_import(
            program=world.program, result=result, filename="answers.csv", actor=None, wave=wave
        )
    assert not Response.objects.exists()
    assert Instrument.objects.count() == questions_before


def test_a_table_maps_columns_to_the_wave_by_key(world: World) -> None:
    wave = open_wave(world)
    questions = [services_record(q) for q in wave.instrument.questions.all()]
    data = b"benefits_gains,ratings_satisfaction,email\nMore writing,4,a@b.org\n,5,c@d.org\n"
    result = read_survey(data, "answers.csv", questions=questions)
    summary = services.survey_import(
        program=world.program, result=result, filename="answers.csv", actor=None, wave=wave
    )
    assert summary.responses == 2
    assert sorted(Answer.objects.values_list("question__key", flat=True)) == [
        "benefits_gains", "ratings_satisfaction", "ratings_satisfaction",
    ]  # fmt: skip
    assert "a@b.org" not in str(list(Answer.objects.values_list("text", flat=True)))


def services_record(question: Any) -> Any:
    from peermentor.surveys.records import QuestionRecord

    return QuestionRecord(
        question.key, question.label, question.type, tuple(tuple(c) for c in question.choices)
    )


def test_a_file_whose_questions_the_wave_lacks_saves_nothing(world: World) -> None:
    wave = open_wave(world)
    result = read_survey(b"unknown_question\nhello\n", "other.csv")
    with pytest.raises(services.SurveyError, match=r"other\.csv, row 1, column unknown_question"):
        services.survey_import(
            program=world.program, result=result, filename="other.csv", actor=None, wave=wave
        )
    assert not Response.objects.exists()


def test_the_command_prints_the_json_summary(world: World) -> None:
    data = sample_path("redcap", "survey_data.csv")
    out = io.StringIO()
    call_command(
        "import-survey", str(data), "--dictionary",
        str(sample_path("redcap", "survey_dictionary.csv")), "--dry-run", "--json", stdout=out,
    )  # fmt: skip
    report = json.loads(out.getvalue())
    assert set(report) == {"format", "questions", "responses", "open_text_answers", "errors"}
    assert report["format"] == "redcap"
    assert set(report["questions"][0]) == {"key", "label", "type", "choices"}
    assert report["responses"] > 0
    assert report["errors"] == []
    assert not Response.objects.exists()


def test_the_command_saves_into_a_wave(world: World, tmp_path: Path) -> None:
    wave = open_wave(world)
    path = tmp_path / "answers.csv"
    path.write_text("benefits_gains\nIt helped\nIt did not\n", encoding="utf-8")
    call_command("import-survey", str(path), "--wave", str(wave.pk), stdout=io.StringIO())
    assert Response.objects.filter(wave=wave).count() == 2


@pytest.mark.parametrize(
    "content", [b"\x00\x01binary\xff", b"a,b\n1,2,3\n"], ids=["unreadable", "ragged"]
)
def test_the_command_fails_and_saves_nothing(world: World, tmp_path: Path, content: bytes) -> None:
    wave = open_wave(world)
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import-survey", str(path), "--wave", str(wave.pk), "--json", stdout=out)
    assert json.loads(out.getvalue())["errors"]
    assert not Response.objects.exists()
    assert Wave.objects.count() == 1


def test_the_import_page_imports_and_reports_problems(world: World) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(world.evaluator)
    url = reverse("survey_import", args=[world.program.slug])
    bad = client.post(url, {"file": SimpleUploadedFile("bad.csv", b"a,b\n1,2,3\n")})
    assert "Nothing was imported" in bad.content.decode()
    assert "bad.csv, row 2" in bad.content.decode()
    assert not Response.objects.exists()
    good = client.post(url, {"file": SimpleUploadedFile("good.csv", b"thoughts\nUseful\n")})
    assert good.status_code == 302
    assert not Response.objects.exists()  # a table goes through the column-mapping step first
    mapped = client.post(good["Location"], {"column_0": "new", "action": "import"})
    assert mapped.status_code == 302
    assert Response.objects.count() == 1
