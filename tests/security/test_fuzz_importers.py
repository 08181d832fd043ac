"""Every importer and upload, fuzzed: 1,000 generated inputs each, from mutated valid seeds and
raw bytes. Each call returns or raises the module's own error — never another exception — with
no network or file access and bounded memory. The service-level imports save all or nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given

from peermentor.goals.uploads import UploadRefused, check_upload
from peermentor.meetings.busy_ics import IcsError, read_busy_ics
from peermentor.programs.intake_csv import IntakeError, parse_intake
from peermentor.qualitative.agreement import AgreementError, read_rows_csv
from peermentor.qualitative.refi import RefiError, read_qdc, read_qdpx, write_qdc, write_qdpx
from peermentor.scholarship.importers import read_file
from peermentor.scholarship.records import WorkFileError
from peermentor.surveys.default_instrument import read_instrument_csv
from peermentor.surveys.qualtrics import read_qualtrics
from peermentor.surveys.reading import read_survey
from peermentor.surveys.records import SurveyFileError
from peermentor.surveys.redcap import read_redcap
from tests.security.fuzz_support import FUZZ, Batch, inputs

# --- Small valid seeds, one per format ---------------------------------------------------------

PUBMED = b"""<?xml version="1.0"?>
<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>123</PMID><Article>
<Journal><Title>J Med</Title><JournalIssue><PubDate><Year>2020</Year><Month>Jan</Month>
</PubDate></JournalIssue></Journal><ArticleTitle>A study of groups</ArticleTitle>
<AuthorList><Author><LastName>Smith</LastName><ForeName>Ann</ForeName></Author></AuthorList>
<PublicationTypeList><PublicationType>Journal Article</PublicationType></PublicationTypeList>
</Article></MedlineCitation><PubmedData><ArticleIdList>
<ArticleId IdType="doi">10.1000/xyz</ArticleId></ArticleIdList></PubmedData></PubmedArticle>
</PubmedArticleSet>"""
MEDLINE = b"""PMID- 123
TI  - A study of groups
FAU - Smith, Ann
AU  - Smith A
DP  - 2020 Jan
TA  - J Med
PT  - Journal Article
LID - 10.1000/xyz [doi]

"""
ORCID_JSON = b"""{"group": [{"work-summary": [{"put-code": 7, "type": "journal-article",
"title": {"title": {"value": "A study of groups"}}, "journal-title": {"value": "J Med"},
"publication-date": {"year": {"value": "2020"}, "month": {"value": "01"}},
"external-ids": {"external-id": [{"external-id-type": "doi",
"external-id-value": "10.1000/xyz", "external-id-relationship": "self"}]}}]}]}"""
ORCID_XML = b"""<?xml version="1.0"?>
<activities:works xmlns:activities="http://www.orcid.org/ns/activities"
 xmlns:work="http://www.orcid.org/ns/work" xmlns:common="http://www.orcid.org/ns/common">
