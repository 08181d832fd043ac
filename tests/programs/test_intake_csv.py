"""The intake CSV: good files become applicants, bad ones an error naming the line and column."""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peermentor.programs.formation import Applicant
from peermentor.programs.intake_csv import MAX_BYTES, IntakeError, parse_intake, read_intake

HEADER = "id,career_stage,department,interests,availability,exclude,balance:gender,balance:urim\n"
GOOD = HEADER + (
    "ana,senior,Psychiatry,assessment; simulation,Tue07;thu12,,woman,no\n"
    "ben,junior,Surgery,feedback,Mon18,ana,man,yes\n"
    "cy,Junior,,,,,prefer not to say,\n"
)


def parse(text: str) -> list[Applicant]:
    return parse_intake(text.encode("utf-8"))


def error_of(data: str | bytes) -> IntakeError:
    with pytest.raises(IntakeError) as caught:
        parse_intake(data.encode("utf-8") if isinstance(data, str) else data)
    return caught.value


def test_a_good_file_becomes_applicants() -> None:
    ana, ben, cy = parse(GOOD)
    assert ana == Applicant(
        id="ana",
        senior=True,
        department="Psychiatry",
        interests=frozenset({"assessment", "simulation"}),
        availability=frozenset({"Tue07", "Thu12"}),
        exclude=frozenset(),
        balance={"gender": "woman", "urim": "no"},
    )
    assert ben.exclude == frozenset({"ana"})
    assert not cy.senior
    assert cy.interests == cy.availability == frozenset()
    assert cy.balance == {"gender": "prefer not to say", "urim": ""}


def test_header_names_ignore_case_spaces_and_extra_columns() -> None:
    text = (
        "Timestamp, ID ,Career_Stage,Department,Interests,Availability,Exclude, Balance: Gender\n"
    )
    text += "2025-01-06,ana,senior,Psychiatry,writing,Wed09,,woman\n"
    (ana,) = parse(text)
    assert ana.balance == {"gender": "woman"}
    assert ana.availability == frozenset({"Wed09"})


def test_the_utf8_byte_order_mark_that_excel_writes_is_accepted() -> None:
    assert parse_intake(codecs.BOM_UTF8 + GOOD.encode("utf-8"))[0].id == "ana"


def test_a_utf16_file_is_refused_on_line_one() -> None:
    error = error_of(codecs.BOM_UTF16_LE + GOOD.encode("utf-16-le"))
    assert (error.line, error.column) == (1, None)
    assert "UTF-16" in str(error)


def test_bytes_that_are_not_utf8_are_refused_with_their_line() -> None:
    error = error_of(GOOD.encode("utf-8") + b"dee,junior,Caf\xe9,,,,,\n")
    assert error.line == 5
    assert "not UTF-8" in str(error)


@pytest.mark.parametrize("text", ["", "\n\n", "  \r\n"])
def test_an_empty_file_is_refused(text: str) -> None:
    error = error_of(text)
    assert error.line == 1
    assert "empty" in str(error)


def test_a_header_without_rows_is_refused() -> None:
    assert error_of(HEADER).line == 2


def test_missing_columns_are_named() -> None:
    error = error_of("id,career_stage,department,interests\nana,senior,Psychiatry,writing\n")
    assert error.line == 1
    assert "missing columns: availability, exclude" in str(error)


def test_a_repeated_column_is_refused() -> None:
    error = error_of(HEADER.strip() + ",Department\n")
    assert (error.line, error.column) == (1, "department")


def test_an_unknown_slot_names_line_and_column() -> None:
    error = error_of(GOOD + "dee,junior,Radiology,writing,Tue7,,man,no\n")
    assert (error.line, error.column) == (5, "availability")
    assert "'Tue7'" in str(error)
    assert str(error).startswith("line 5, column 'availability': unknown slot")


