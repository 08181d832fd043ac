"""Qualtrics imports: three-row and legacy headers, dropped metadata, real sample, hostile files."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peermentor.surveys.qualtrics import FORMAT, LEGACY_FORMAT, read_qualtrics
from peermentor.surveys.records import (
    MULTIPLE_CHOICE,
    NUMBER,
    OPEN_TEXT,
    SINGLE_CHOICE,
    ReadLimits,
    SurveyFileError,
)

GERMAN = "qualtrics_3header_german_labels.csv"
PRIVATE = (
    "StartDate",
    "EndDate",
    "IPAddress",
    "RecordedDate",
    "RecipientLastName",
    "RecipientFirstName",
    "RecipientEmail",
    "ExternalReference",
    "LocationLatitude",
    "LocationLongitude",
)


def sample(name: str) -> bytes:
    """A Qualtrics sample file from $PEERMENTOR_SAMPLES, or a skip when the folder is not set."""
    folder = os.environ.get("PEERMENTOR_SAMPLES")
    if not folder:
        pytest.skip("PEERMENTOR_SAMPLES is not set")
    return (Path(folder) / "samples" / "qualtrics" / name).read_bytes()


def three_rows(*answers: str, extra: str = "") -> bytes:
    """A small current-format export: metadata, a choice, a text entry, a multi-select."""
    names = "StartDate,IPAddress,Status,ResponseId,RecipientEmail,Finished,Q1,Q2,Q3,Q4,staff_id"
    labels = "Start,IP,Status,Response ID,Email,Done,Satisfied?,What helped?,Barriers,Hours,Staff"
    ids = ",".join(
        f'"{{""ImportId"":""{value}""}}"'
        for value in (
            "startDate",
            "ipAddress",
            "status",
            "_recordId",
            "recipientEmail",
            "finished",
            "QID1",
            "QID2_TEXT",
            "QID3",
            "QID4",
            "staff_id",
        )
    )
    return "\n".join([names, labels, ids, *answers]).encode() + extra.encode()


ANSWER = '2024-01-01,10.0.0.1,0,R_a,a@b.org,1,4,"Time, and peers","1,3",2.5,S9'


# -- The real sample --------------------------------------------------------------------------


def test_every_qualtrics_sample_is_read() -> None:
    sample(GERMAN)
    folder = Path(os.environ["PEERMENTOR_SAMPLES"]) / "samples" / "qualtrics"
    assert [path.name for path in folder.iterdir()] == [GERMAN]


def test_german_sample_keeps_questions_and_drops_metadata() -> None:
    result = read_qualtrics(sample(GERMAN), GERMAN)
    assert result.format == FORMAT
    assert [(q.key, q.type) for q in result.questions] == [("Q1", SINGLE_CHOICE), ("Q2", OPEN_TEXT)]
    assert result.questions[0].label == "This is a multiple choice question."
    assert result.questions[1].label == "This is a free text question."
    (response,) = result.responses
    assert response.row == 4
    assert response.respondent_key == "R_2YPOQ602ER1jkf1"
    assert response.answers == {"Q1": "2", "Q2": "Hello World!"}
    assert response.context == {"finished": "1"}
    for column in (*PRIVATE, "DistributionChannel", "UserLanguage", "Q2 - Topics"):
        assert column in result.dropped_columns
    assert "130.92.34.66" not in repr(result)
    assert "47.115097045898" not in repr(result)
    assert result.errors == []


def test_german_labels_of_metadata_do_not_become_questions() -> None:
    result = read_qualtrics(sample(GERMAN), GERMAN)
    labels = [q.label for q in result.questions]
    assert "IP-Adresse" not in labels
    assert "Breitengrad des Standorts" not in labels


# -- Shapes built here ------------------------------------------------------------------------


def test_current_export_types_answers_and_privacy() -> None:
    result = read_qualtrics(three_rows(ANSWER))
    by_key = {q.key: q for q in result.questions}
    assert list(by_key) == ["Q1", "Q2", "Q3", "Q4"]
    assert by_key["Q1"].type == SINGLE_CHOICE
    assert by_key["Q2"].type == OPEN_TEXT
    assert by_key["Q3"].type == MULTIPLE_CHOICE
    assert by_key["Q3"].choices == (("1", "1"), ("3", "3"))
    assert by_key["Q4"].type == NUMBER
    response = result.responses[0]
    assert response.answers == {"Q1": "4", "Q2": "Time, and peers", "Q3": ("1", "3"), "Q4": 2.5}
    assert set(result.dropped_columns) >= {"IPAddress", "RecipientEmail", "staff_id"}
    assert "a@b.org" not in repr(result)
    assert "S9" not in repr(result)


def test_previews_are_skipped_with_a_warning() -> None:
    preview = "2024-01-01,10.0.0.1,1,R_b,,1,2,Testing,,,"
    result = read_qualtrics(three_rows(ANSWER, preview))
    assert [r.respondent_key for r in result.responses] == ["R_a"]
    assert result.warnings == ["row 5 skipped: a survey preview, test or spam"]


def test_legacy_two_row_export() -> None:
    data = (
        b"V1,V2,V3,V4,V5,V6,V7,V8,V9,V10,Q1,Q2,Q3_TEXT,Email\n"
        b"ResponseID,ResponseSet,Name,ExternalDataReference,EmailAddress,IPAddress,Status,"
        b"StartDate,EndDate,Finished,Rate it,What changed?,Other,Your e-mail\n"
        b'R_1,Default,"Doe, Jane",,jd@x.org,1.2.3.4,0,2020-01-01,2020-01-01,1,3,'
        b'"More papers, fewer meetings",12,jd@x.org\n'
        b"R_2,Default,,,,,0,,,0,5,Nothing,,\n"
    )
    result = read_qualtrics(data, "legacy.csv")
    assert result.format == LEGACY_FORMAT
    assert [(q.key, q.type, q.label) for q in result.questions] == [
        ("Q1", SINGLE_CHOICE, "Rate it"),
        ("Q2", OPEN_TEXT, "What changed?"),
        ("Q3_TEXT", OPEN_TEXT, "Other"),
    ]
    assert result.responses[0].respondent_key == "R_1"
    assert result.responses[0].answers["Q2"] == "More papers, fewer meetings"
    assert result.responses[0].answers["Q3_TEXT"] == "12"
    assert result.responses[1].context == {"finished": "0"}
    assert "Email" in result.dropped_columns
    assert "jd@x.org" not in repr(result)
    assert "Doe" not in repr(result)


def test_bom_is_ignored() -> None:
    result = read_qualtrics(b"\xef\xbb\xbf" + three_rows(ANSWER))
    assert result.responses[0].respondent_key == "R_a"


def test_duplicate_and_blank_response_ids_are_errors() -> None:
    blank = "2024-01-01,10.0.0.1,0,,,1,2,x,,,"
    result = read_qualtrics(three_rows(ANSWER, ANSWER, blank))
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (5, "ResponseId", "this ResponseId appears twice"),
        (6, "ResponseId", "the ResponseId is blank"),
    ]


def test_ragged_row_is_reported_with_its_number() -> None:
    result = read_qualtrics(three_rows(ANSWER, "2024-01-01,1"))
    assert str(result.errors[0]) == "row 5: row 5 has 2 columns, the header has 11"


def test_file_without_response_id_is_refused() -> None:
    with pytest.raises(SurveyFileError, match="no ResponseId column") as caught:
        read_qualtrics(b"name,answer\nAnn,Yes\n", "other.csv")
    assert (caught.value.file, caught.value.row, caught.value.column) == (
        "other.csv",
        1,
        "ResponseId",
    )


def test_broken_import_id_row_is_refused_naming_the_column() -> None:
    data = b'ResponseId,Q1\nResponse ID,Question\n{"ImportId":"_recordId"},{not json\n'
    with pytest.raises(SurveyFileError) as caught:
        read_qualtrics(data, "q.csv")
    assert (caught.value.row, caught.value.column) == (3, "Q1")


# -- Hostile files ----------------------------------------------------------------------------


def test_formula_answers_stay_text() -> None:
    answer = "2024-01-01,10.0.0.1,0,R_a,,1,4,\"=cmd|' /C calc'!A0\",,,"
    result = read_qualtrics(three_rows(answer))
    assert result.responses[0].answers["Q2"] == "=cmd|' /C calc'!A0"


def test_latin1_file_is_read_with_a_warning() -> None:
    data = three_rows(ANSWER.replace("Time", "Zeit für"))
    result = read_qualtrics(data.decode().encode("latin-1"), "q.csv")
    assert result.responses[0].answers["Q2"] == "Zeit für, and peers"
    assert "not UTF-8" in result.warnings[0]


def test_row_cap_counts_answers_not_header_rows() -> None:
    assert len(read_qualtrics(three_rows(ANSWER), limits=ReadLimits(max_rows=1)).responses) == 1
    with pytest.raises(SurveyFileError, match="more than 1 rows"):
        read_qualtrics(
            three_rows(ANSWER, ANSWER.replace("R_a", "R_b")), limits=ReadLimits(max_rows=1)
        )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "two or three header rows"),
        (b"ResponseId\n", "two or three header rows"),
        (b"PK\x03\x04rest", "Excel workbook"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
    ],
)
def test_empty_short_and_binary_files_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(SurveyFileError, match=message):
        read_qualtrics(data, "q.csv")


def test_huge_field_is_refused() -> None:
    data = three_rows(ANSWER.replace("Time", "x" * 200_000))
    with pytest.raises(SurveyFileError, match="longer than") as caught:
        read_qualtrics(data, "q.csv")
    assert caught.value.row == 4


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
def test_random_input_never_raises_anything_but_survey_file_error(data: bytes) -> None:
    for attempt in (data, three_rows() + b"\n" + data, b"ResponseId,Q1\nID,Q\n" + data):
        with contextlib.suppress(SurveyFileError):
            read_qualtrics(attempt)