<activities:group><work:work-summary put-code="7"><work:title><common:title>A study
</common:title></work:title><work:type>journal-article</work:type><common:publication-date>
<common:year>2020</common:year></common:publication-date></work:work-summary>
</activities:group></activities:works>"""
BIBTEX = b"""@article{smith2020,
  author = {Smith, Ann and Jones, Bo},
  title = {A study of {groups}},
  journal = {J Med},
  year = {2020},
  doi = {10.1000/xyz}
}
"""
RIS = b"""TY  - JOUR
AU  - Smith, Ann
TI  - A study of groups
JO  - J Med
PY  - 2020
DO  - 10.1000/xyz
ER  - 
"""
CSL_JSON = b"""[{"id": "a", "type": "article-journal", "title": "A study of groups",
"author": [{"family": "Smith", "given": "Ann"}], "container-title": "J Med",
"issued": {"date-parts": [[2020, 1]]}, "DOI": "10.1000/xyz"}]"""
CROSSREF = b"""{"status": "ok", "message-type": "work", "message": {"type": "journal-article",
"title": ["A study of groups"], "author": [{"family": "Smith", "given": "Ann"}],
"container-title": ["J Med"], "issued": {"date-parts": [[2020, 1]]}, "DOI": "10.1000/xyz",
"reference-count": 0}}"""
WORKS_CSV = b"""type,title,authors,year,venue,doi
journal_article,A study of groups,Smith A; Jones B,2020,J Med,10.1000/xyz
"""
SCHOLARSHIP_SEEDS = {
    "pubmed_xml": (PUBMED, "pubmed.xml"),
    "medline": (MEDLINE, "export.nbib"),
    "orcid_json": (ORCID_JSON, "works.json"),
    "orcid_xml": (ORCID_XML, "works.xml"),
    "bibtex": (BIBTEX, "refs.bib"),
    "ris": (RIS, "refs.ris"),
    "csl_json": (CSL_JSON, "csl.json"),
    "crossref": (CROSSREF, "crossref.json"),
    "csv": (WORKS_CSV, "works.csv"),
}

REDCAP_DICTIONARY = b"""field_name,form_name,section_header,field_type,field_label,\
select_choices_or_calculations,field_note,text_validation_type_or_show_slider_number
record_id,evaluation,,text,Record ID,,,
helped,evaluation,,notes,What helped?,,,
agree,evaluation,,radio,The group helped me,"1, No | 2, Yes",,
why,evaluation,,checkbox,Barriers,"1, Time | 2, Money",,
"""
REDCAP_DATA = b"""record_id,helped,agree,why___1,why___2
1,Writing together,2,1,0
2,"Feedback, mostly",1,0,1
"""
QUALTRICS = (
    b"StartDate,Status,Finished,ResponseId,Q1,Q2\n"
    b"Start Date,Response Type,Finished,Response ID,How helpful?,What helped?\n"
    b'"{""ImportId"":""startDate""}","{""ImportId"":""status""}","{""ImportId"":""finished""}",'
    b'"{""ImportId"":""_recordId""}","{""ImportId"":""QID1""}","{""ImportId"":""QID2_TEXT""}"\n'
    b"2024-01-01 10:00:00,IP Address,True,R_1,Very,Writing together\n"
    b"2024-01-02 10:00:00,IP Address,True,R_2,Somewhat,Feedback\n"
)
GENERIC_CSV = b'respondent,helped,rating\nr1,Writing together,4\nr2,"Feedback, mostly",5\n'
INSTRUMENT_CSV = b"""section,key,type,label,choices
Benefits,helped,open_text,What helped?,
Ratings,useful,single_choice,Useful?,1=Yes|0=No
"""
AGREEMENT_CSV = b"unit,coder,value\nu1,a,x\nu1,b,x\nu2,a,y\nu2,b,x\nu3,a,y\nu3,b,y\n"
ICS = b"""BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Test//EN\r
BEGIN:VEVENT\r
UID:1@test\r
DTSTART:20300104T090000Z\r
DTEND:20300104T100000Z\r
RRULE:FREQ=WEEKLY;COUNT=3\r
SUMMARY:Clinic\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:2@test\r
DTSTART;TZID=Europe/London:20300105T140000\r
DURATION:PT1H\r
END:VEVENT\r
END:VCALENDAR\r
"""
INTAKE = b"""id,career_stage,department,interests,availability,exclude,balance:gender
a1,junior,Psychiatry,writing;grants,Tue07;Thu12,,woman
a2,senior,Surgery,writing,Tue07,a1,man
"""


def _office(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{part}document.xml", "<document/>")
    return buffer.getvalue()


UPLOADS = {
    "pdf": (b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "call.pdf"),
    "png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01", "chart.png"),
    "jpg": (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01", "photo.jpg"),
    "txt": (b"Deadline: 1 March.\n", "notes.txt"),
    "docx": (_office("word/"), "draft.docx"),
}


def _refi_seeds() -> tuple[bytes, bytes]:
    from tests.qualitative.test_refi import sample_project

    project = sample_project()
    return write_qdc(project.codebook), write_qdpx(project)


QDC, QDPX = _refi_seeds()
_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="xl/workbook.xml" Type="http://schemas.openxmlformats'
        '.org/officeDocument/2006/relationships/officeDocument"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="A" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/worksheet"/></Relationships>'
    ),
    "xl/worksheets/sheet1.xml": (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>helped</t></is></c></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>r1</t></is></c>'
        '<c r="B2" t="inlineStr"><is><t>Writing</t></is></c></row>'
        "</sheetData></worksheet>"
    ),
}


def _xlsx() -> bytes:
    """The smallest workbook openpyxl reads (stored, not deflated: mutations reach the XML)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, text in _XLSX_PARTS.items():
            archive.writestr(name, text)
    return buffer.getvalue()


