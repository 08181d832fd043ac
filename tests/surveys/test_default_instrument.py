"""The default evaluation instrument, and instruments read from CSV."""

from __future__ import annotations

import contextlib
import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peermentor.surveys.default_instrument import (
    DEFAULT_INSTRUMENT,
    INSTRUMENT_COLUMNS,
    TITLE,
    read_instrument_csv,
)
from peermentor.surveys.records import (
    LIKERT,
    MULTIPLE_CHOICE,
    OPEN_TEXT,
    QuestionRecord,
    SurveyFileError,
)


def instrument_csv(questions: list[QuestionRecord]) -> bytes:
    """Questions written in the instrument CSV layout."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(INSTRUMENT_COLUMNS)
    for question in questions:
        choices = "|".join(f"{code}={label}" for code, label in question.choices)
        writer.writerow([question.section, question.key, question.type, question.label, choices])
    return buffer.getvalue().encode()


def test_default_instrument_has_three_open_sections_and_optional_ratings() -> None:
    assert DEFAULT_INSTRUMENT.title == TITLE == "Peer mentoring group evaluation"
    benefits, difficulties, career, ratings = DEFAULT_INSTRUMENT.sections
    assert "Benefits" in benefits.title
    assert "Undesirable or unintended" in difficulties.title
    assert "career" in career.title.lower()
    for section in (benefits, difficulties, career):
        assert not section.optional
        assert 3 <= len(section.questions) <= 4
        assert all(q.type == OPEN_TEXT and q.section == section.key for q in section.questions)
    assert ratings.optional


def test_ratings_are_labelled_five_point_scales_and_a_barrier_list() -> None:
    satisfaction, recommend, barriers = DEFAULT_INSTRUMENT.sections[3].questions
    for question in (satisfaction, recommend):
        assert question.type == LIKERT
        assert [code for code, _ in question.choices] == ["1", "2", "3", "4", "5"]
        assert all(label for _, label in question.choices)
    assert satisfaction.choice_label("5") == "Very satisfied"
    assert barriers.type == MULTIPLE_CHOICE
    assert [label for _, label in barriers.choices] == [
        "Clinical duties",
        "Teaching duties",
        "The meeting time",
        "Family commitments",
        "Other",
    ]


def test_default_keys_are_unique_and_questions_end_in_a_question_or_full_stop() -> None:
    questions = DEFAULT_INSTRUMENT.questions()
    assert len({q.key for q in questions}) == len(questions) == 15
    assert all(q.label.endswith(("?", ".")) for q in questions)


def test_default_instrument_round_trips_through_csv() -> None:
    questions = DEFAULT_INSTRUMENT.questions()
    assert read_instrument_csv(instrument_csv(questions)) == questions


def test_licensed_items_can_be_added_from_csv() -> None:
    data = (
        "Section,Key,Type,Label,Choices\r\n"
        'licensed,lic_1,likert,"Item text, under licence",'
        '"1=Never|2=Rarely|3=Sometimes|4=Often|5=Always, or nearly"\r\n'
        "licensed,lic_2,open_text,Anything else?,\r\n"
        "licensed,lic_3,number,Hours per month,\r\n"
    ).encode("utf-8-sig")
    first, second, third = read_instrument_csv(data)
    assert first == QuestionRecord(
        "lic_1",
        "Item text, under licence",
        LIKERT,
        (
            ("1", "Never"),
            ("2", "Rarely"),
            ("3", "Sometimes"),
            ("4", "Often"),
            ("5", "Always, or nearly"),
        ),
        "licensed",
    )
    assert second.type == OPEN_TEXT
    assert third.type == "number"


def test_every_problem_is_reported_with_its_row() -> None:
    data = (
        b"section,key,type,label,choices\n"
        b"s,Bad Key,open_text,Fine,\n"
        b"s,ok,essay,Fine,\n"
        b"s,pick,single_choice,Pick,1=A\n"
        b"s,text,open_text,Talk,1=A|2=B\n"
        b"s,dup,open_text,One,\n"
        b"s,dup,open_text,Two,\n"
        b"s,codes,likert,Rate,1=A|1=B|x\n"
        b"s,blank,open_text,,\n"
        b"s,loose,single_choice,Sure?,1=Yes, quite|2=No\n"
    )
    with pytest.raises(SurveyFileError) as caught:
        read_instrument_csv(data, "licensed.csv")
    error = caught.value
    assert (error.file, error.row, error.column) == ("licensed.csv", 2, "key")
    text = str(error)
    for expected in (
        "row 2, key:",
        "row 3, type: use one of open_text",
        "row 4, choices: a single_choice question needs its choices",
        "row 5, choices: a open_text question takes no choices",
        "row 7, key: the key dup is used twice",
        "row 8, choices: “x” should read code=label",
        "row 8, choices: two choices share a code",
        "row 9, label: the question has no text",
        "row 10, choices: the row has 6 columns, the header 5",
    ):
        assert expected in text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"section,key,type,label\n", "should name the columns"),
        (b"section,key,type,label,choices\n", "lists no questions"),
        (b"\x00\x00binary", "binary"),
    ],
)
def test_unusable_files_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(SurveyFileError, match=message):
        read_instrument_csv(data)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_random_input_never_raises_anything_but_survey_file_error(data: bytes) -> None:
    for attempt in (data, b"section,key,type,label,choices\n" + data):
        with contextlib.suppress(SurveyFileError):
            read_instrument_csv(attempt)