@pytest.mark.parametrize("slot", ["Xyz09", "Mon24", "Monday09", "09Mon", "Mon-09"])
def test_slots_must_be_a_weekday_and_an_hour(slot: str) -> None:
    assert error_of(GOOD + f"dee,junior,Radiology,,{slot},,,\n").column == "availability"


def test_a_repeated_id_points_at_the_second_row() -> None:
    error = error_of(GOOD + "ben,junior,Radiology,,,,,\n")
    assert (error.line, error.column) == (5, "id")
    assert "already used on line 3" in str(error)


def test_an_exclusion_of_an_unknown_id_is_refused() -> None:
    error = error_of(GOOD + "dee,junior,Radiology,,,ana;zed,,\n")
    assert (error.line, error.column) == (5, "exclude")
    assert "'zed'" in str(error)


def test_a_self_exclusion_is_refused() -> None:
    assert error_of(GOOD + "dee,junior,Radiology,,,dee,,\n").column == "exclude"


def test_an_unknown_career_stage_is_refused() -> None:
    error = error_of(GOOD + "dee,fellow,Radiology,,,,,\n")
    assert (error.line, error.column) == (5, "career_stage")


def test_an_empty_id_is_refused() -> None:
    assert error_of(GOOD + ",junior,Radiology,,,,,\n").column == "id"


def test_a_short_row_is_refused_with_its_line() -> None:
    error = error_of(GOOD + "dee,junior\n")
    assert error.line == 5
    assert "2 fields but the header has 8" in str(error)


def test_line_numbers_count_lines_inside_quoted_cells() -> None:
    text = HEADER + 'ana,senior,Psychiatry,"writing;\nsimulation",Tue07,,woman,no\n'
    text += "ben,junior,Surgery,feedback,Mon25,,man,yes\n"
    assert error_of(text).line == 4


def test_blank_lines_are_skipped_but_still_counted() -> None:
    text = HEADER + "\nana,senior,Psychiatry,,,,,\n\nben,junior,Surgery,,Sun99,,,\n"
    assert error_of(text).line == 5


def test_an_oversized_file_is_refused() -> None:
    assert "larger than" in str(error_of(b"x" * (MAX_BYTES + 1)))


def test_read_intake_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "intake.csv"
    path.write_bytes(codecs.BOM_UTF8 + GOOD.encode("utf-8"))
    assert [a.id for a in read_intake(path)] == ["ana", "ben", "cy"]


# --- Round trip -----------------------------------------------------------------------------

WORDS = st.text(st.characters(codec="utf-8", exclude_characters=";\r\n\x00"), max_size=12).map(
    str.strip
)
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
SLOT_NAMES = [f"{day}{hour:02d}" for day in DAYS for hour in (0, 9, 23)]


@st.composite
def applicant_lists(draw: st.DrawFn) -> list[Applicant]:
    ids = draw(st.lists(WORDS.filter(bool), min_size=1, max_size=6, unique=True))
    return [
        Applicant(
            id=pid,
            senior=draw(st.booleans()),
            department=draw(WORDS),
            interests=frozenset(draw(st.lists(WORDS.filter(bool), max_size=3))),
            availability=frozenset(draw(st.lists(st.sampled_from(SLOT_NAMES), max_size=4))),
            exclude=frozenset(draw(st.lists(st.sampled_from(ids), max_size=2)) or ()) - {pid},
            balance={"gender": draw(WORDS)},
        )
        for pid in ids
    ]


def write(applicants: list[Applicant]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*HEADER.strip().split(",")[:6], "balance:gender"])
    for a in applicants:
        writer.writerow(
            [a.id, "senior" if a.senior else "junior", a.department, ";".join(sorted(a.interests)),
             ";".join(sorted(a.availability)), ";".join(sorted(map(str, a.exclude))),
             a.balance["gender"]]
        )  # fmt: skip
    return out.getvalue().encode("utf-8")


@settings(max_examples=40, deadline=None)
@given(applicant_lists())
def test_what_is_written_is_read_back(applicants: list[Applicant]) -> None:
    assert parse_intake(write(applicants)) == applicants