XLSX = _xlsx()
# Readers that open a ZIP and parse XML cost most: memory is traced on one call in four.
TRACE_EVERY = {"answers.xlsx": 4, "project.qdpx": 4}


def _fuzz(
    seed: bytes,
    errors: tuple[type[BaseException], ...],
    call: Callable[[bytes], Any],
    trace_every: int = 1,
) -> Batch:
    """Run ``call`` on 1,000 inputs made from ``seed``; the batch holds what happened."""
    batch = Batch(errors, trace_every)

    @FUZZ
    @given(inputs(seed))
    def run(batch_of_inputs: list[bytes]) -> None:
        for data in batch_of_inputs:
            batch.run(call, data)

    run()
    return batch


# --- Pure readers ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SCHOLARSHIP_SEEDS))
def test_publication_readers(name: str) -> None:
    seed, filename = SCHOLARSHIP_SEEDS[name]
    assert read_file(seed, filename=filename).records, f"the {name} seed reads no work"
    _fuzz(seed, (WorkFileError,), lambda data: read_file(data, filename=filename)).check()


def test_redcap_data_and_dictionary() -> None:
    assert read_redcap(REDCAP_DATA, REDCAP_DICTIONARY).responses
    batch = Batch((SurveyFileError,))

    @FUZZ
    @given(inputs(REDCAP_DATA), inputs(REDCAP_DICTIONARY))
    def run(data: list[bytes], dictionaries: list[bytes]) -> None:
        for n, (one, dictionary) in enumerate(zip(data, dictionaries, strict=True)):
            if n % 2:
                batch.run(read_redcap, one, REDCAP_DICTIONARY)
            else:
                batch.run(read_redcap, REDCAP_DATA, dictionary)

    run()
    batch.check()


@pytest.mark.parametrize(
    ("seed", "filename"),
    [(QUALTRICS, "qualtrics.csv"), (GENERIC_CSV, "answers.csv"), (XLSX, "answers.xlsx")],
    ids=["qualtrics", "csv", "xlsx"],
)
def test_survey_files(seed: bytes, filename: str) -> None:
    assert read_survey(seed, filename).responses
    read = lambda data: read_survey(data, filename)  # noqa: E731
    _fuzz(seed, (SurveyFileError,), read, TRACE_EVERY.get(filename, 1)).check()


def test_qualtrics_reader_directly() -> None:
    assert read_qualtrics(QUALTRICS).responses
    _fuzz(QUALTRICS, (SurveyFileError,), read_qualtrics).check()


def test_instrument_csv() -> None:
    assert read_instrument_csv(INSTRUMENT_CSV)
    _fuzz(INSTRUMENT_CSV, (SurveyFileError,), read_instrument_csv).check()


def test_refi_codebook() -> None:
    assert read_qdc(QDC, filename="codes.qdc").codes
    _fuzz(QDC, (RefiError,), lambda data: read_qdc(data, filename="codes.qdc")).check()


def test_refi_project() -> None:
    assert read_qdpx(QDPX, filename="project.qdpx").sources
    read = lambda data: read_qdpx(data, filename="project.qdpx")  # noqa: E731
    _fuzz(QDPX, (RefiError,), read, TRACE_EVERY["project.qdpx"]).check()


def test_agreement_csv() -> None:
    def read(data: bytes) -> Any:
        return read_rows_csv(data.decode("utf-8", "replace"))

    assert read(AGREEMENT_CSV)
    _fuzz(AGREEMENT_CSV, (AgreementError,), read).check()


def test_busy_calendar() -> None:
    start = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    end = start + dt.timedelta(days=30)

    def read(data: bytes) -> Any:
        return read_busy_ics(data, window_start=start, window_end=end)

    assert read(ICS).intervals
    _fuzz(ICS, (IcsError,), read).check()


def test_intake_csv() -> None:
    assert parse_intake(INTAKE)
    _fuzz(INTAKE, (IntakeError,), parse_intake).check()


@pytest.mark.parametrize("kind", sorted(UPLOADS))
def test_resource_uploads(kind: str) -> None:
    seed, name = UPLOADS[kind]
    check_upload(name, seed)
    _fuzz(seed, (UploadRefused,), lambda data: check_upload(name, data)).check()
