"""REDCap imports: data exports read with their dictionaries, real samples and hostile files."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peermentor.surveys.records import (
    LIKERT,
    MULTIPLE_CHOICE,
    NUMBER,
    OPEN_TEXT,
    SINGLE_CHOICE,
    ReadLimits,
    SurveyFileError,
    SurveyImport,
)
from peermentor.surveys.redcap import (
    ODM_MESSAGE,
    dictionary_questions,
    read_redcap,
    read_redcap_dictionary,
)

LONG_HEADER = (
    '"Variable / Field Name","Form Name","Section Header","Field Type","Field Label",'
    '"Choices, Calculations, OR Slider Labels","Field Note",'
    '"Text Validation Type OR Show Slider Number","Text Validation Min","Text Validation Max",'
    'Identifier?,"Branching Logic (Show field only if...)","Required Field?"\n'
)
SHORT_HEADER = (
    "field_name,form_name,section_header,field_type,field_label,"
    "select_choices_or_calculations,field_note,text_validation_type_or_show_slider_number,"
    "text_validation_min,text_validation_max,identifier\n"
)
EVALUATION_DICTIONARY = (
    LONG_HEADER
    + "record_id,evaluation,,text,Record ID,,,,,,,,\n"
    + 'helped,evaluation,"<b>Benefits</b>",notes,"What helped you, if anything?",,,,,,,,\n'
    + 'agree,evaluation,,radio,"The group helped me","1, Strongly disagree | 2, Disagree | '
    + '3, Neutral | 4, Agree | 5, Strongly agree, mostly",,,,,,,\n'
    + 'sure,evaluation,,dropdown,"Sure?","1, Yes, quite sure | 2, No",,,,,,,\n'
    + 'why,evaluation,,checkbox,"Barriers","1, Clinical duties | 2, Teaching, grading | '
    + '-3, Other",,,,,,,\n'
    + "visits,evaluation,,text,Visits,,,number_comma_decimal,,,,,\n"
    + "mail,evaluation,,text,E-mail,,,email,,,,,\n"
    + "age,evaluation,,calc,Age,[x]+1,,,,,,,\n"
    + "intro,evaluation,,descriptive,Welcome,,,,,,,,\n"
)


def sample(name: str) -> bytes:
    """A REDCap sample file from $PEERMENTOR_SAMPLES, or a skip when the folder is not set."""
    folder = os.environ.get("PEERMENTOR_SAMPLES")
    if not folder:
        pytest.skip("PEERMENTOR_SAMPLES is not set")
    return (Path(folder) / "samples" / "redcap" / name).read_bytes()


def read_pair(data: str, dictionary: str) -> SurveyImport:
    return read_redcap(sample(data), sample(dictionary), data_name=data, dictionary_name=dictionary)


def evaluation(data: str) -> SurveyImport:
    return read_redcap(data.encode(), EVALUATION_DICTIONARY.encode())


# -- Every sample file ------------------------------------------------------------------------

# How each file in samples/redcap is used: imported with a dictionary, or rejected.
SAMPLE_OUTCOMES = {
    "checkboxes_data.csv": "imported with checkboxes_dictionary.csv",
    "checkboxes_dictionary.csv": "imported",
    "dag_data.csv": "rejected with simple_dictionary.csv: column first_name",
    "decimal_comma_data.csv": "rejected with simple_dictionary.csv: column name",
    "problematic_dictionary_bom.csv": "imported",
    "problematic_project_odm.xml": "rejected: project XML",
    "pycap_test_simple_project_odm.xml": "rejected: project XML",
    "repeating_data.csv": "imported with repeating_dictionary.csv",
    "repeating_dictionary.csv": "imported",
    "simple_data.csv": "imported with simple_dictionary.csv and simple_metadata_api.csv",
    "simple_dictionary.csv": "imported",
    "simple_metadata_api.csv": "imported",
    "survey_data.csv": "imported with survey_dictionary.csv",
    "survey_dictionary.csv": "imported",
}


def test_every_redcap_sample_has_a_stated_outcome() -> None:
    sample("simple_data.csv")
    folder = Path(os.environ["PEERMENTOR_SAMPLES"]) / "samples" / "redcap"
    assert sorted(path.name for path in folder.iterdir()) == sorted(SAMPLE_OUTCOMES)


@pytest.mark.parametrize(
    "name",
    [name for name in SAMPLE_OUTCOMES if name.endswith("dictionary.csv") or "metadata" in name],
)
def test_every_sample_dictionary_reads(name: str) -> None:
    fields = read_redcap_dictionary(sample(name), name)
    assert fields[0].name in ("record_id", "participant_id")
    assert all(field.label for field in fields)


def test_checkbox_columns_fold_into_one_answer() -> None:
    result = read_pair("checkboxes_data.csv", "checkboxes_dictionary.csv")
    assert [q.key for q in result.questions] == ["check_one", "check_two", "desired_result"]
    assert result.questions[0].type == MULTIPLE_CHOICE
    assert result.questions[1].choices[2] == ("c", "C")
    first, second, third, fourth = result.responses
    assert first.respondent_key == "1"
    assert first.answers["check_one"] == ("1",)
    assert first.answers["check_two"] == ("a", "c")
    assert "check_one" not in second.answers  # no box ticked: the sample says NA
    assert second.answers["check_two"] == ("b", "d")
    assert third.answers["check_one"] == ("1", "2", "3", "4")
    assert fourth.answers == {}
    assert result.errors == []
    assert result.dropped_columns == ["form_1_complete", "form_2_complete"]


def test_simple_project_keeps_answers_and_drops_identifiers() -> None:
    result = read_pair("simple_data.csv", "simple_dictionary.csv")
    assert [q.key for q in result.questions] == [
        "age",
        "sex",
        "height",
        "weight",
        "comments",
        "race",
        "ethnicity",
    ]
    by_key = {q.key: q for q in result.questions}
    assert by_key["comments"].type == OPEN_TEXT
    assert by_key["comments"].section == "General Comments"
    assert by_key["height"].type == NUMBER
    assert by_key["race"].choice_label("3") == "Native Hawaiian or Other Pacific Islander"
    assert len(result.responses) == 5
    first = result.responses[0]
    assert first.row == 2
    assert first.answers["comments"] == "Character in a book, with some guessing"
    assert first.answers["race"] == ("5",)
    assert result.responses[4].answers["height"] == pytest.approx(193.04)
    assert result.responses[4].answers["race"] == ("1", "6")
    for private in ("name_first", "name_last", "address", "telephone", "email", "dob"):
        assert private in result.dropped_columns
    answers = " ".join(str(v) for r in result.responses for v in r.answers.values())
    assert "Nutmouse" not in answers
    assert "mouse.com" not in answers


def test_simple_project_reports_values_that_are_not_choices() -> None:
    result = read_pair("simple_data.csv", "simple_dictionary.csv")
    # The sample stores Gender as TRUE/FALSE although its choices are 0 and 1.
    assert [(e.row, e.column) for e in result.errors] == [(n, "sex") for n in range(2, 7)]
    assert "“FALSE” is not one of the choices" in str(result.errors[0])


def test_api_metadata_spelling_reads_like_the_long_one() -> None:
    long = read_pair("simple_data.csv", "simple_dictionary.csv")
    short = read_pair("simple_data.csv", "simple_metadata_api.csv")
    # In the API metadata age is a calculated field, and calculated fields are not answers.
    assert [q for q in long.questions if q.key != "age"] == short.questions
    assert "age" in short.dropped_columns
    assert short.responses[1].answers["comments"] == "A mouse character from a good book"


def test_survey_project_uses_its_first_field_as_respondent_key() -> None:
    result = read_pair("survey_data.csv", "survey_dictionary.csv")
    assert [r.respondent_key for r in result.responses] == ["1", "2"]
    by_key = {q.key: q for q in result.questions}
    assert by_key["has_diabetes"].choices == (("1", "True"), ("0", "False"))
    assert by_key["pmq3"].choices == (("1", "Yes"), ("0", "No"))
    assert by_key["pmq1"].label == "On average, how many pills did you take each day last week?"
    assert result.responses[0].answers == {"has_diabetes": "1", "consent": ("1",)}
    assert result.responses[1].answers == {"has_diabetes": "0"}
    for private in ("email", "dob", "first_name", "redcap_survey_identifier"):
        assert private in result.dropped_columns
    assert "prescreening_survey_timestamp" in result.dropped_columns


def test_repeating_instruments_give_one_response_per_instance() -> None:
    result = read_pair("repeating_data.csv", "repeating_dictionary.csv")
    assert len(result.responses) == 6
    base, first_bp = result.responses[0], result.responses[1]
    assert base.respondent_key == "1"
    assert base.context == {}
    assert base.answers == {"age": "8.9", "ethnicity": "1", "race": "4", "sex": "0"}
    assert first_bp.context == {"repeat_instrument": "bp", "repeat_instance": "1"}
    assert first_bp.answers == {"bp_systolic": 110, "bp_diastolic": 100}
    assert result.responses[5].respondent_key == "2"
    assert result.responses[5].answers["bp_systolic"] == 114


def test_dictionary_with_bom_and_odd_characters() -> None:
    questions = dictionary_questions(
        read_redcap_dictionary(sample("problematic_dictionary_bom.csv"))
    )
    assert [q.key for q in questions] == [
        "v1",
        "curly_quote_single",
        "curly_quote_double_left",
        "curly_quote_double_right",
        "long_dash",
    ]
    assert questions[0].label.startswith("Is the laser mounted on the shark?")
    assert questions[0].choices == (("0", "No"), ("1", "Yes"), ("3", "I should find out"))
    assert questions[2].label == 'Maybe I don\'t "look the part"'
    assert "−or even ones" in questions[4].label
    assert questions[1].choice_label("0") == "(0) Never or Almost Never"


@pytest.mark.parametrize(
    ("data", "column"), [("dag_data.csv", "first_name"), ("decimal_comma_data.csv", "name")]
)
def test_data_without_its_dictionary_is_refused_naming_the_column(data: str, column: str) -> None:
    with pytest.raises(SurveyFileError) as caught:
        read_pair(data, "simple_dictionary.csv")
    error = caught.value
    assert (error.file, error.row, error.column) == (data, 1, column)
    assert str(error).startswith(f"{data}, row 1, column {column}: the data dictionary")


def test_decimal_comma_sample_reads_with_a_matching_dictionary() -> None:
    dictionary = (
        SHORT_HEADER
        + "record_id,demographics,,text,Record ID,,,,,,\n"
        + "name,demographics,,text,Name,,,,,,y\n"
        + "height,demographics,,text,Height,,,number_comma_decimal,,,\n"
        + "weight,demographics,,text,Weight,,,number_comma_decimal,,,\n"
        + "bmi,demographics,,calc,BMI,[weight]/[height]^2,,,,,\n"
    )
    result = read_redcap(sample("decimal_comma_data.csv"), dictionary.encode())
    assert result.responses[0].answers == {"height": pytest.approx(1.54), "weight": 52.3}
    assert result.responses[2].answers["weight"] == pytest.approx(123.4)
    assert "name" in result.dropped_columns
    assert "Valdez" not in repr(result.responses)


@pytest.mark.parametrize(
    "name", ["problematic_project_odm.xml", "pycap_test_simple_project_odm.xml"]
)
def test_project_xml_is_refused_as_data_and_as_dictionary(name: str) -> None:
    with pytest.raises(SurveyFileError) as as_data:
        read_redcap(sample(name), sample("simple_dictionary.csv"), data_name=name)
    assert (as_data.value.file, as_data.value.row, as_data.value.column) == (name, 2, "1")
    assert as_data.value.message == ODM_MESSAGE
    with pytest.raises(SurveyFileError, match="not a data export") as as_dictionary:
        read_redcap(sample("simple_data.csv"), sample(name), dictionary_name=name)
    assert as_dictionary.value.file == name


# -- Shapes of REDCap, built here -------------------------------------------------------------


def test_choices_split_on_the_first_comma_and_agreement_scales_are_likert() -> None:
    result = evaluation(
        "record_id,helped,agree,sure,why___1,why___2,why____3,visits,mail,age,evaluation_complete\n"
        '7,"Time to write, at last",5,1,0,1,1,"2,5",me@example.org,3,2\n'
    )
    by_key = {q.key: q for q in result.questions}
    assert by_key["agree"].type == LIKERT
    assert by_key["agree"].choices[4] == ("5", "Strongly agree, mostly")
    assert by_key["sure"].type == SINGLE_CHOICE
    assert by_key["sure"].choice_label("1") == "Yes, quite sure"
    assert by_key["why"].choices == (
        ("1", "Clinical duties"),
        ("2", "Teaching, grading"),
        ("-3", "Other"),
    )
    assert by_key["helped"].section == "Benefits"
    response = result.responses[0]
    assert response.answers == {
        "helped": "Time to write, at last",
        "agree": "5",
        "sure": "1",
        "why": ("2", "-3"),
        "visits": 2.5,
    }
    assert {"mail", "age", "evaluation_complete"} <= set(result.dropped_columns)
    assert "me@example.org" not in repr(result)


def test_seven_point_scale_is_likert_and_other_radios_are_not() -> None:
    seven = " | ".join(
        f"{n}, {label}"
        for n, label in enumerate(
            [
                "Very dissatisfied",
                "Dissatisfied",
                "Somewhat dissatisfied",
                "Neutral",
                "Somewhat satisfied",
                "Satisfied",
                "Very satisfied",
            ],
            start=1,
        )
    )
    dictionary = (
        SHORT_HEADER
        + "record_id,f,,text,ID,,,,,,\n"
        + f'happy,f,,radio,Happy,"{seven}",,,,,\n'
        + 'color,f,,radio,Colour,"1, Red | 2, Blue | 3, Green | 4, Grey | 5, Pink",,,,,\n'
    )
    questions = dictionary_questions(read_redcap_dictionary(dictionary.encode()))
    assert [q.type for q in questions] == [LIKERT, SINGLE_CHOICE]


def test_longitudinal_rows_carry_their_event() -> None:
    result = evaluation(
        "record_id,redcap_event_name,redcap_data_access_group,helped\n"
        "7,baseline_arm_1,site_a,Met new colleagues\n"
        "7,year_1_arm_1,site_a,Wrote a paper\n"
    )
    assert [r.context["event"] for r in result.responses] == ["baseline_arm_1", "year_1_arm_1"]
    assert result.responses[1].context["data_access_group"] == "site_a"
    assert {r.respondent_key for r in result.responses} == {"7"}


def test_label_values_are_read_as_their_codes_and_bad_values_are_reported() -> None:
    result = evaluation(
        "record_id,agree,visits,why___1\n1,Strongly disagree,x,Checked\n2,9,3,maybe\n"
    )
    assert result.responses[0].answers == {"agree": "1", "why": ("1",)}
    assert [(e.row, e.column) for e in result.errors] == [
        (2, "visits"),
        (3, "agree"),
        (3, "why___1"),
    ]


def test_blank_record_id_and_ragged_rows_are_errors_with_row_numbers() -> None:
    result = evaluation("record_id,helped\n,An answer\n2,x,extra\n3\n")
    assert [(e.row, e.column) for e in result.errors] == [(2, "record_id"), (3, None), (4, None)]
    assert "row 3 has 3 columns, the header has 2" in str(result.errors[1])


def test_data_without_the_record_id_column_is_refused() -> None:
    with pytest.raises(SurveyFileError, match="record ID field “record_id”"):
        evaluation("helped\nSomething\n")


def test_label_headers_are_refused_with_a_hint() -> None:
    with pytest.raises(SurveyFileError, match="variable names") as caught:
        evaluation("record_id,What helped you?\n1,x\n")
    assert caught.value.column == "What helped you?"


@pytest.mark.parametrize(
    ("dictionary", "column"),
    [
        ("name,form\nx,y\n", "field_name"),
        (SHORT_HEADER + "record_id,f,,essay,ID,,,,,,\n", "field_type"),
        (
            SHORT_HEADER + 'record_id,f,,radio,ID,"1 Yes | 2 No",,,,,\n',
            "select_choices_or_calculations",
        ),
        (SHORT_HEADER + "a,f,,text,A,,,,,,\na,f,,text,A again,,,,,,\n", "a"),
    ],
)
def test_broken_dictionaries_are_refused_naming_the_column(dictionary: str, column: str) -> None:
    with pytest.raises(SurveyFileError) as caught:
        read_redcap_dictionary(dictionary.encode(), "dict.csv")
    assert caught.value.column == column
    assert caught.value.row is not None


# -- Hostile files ----------------------------------------------------------------------------


def test_latin1_data_falls_back_with_a_warning() -> None:
    assert evaluation("record_id,helped\n1,Caf\xe9 talks\n").warnings == []
    latin = read_redcap(
        "record_id,helped\n1,Caf\xe9 talks\n".encode("latin-1"), EVALUATION_DICTIONARY.encode()
    )
    assert latin.responses[0].answers["helped"] == "Café talks"
    assert "not UTF-8" in latin.warnings[0]


def test_formula_cells_stay_text() -> None:
    result = evaluation('record_id,helped\n1,"=HYPERLINK(""http://x"",""y"")"\n')
    assert result.responses[0].answers["helped"] == '=HYPERLINK("http://x","y")'


def test_caps_are_enforced() -> None:
    data = b"record_id,helped\n" + b"1,x\n" * 50
    with pytest.raises(SurveyFileError, match="more than 10 rows"):
        read_redcap(data, EVALUATION_DICTIONARY.encode(), limits=ReadLimits(max_rows=10))
    with pytest.raises(SurveyFileError, match="larger than the size cap"):
        read_redcap(data, EVALUATION_DICTIONARY.encode(), limits=ReadLimits(max_bytes=100))
    with pytest.raises(SurveyFileError, match="longer than 5 characters"):
        read_redcap(data, EVALUATION_DICTIONARY.encode(), limits=ReadLimits(max_cell_chars=5))


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"", "empty"), (b"\x00\x01\x02binary", "binary"), (b"<html></html>", "XML or HTML")],
)
def test_empty_binary_and_markup_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(SurveyFileError, match=message):
        read_redcap(data, EVALUATION_DICTIONARY.encode())


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_random_bytes_never_raise_anything_but_survey_file_error(data: bytes) -> None:
    dictionary = EVALUATION_DICTIONARY.encode()
    for export in (b"record_id,helped\n" + data, data):
        with contextlib.suppress(SurveyFileError):
            read_redcap(export, dictionary)
    for fields in (data, SHORT_HEADER.encode() + data):
        with contextlib.suppress(SurveyFileError):
            read_redcap_dictionary(fields)
