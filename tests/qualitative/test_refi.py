"""REFI-QDA exchange: schema validity, the real exports, round trips, and hostile files refused."""

from __future__ import annotations

import dataclasses
import io
import itertools
import os
import struct
import zipfile
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from peermentor.qualitative.refi import (
    Limits,
    RefiError,
    read_qdc,
    read_qdpx,
    write_qdc,
    write_qdpx,
)
from peermentor.qualitative.refi_model import (
    Case,
    Code,
    Codebook,
    Coding,
    Note,
    Project,
    TextSource,
    User,
    Variable,
    VariableValue,
)

SAMPLES = os.environ.get("PEERMENTOR_SAMPLES")
needs_samples = pytest.mark.skipif(not SAMPLES, reason="PEERMENTOR_SAMPLES is not set")
PROJECT_XSD = "qualcoder_Project-mrt2019.xsd"
CODEBOOK_XSD = "Codebook.v1.0.from-REFI-QDA-1-5-pdf.xsd"
A1_QDC = "example_codebook_A1.from-REFI-QDA-1-5-pdf.qdc"
NVIVO_QDPX = "cproctor_nvivo_project.qdpx"
QC_DEMO_QDPX = "cproctor_demo.qdpx"
MIB = 1024 * 1024
T = TypeVar("T")


def refi_file(name: str) -> Path:
    """A file of the REFI-QDA sample folder."""
    return Path(str(SAMPLES)) / "refi" / name


@cache
def schema(name: str) -> etree.XMLSchema | None:
    """The XML schema of the sample folder, or None when the samples are not available."""
    if not SAMPLES:
        return None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.XMLSchema(etree.parse(str(refi_file(name)), parser))


def assert_valid(xsd: str, document: bytes) -> None:
    """Fail with the schema's own messages unless the document validates."""
    checker = schema(xsd)
    if checker is None:
        return
    tree = etree.fromstring(document, etree.XMLParser(resolve_entities=False, no_network=True))
    assert checker.validate(tree), [str(error) for error in checker.error_log]


def qde_of(archive: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        return opened.read("project.qde")


def zip_of(members: dict[str, bytes]) -> bytes:
    """A ZIP archive holding the members, deflated."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, payload in members.items():
            archive.writestr(name, payload)
    return buffer.getvalue()


def file_spans(archive: bytes) -> set[tuple[str, int, int]]:
    """(source GUID, startPosition, endPosition) of every PlainTextSelection in project.qde."""
    root = etree.fromstring(qde_of(archive))
    return {
        (source.get("guid"), int(span.get("startPosition")), int(span.get("endPosition")))
        for source in root.iter("{urn:QDA-XML:project:1.0}TextSource")
        for span in source.iter("{urn:QDA-XML:project:1.0}PlainTextSelection")
    }


def canonical(project: Project) -> Project:
    """The project without what carries no meaning: codings order, note target order, origin."""
    return dataclasses.replace(
        project,
        codings=sorted(project.codings, key=lambda coding: coding.guid),
        notes=[dataclasses.replace(n, targets=sorted(n.targets)) for n in project.notes],
        warnings=[],
        origin=None,
    )


def guid(number: int) -> str:
    return f"00000000-0000-4000-8000-{number:012x}"


# --- A hand-made project ----------------------------------------------------------------------

ANSWER = "👍🏽 Très bien — la réunion m'a aidée. Mais l'horaire… 😬 difficile."
OTHER_ANSWER = "Exclusivity: we felt closed off from others.\r\nNo curriculum."


def sample_project() -> Project:
    """Two answers coded by two evaluators, with a memo of each kind and a respondent."""
    benefit = Code(guid(11), "Social connection", "#33cc33", "Feeling part of a group.")
    scheduling = Code(guid(12), "Scheduling", "#F00", "Trouble finding a meeting time.")
    outcomes = Code(guid(10), "Outcomes", None, "", [benefit, scheduling], is_codable=False)
    at = datetime(2024, 3, 1, 14, 30, tzinfo=UTC)
    bien = ANSWER.index("Très bien")
    horaire = ANSWER.index("l'horaire")
    return Project(
        name="PMG evaluation 2024 — wave 1",
        users=[User(guid(1), "Évaluatrice A"), User(guid(2), "Evaluator B")],
        codebook=Codebook([outcomes, Code(guid(13), "Exclusivity", "#abcdef")]),
        sources=[
            TextSource(guid(21), "R1 Q1", ANSWER, "Question 1", guid(1), at),
            TextSource(guid(22), "R2 Q1", OTHER_ANSWER),
        ],
        codings=[
            Coding(guid(31), guid(21), bien, bien + len("Très bien"), guid(11), guid(1), at),
            Coding(guid(32), guid(21), horaire, len(ANSWER) - 1, guid(12), guid(2)),
            Coding(guid(33), guid(21), horaire, len(ANSWER) - 1, guid(11), guid(1)),
            Coding(guid(34), guid(22), 0, len("Exclusivity"), guid(13)),
        ],
        notes=[
            Note(guid(41), "Memo on scheduling", "Ask about 🕐 polls.", [guid(12)], guid(2), at),
            Note(guid(42), "Answer memo", "Mixed feelings\nbut positive.", [guid(21), guid(32)]),
            Note(guid(43), "Project memo", "First wave.", []),
        ],
        cases=[
            Case(
                guid(51),
                "Respondent 1",
                [guid(21)],
                {"rank": "Assistant professor", "retained": True, "meetings": 7},
            ),
            Case(
                guid(52),
                "Respondent 2",
                [guid(22)],
                {"joined": date(2006, 9, 1), "score": 4.25, "seen": at},
            ),
        ],
        variables=[
            Variable(guid(61), "rank", "Text", "Academic rank"),
            Variable(guid(62), "retained", "Boolean"),
            Variable(guid(63), "meetings", "Integer"),
            Variable(guid(64), "joined", "Date"),
            Variable(guid(65), "score", "Float"),
            Variable(guid(66), "seen", "DateTime"),
        ],
    )


def test_written_codebook_validates_against_the_codebook_schema() -> None:
    document = write_qdc(sample_project().codebook)
    assert_valid(CODEBOOK_XSD, document)
    assert read_qdc(document, filename="codes.qdc") == sample_project().codebook


def test_written_project_validates_against_the_project_schema() -> None:
    assert_valid(PROJECT_XSD, qde_of(write_qdpx(sample_project())))


@needs_samples
def test_schema_check_catches_an_invalid_document() -> None:
    broken = qde_of(write_qdpx(sample_project())).replace(b'isCodable="true"', b'isCodable="1x"')
    with pytest.raises(AssertionError):
        assert_valid(PROJECT_XSD, broken)


def test_sources_are_internal_text_files_named_by_guid() -> None:
    archive = write_qdpx(sample_project())
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        names = opened.namelist()
        answer = opened.read(f"sources/{guid(21)}.txt")
    assert names == ["project.qde", f"sources/{guid(21)}.txt", f"sources/{guid(22)}.txt"]
    assert answer.decode("utf-8") == ANSWER
    root = etree.fromstring(qde_of(archive))
    paths = [e.get("plainTextPath") for e in root.iter("{urn:QDA-XML:project:1.0}TextSource")]
    assert paths == [f"internal://{guid(21)}.txt", f"internal://{guid(22)}.txt"]


def test_positions_are_code_points_not_utf16_units_or_bytes() -> None:
    root = etree.fromstring(qde_of(write_qdpx(sample_project())))
    selection = next(root.iter("{urn:QDA-XML:project:1.0}PlainTextSelection"))
    # "👍🏽 " is three code points, five UTF-16 units and nine UTF-8 bytes.
    assert (selection.get("startPosition"), selection.get("endPosition")) == ("3", "12")
    assert ANSWER[3:12] == "Très bien"


def test_codings_of_one_span_share_one_selection() -> None:
    root = etree.fromstring(qde_of(write_qdpx(sample_project())))
    selections = list(root.iter("{urn:QDA-XML:project:1.0}PlainTextSelection"))
    assert [len(s.findall("{urn:QDA-XML:project:1.0}Coding")) for s in selections] == [1, 2, 1]


def test_sample_project_survives_export_import_export() -> None:
    original = sample_project()
    archive = write_qdpx(original)
    imported = read_qdpx(archive, filename="pmg.qdpx")
    assert imported.warnings == []
    assert imported.origin == "PeerMentor"
    assert canonical(imported) == canonical(original)
    assert write_qdpx(imported) == archive


def test_imported_coding_points_at_the_same_passage() -> None:
    imported = read_qdpx(write_qdpx(sample_project()), filename="pmg.qdpx")
    texts = {source.guid: source.text for source in imported.sources}
    passages = {c.guid: texts[c.source_guid][c.start : c.end] for c in imported.codings}
    assert passages[guid(31)] == "Très bien"
    assert passages[guid(32)] == "l'horaire… 😬 difficile"


# --- Writing refuses what it cannot carry -----------------------------------------------------


def _break(change: Callable[[Project], None]) -> Project:
    project = sample_project()
    change(project)
    return project


# Each change breaks the sample project in one way; vars() edits a dataclass in a lambda.
BROKEN = {
    "passage past the end": (
        lambda p: vars(p.codings[0]).update(end=len(ANSWER) + 1),
        "not a passage",
    ),
    "empty passage": (lambda p: vars(p.codings[0]).update(end=p.codings[0].start), "not a passage"),
    "unknown code": (
        lambda p: vars(p.codings[0]).update(code_guid=guid(99)),
        "not in the codebook",
    ),
    "unknown user": (lambda p: vars(p.codings[0]).update(user_guid=guid(98)), "not among"),
    "naive time": (
        lambda p: vars(p.codings[0]).update(created=datetime(2024, 1, 1)),  # noqa: DTZ001
        "no time zone",
    ),
    "duplicate guid": (lambda p: vars(p.notes[0]).update(guid=guid(21)), "also used by"),
    "not a guid": (lambda p: vars(p.users[0]).update(guid="user-1"), "not a GUID"),
    "bad colour": (lambda p: vars(p.codebook.codes[1]).update(color="red"), "color"),
    "undeclared variable": (lambda p: p.cases[0].variables.update(age=50), "not among"),
    "wrong value type": (lambda p: p.cases[0].variables.update(meetings="7"), "Integer"),
    "unknown note target": (lambda p: p.notes[0].targets.append(guid(97)), "target"),
    "control character": (lambda p: vars(p.notes[0]).update(text="bell\x07"), r"U\+0007"),
    "lone surrogate": (
        lambda p: p.sources.append(TextSource(guid(23), "R3", "\ud800")),
        "surrogate",
    ),
}


@pytest.mark.parametrize(("change", "message"), BROKEN.values(), ids=BROKEN.keys())
def test_writing_refuses_an_inconsistent_project(
    change: Callable[[Project], None], message: str
) -> None:
    with pytest.raises(RefiError, match=message):
        write_qdpx(_break(change))


def test_writing_refuses_an_empty_codebook() -> None:
    with pytest.raises(RefiError, match="empty codebook"):
        write_qdc(Codebook())


def test_a_project_without_anything_but_a_name_is_valid() -> None:
    archive = write_qdpx(Project(name="Empty"))
    assert_valid(PROJECT_XSD, qde_of(archive))
    assert read_qdpx(archive, filename="empty.qdpx") == Project(name="Empty", origin="PeerMentor")


# --- Round trips of generated projects --------------------------------------------------------

XML_CHAR = st.characters(
    codec="utf-8", exclude_categories=("Cs", "Cc"), exclude_characters="\ufffe\uffff"
)
SPICE = st.sampled_from(
    ["é", "ñ", "Ü", "👍🏽", "😀", "🇨🇦", "e\u0301", "—", "漢字", "\r\n", "\t", "\ufeff"]
)
xml_texts = st.lists(st.one_of(SPICE, st.text(XML_CHAR, max_size=4)), max_size=5).map("".join)
any_texts = st.lists(
    st.one_of(SPICE, st.text(st.characters(codec="utf-8"), max_size=6)), max_size=6
).map("".join)
colors = st.none() | st.from_regex(r"#[0-9A-Fa-f]{6}|#[0-9A-Fa-f]{3}", fullmatch=True)
zones = st.sampled_from(
    [UTC, timezone(timedelta(hours=5, minutes=30)), timezone(-timedelta(hours=8))]
)
# Hypothesis takes naive bounds and attaches the zones itself.
EARLIEST, LATEST = datetime(1990, 1, 1), datetime(2100, 1, 1)  # noqa: DTZ001
times = st.none() | st.datetimes(EARLIEST, LATEST, timezones=zones)
VALUES: dict[str, st.SearchStrategy[VariableValue]] = {
    "Text": xml_texts,
    "Boolean": st.booleans(),
    "Integer": st.integers(),
    "Float": st.floats(allow_nan=False, allow_infinity=False),
    "Date": st.dates(date(1900, 1, 1), date(2100, 1, 1)),
    "DateTime": st.datetimes(EARLIEST, LATEST, timezones=zones),
}


@st.composite
def projects(draw: st.DrawFn) -> Project:
    """A consistent project: every reference resolves and every passage lies in its text."""
    ids = map(guid, itertools.count(1))
    users = [User(next(ids), draw(xml_texts)) for _ in range(draw(st.integers(0, 2)))]
    user_refs = st.sampled_from([None, *(user.guid for user in users)])
    codebook = Codebook(draw_codes(draw, ids, 0))
    codes = [code.guid for code in codebook.walk()]
    sources = [
        TextSource(next(ids), draw(xml_texts), draw(any_texts), draw(xml_texts))
        for _ in range(draw(st.integers(0, 3)))
    ]
    for source in sources:
        source.user_guid, source.created = draw(user_refs), draw(times)
    codings = draw_codings(draw, ids, sources, codes, user_refs)
    targets = codes + [s.guid for s in sources] + [c.guid for c in codings]
    notes = [
        Note(next(ids), draw(xml_texts), draw(xml_texts), draw(subsets(targets)), draw(user_refs))
        for _ in range(draw(st.integers(0, 3)))
    ]
    for note in notes:
        note.created = draw(times)
    variables = draw_variables(draw, ids)
    cases = [
        Case(next(ids), draw(xml_texts), draw(subsets([s.guid for s in sources])))
        for _ in range(draw(st.integers(0, 2)))
    ]
    for case in cases:
        for variable in draw(subsets(variables, key=lambda v: v.guid)):
            case.variables[variable.name] = draw(VALUES[variable.type])
    return Project(draw(xml_texts), users, codebook, sources, codings, notes, cases, variables)


def subsets(
    items: list[T], key: Callable[[T], object] = lambda item: item
) -> st.SearchStrategy[list[T]]:
    """Up to three distinct items of the list."""
    if not items:
        return st.just([])
    return st.lists(st.sampled_from(items), unique_by=key, max_size=3)


def draw_codes(draw: st.DrawFn, ids: Iterator[str], depth: int) -> list[Code]:
    codes = []
    for _ in range(draw(st.integers(0, 3 - depth))):
        children = draw_codes(draw, ids, depth + 1) if depth < 2 else []
        codes.append(
            Code(
                next(ids),
                draw(xml_texts),
                draw(colors),
                draw(xml_texts),
                children,
                draw(st.booleans()),
            )
        )
    return codes


def draw_codings(
    draw: st.DrawFn,
    ids: Iterator[str],
    sources: list[TextSource],
    codes: list[str],
    user_refs: st.SearchStrategy[str | None],
) -> list[Coding]:
    coded = [source for source in sources if source.text]
    codings: list[Coding] = []
    for _ in range(draw(st.integers(0, 5)) if coded and codes else 0):
        if codings and draw(st.booleans()):
            earlier = draw(st.sampled_from(codings))
            source, start, end = earlier.source_guid, earlier.start, earlier.end
        else:
            chosen = draw(st.sampled_from(coded))
            start = draw(st.integers(0, len(chosen.text) - 1))
            end = draw(st.integers(start + 1, len(chosen.text)))
            source = chosen.guid
        code = draw(st.sampled_from(codes))
        codings.append(Coding(next(ids), source, start, end, code, draw(user_refs), draw(times)))
    return codings


def draw_variables(draw: st.DrawFn, ids: Iterator[str]) -> list[Variable]:
    names = draw(st.lists(xml_texts, unique=True, max_size=3))
    return [
        Variable(next(ids), name, draw(st.sampled_from(list(VALUES))), draw(xml_texts))
        for name in names
    ]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(projects())
def test_generated_projects_survive_export_import_export(project: Project) -> None:
    archive = write_qdpx(project)
    assert_valid(PROJECT_XSD, qde_of(archive))
    # The positions in the file are Python string indices, that is code points.
    assert file_spans(archive) == {(c.source_guid, c.start, c.end) for c in project.codings}
    imported = read_qdpx(archive, filename="generated.qdpx")
    assert imported.warnings == []
    assert canonical(imported) == canonical(project)
    assert write_qdpx(imported) == archive


@settings(max_examples=30, deadline=None)
@given(projects())
def test_generated_codebooks_survive_qdc_round_trip(project: Project) -> None:
    if not project.codebook.codes:
        return
    document = write_qdc(project.codebook)
    assert_valid(CODEBOOK_XSD, document)
    warnings: list[str] = []
    assert read_qdc(document, filename="codes.qdc", warnings=warnings) == project.codebook
    assert warnings == []


# --- The real exports -------------------------------------------------------------------------


@needs_samples
def test_reads_the_refi_example_codebook() -> None:
    warnings: list[str] = []
    codebook = read_qdc(refi_file(A1_QDC).read_bytes(), filename=A1_QDC, warnings=warnings)
    codes = list(codebook.walk())
    assert warnings == []
    assert [code.name for code in codes] == [
        "Topics",
        "Economy",
        "Health care",
        "Values",
        "Conservatives",
        "Liberals",
    ]
    economy = codes[1]
    assert economy.guid == "d7aa29da-519b-4946-9b90-253b6db8fd0a"  # braces dropped
    assert (economy.color, economy.is_codable) == ("#ffff00", True)
    assert economy.description == "Anything about jobs or taxes or business"
    assert codes[0].is_codable is False
    assert_valid(CODEBOOK_XSD, write_qdc(codebook))


@needs_samples
def test_reads_the_nvivo_export() -> None:
    project = read_qdpx(refi_file(NVIVO_QDPX).read_bytes(), filename=NVIVO_QDPX)
    codes = list(project.codebook.walk())
    assert (project.name, project.origin) == ("qc project", "NVivo for Mac 15.0.0")
    assert len(codes) == 262
    assert [code.name for code in project.codebook.codes] == [
        "rq1_definition",
        "rq2_curriculum_and_instruction",
        "rq3_process",
    ]
    competencies = project.codebook.codes[0].children[0]
    assert (competencies.name, [c.name for c in competencies.children]) == (
        "competencies",
        ["programming"],
    )
    assert [user.name for user in project.users] == ["chrisp", "cp"]
    assert [source.text for source in project.sources] == ["\n", "\n"]
    assert project.sources[0].created == datetime(2024, 9, 15, 15, 36, 47, tzinfo=UTC)
    assert (len(project.codings), len(project.notes), len(project.cases)) == (0, 0, 0)
    assert len(project.warnings) == 1
    assert "richTextPath" in project.warnings[0]
    assert_valid(PROJECT_XSD, qde_of(write_qdpx(project)))


@needs_samples
def test_reads_the_non_conformant_qc_export_leniently() -> None:
    project = read_qdpx(refi_file(QC_DEMO_QDPX).read_bytes(), filename=QC_DEMO_QDPX)
    assert (project.name, project.origin) == ("qc project", "qc 1.3.2")
    assert len(list(project.codebook.walk())) == 262
    assert [user.name for user in project.users] == ["cp"]
    assert [(s.name, len(s.text)) for s in project.sources] == [
        ("board_2017.txt", 52543),
        ("admin-1.txt", 31906),
    ]
    assert len(project.codings) == 205
    first = project.codings[0]
    assert project.sources[0].text[first.start : first.end].startswith("This district goal")
    assert first.user_guid == project.users[0].guid
    assert len(project.warnings) == 2
    assert all("lacks the internal:// scheme" in warning for warning in project.warnings)
    again = write_qdpx(project)
    assert_valid(PROJECT_XSD, qde_of(again))
    reread = read_qdpx(again, filename="again.qdpx")
    assert reread.warnings == []
    assert canonical(reread) == canonical(project)


# --- Hostile and broken input -----------------------------------------------------------------

QDE_HEAD = b'<?xml version="1.0" encoding="UTF-8"?>\n'
BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b']>\n<Project xmlns="urn:QDA-XML:project:1.0" name="&lol9;"/>'
)
XXE = (
    b'<?xml version="1.0"?>\n<!DOCTYPE CodeBook [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
    b'<Code guid="d7aa29da-519b-4946-9b90-253b6db8fd0a" name="&xxe;" isCodable="true"/>'
    b"</Codes></CodeBook>"
)


def project_with_source(path: str, members: dict[str, bytes] | None = None) -> bytes:
    qde = QDE_HEAD + (
        b'<Project xmlns="urn:QDA-XML:project:1.0" name="x"><Sources>'
        b'<TextSource guid="%s" name="a" plainTextPath="%s"/></Sources></Project>'
        % (guid(1).encode(), path.encode())
    )
    return zip_of({"project.qde": qde, **(members or {})})


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """A 100 KB archive whose source member inflates to 100 MiB of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", project_with_source_qde("internal://bomb.txt"))
        with archive.open("sources/bomb.txt", "w") as member:
            for _ in range(100):
                member.write(bytes(MIB))
    return buffer.getvalue()


def project_with_source_qde(path: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(project_with_source(path))) as opened:
        return opened.read("project.qde")


def test_zip_bomb_is_refused_from_its_declared_size(bomb: bytes) -> None:
    assert len(bomb) < 200_000
    with pytest.raises(RefiError, match=r"member 'sources/bomb.txt' would inflate"):
        read_qdpx(bomb, filename="bomb.qdpx")


def test_zip_bomb_is_refused_by_its_compression_ratio(bomb: bytes) -> None:
    lenient = Limits(max_member_bytes=1024 * MIB, max_total_bytes=1024 * MIB)
    with pytest.raises(RefiError, match=r"inflates \d+-fold"):
        read_qdpx(bomb, filename="bomb.qdpx", limits=lenient)


def test_zip_bomb_that_lies_about_its_size_is_stopped_while_inflating(bomb: bytes) -> None:
    lying = bytearray(bomb)
    local = lying.find(b"sources/bomb.txt") - 30  # the name follows a 30-byte local header
    central = lying.rfind(b"sources/bomb.txt") - 46  # and a 46-byte central header
    struct.pack_into("<I", lying, local + 22, 1000)
    struct.pack_into("<I", lying, central + 24, 1000)
    with pytest.raises(RefiError, match=r"member 'sources/bomb.txt' is damaged"):
        read_qdpx(bytes(lying), filename="liar.qdpx")


def test_too_many_members_are_refused() -> None:
    archive = zip_of({f"sources/{i}.txt": b"x" for i in range(11)})
    with pytest.raises(RefiError, match="11 archive members"):
        read_qdpx(archive, filename="many.qdpx", limits=Limits(max_members=10))


@pytest.mark.parametrize(
    "name",
    ["../evil.txt", "sources/../../evil.txt", "/etc/passwd", "sources\\..\\evil.txt", "C:/evil"],
)
def test_member_paths_that_escape_are_refused(name: str) -> None:
    archive = project_with_source("internal://a.txt", {name: b"owned"})
    with pytest.raises(RefiError, match="unsafe path"):
        read_qdpx(archive, filename="traversal.qdpx")


def test_encrypted_members_are_refused() -> None:
    archive = bytearray(project_with_source("internal://a.txt", {"sources/a.txt": b"secret"}))
    central = archive.rfind(b"PK\x01\x02")
    struct.pack_into("<H", archive, central + 8, 0x1)
    with pytest.raises(RefiError, match=r"'sources/a\.txt' is encrypted"):
        read_qdpx(bytes(archive), filename="locked.qdpx")


def test_duplicate_members_are_refused() -> None:
    archive = zip_of({"project.qde": b"<Project name='a'/>", "project.qdf": b"<Project/>"})
    twice = archive.replace(b"project.qdf", b"project.qde")
    with pytest.raises(RefiError, match="appears twice"):
        read_qdpx(twice, filename="twice.qdpx")


def test_plain_text_path_cannot_leave_the_sources_folder() -> None:
    archive = project_with_source("internal://../project.qde")
    project = read_qdpx(archive, filename="sneaky.qdpx")
    assert project.sources == []
    assert "not a file of the sources folder" in project.warnings[0]


def test_external_sources_are_skipped_with_a_warning() -> None:
    project = read_qdpx(project_with_source("absolute:///etc/passwd"), filename="ext.qdpx")
    assert project.sources == []
    assert "external file" in project.warnings[0]


def test_billion_laughs_in_project_qde_is_refused() -> None:
    archive = zip_of({"project.qde": BILLION_LAUGHS})
    with pytest.raises(RefiError, match=r"lol\.qdpx: project\.qde line 2: a DOCTYPE"):
        read_qdpx(archive, filename="lol.qdpx")


def test_xxe_in_project_qde_is_refused() -> None:
    qde = XXE.replace(b"CodeBook", b"Project")
    with pytest.raises(RefiError, match="DOCTYPE or entity declaration"):
        read_qdpx(zip_of({"project.qde": qde}), filename="xxe.qdpx")


@pytest.mark.parametrize("document", [XXE, BILLION_LAUGHS], ids=["xxe", "billion-laughs"])
def test_entity_attacks_in_a_codebook_are_refused(document: bytes) -> None:
    with pytest.raises(RefiError, match=r"evil\.qdc line 2: a DOCTYPE"):
        read_qdc(document, filename="evil.qdc")


def test_utf16_doctype_is_refused() -> None:
    document = XXE.decode("utf-8").replace('"1.0"?>', '"1.0" encoding="UTF-16"?>', 1)
    with pytest.raises(RefiError, match="DOCTYPE"):
        read_qdc(document.encode("utf-16"), filename="evil.qdc")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"This is not a zip archive at all", "not a ZIP archive"),
        (b"PK\x03\x04 but then nothing", "damaged or truncated"),
    ],
    ids=["empty", "not-a-zip", "zip-signature-only"],
)
def test_input_that_is_not_an_archive_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(RefiError, match=message):
        read_qdpx(data, filename="upload.qdpx")


def test_truncated_archive_is_refused() -> None:
    archive = write_qdpx(sample_project())
    with pytest.raises(RefiError, match=r"upload\.qdpx: a damaged or truncated ZIP"):
        read_qdpx(archive[: len(archive) // 2], filename="upload.qdpx")


def test_archive_without_project_qde_is_refused() -> None:
    with pytest.raises(RefiError, match=r"expected one project\.qde"):
        read_qdpx(zip_of({"sources/a.txt": b"hello"}), filename="bare.qdpx")


def test_malformed_xml_names_the_member_and_line() -> None:
    archive = zip_of({"project.qde": b'<?xml version="1.0"?>\n<Project name="x">\n<Users>'})
    with pytest.raises(RefiError, match=r"bad\.qdpx: project\.qde line \d+: not well-formed"):
        read_qdpx(archive, filename="bad.qdpx")


def test_missing_required_guid_names_the_element_and_line() -> None:
    qde = QDE_HEAD + b'<Project name="x">\n<Users>\n<User name="no guid"/></Users></Project>'
    with pytest.raises(RefiError, match=r"project\.qde line 4: <User> has no guid"):
        read_qdpx(zip_of({"project.qde": qde}), filename="x.qdpx")


class CountingReader(io.BytesIO):
    """A stream that records how many bytes were asked of it."""

    requested = 0

    def read(self, size: int | None = -1) -> bytes:
        self.requested += size if size is not None and size >= 0 else len(self.getvalue())
        return super().read(size)


def test_100_mb_upload_is_refused_by_the_cap_before_reading() -> None:
    upload = bytes(100_000_000)
    with pytest.raises(RefiError, match="over the limit"):
        read_qdpx(upload, filename="huge.qdpx")
    stream = CountingReader(upload)
    with pytest.raises(RefiError, match="over the limit"):
        read_qdpx(stream, filename="huge.qdpx")
    assert stream.requested == Limits().max_input_bytes + 1


def test_project_archive_given_as_codebook_is_refused_clearly() -> None:
    with pytest.raises(RefiError, match=r"not a \.qdc codebook"):
        read_qdc(write_qdpx(sample_project()), filename="project.qdc")


def test_oversized_codebook_is_refused() -> None:
    with pytest.raises(RefiError, match="over the limit of 1000 bytes"):
        read_qdc(bytes(1001), filename="big.qdc", limits=Limits(max_xml_bytes=1000))


# --- Lenient reading of foreign files ---------------------------------------------------------

FOREIGN_QDE = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:0:10" name="Foreign" origin="Elsewhere 1.0">
 <Users><User guid="{AD68FBE7-E1EE-4A82-A279-23CC698C89EB}" name="Ana"/></Users>
 <CodeBook><Codes>
  <Code guid="85D17F60-7BB0-481E-B742-B4861DD669DF" name="happiness" color="pink">
   <Description>joy</Description><Extra/>
  </Code>
 </Codes></CodeBook>
 <Variables><Variable guid="11111111-1111-4111-8111-111111111111" name="age"
   typeOfVariable="Integer"/></Variables>
 <Cases><Case guid="22222222-2222-4222-8222-222222222222" name="R1">
  <VariableValue><VariableRef targetGUID="11111111-1111-4111-8111-111111111111"/>
   <IntegerValue>41</IntegerValue></VariableValue>
  <SourceRef targetGUID="33333333-3333-4333-8333-333333333333"/>
  <SourceRef targetGUID="44444444-4444-4444-8444-444444444444"/>
 </Case></Cases>
 <Sources>
  <TextSource guid="33333333-3333-4333-8333-333333333333" name="Interview"
    plainTextPath="internal://33333333-3333-4333-8333-333333333333.TXT"
    creationDateTime="2018-10-04T22:56:11">
   <PlainTextSelection guid="55555555-5555-4555-8555-555555555555"
     startPosition="0" endPosition="5">
    <Coding guid="66666666-6666-4666-8666-666666666666"
      creatingUser="AD68FBE7-E1EE-4A82-A279-23CC698C89EB">
     <CodeRef targetGUID="85d17f60-7bb0-481e-b742-b4861dd669df"/></Coding>
    <NoteRef targetGUID="77777777-7777-4777-8777-777777777777"/>
   </PlainTextSelection>
   <PlainTextSelection guid="88888888-8888-4888-8888-888888888888"
     startPosition="3" endPosition="999">
    <Coding guid="99999999-9999-4999-8999-999999999999">
     <CodeRef targetGUID="85d17f60-7bb0-481e-b742-b4861dd669df"/></Coding>
   </PlainTextSelection>
   <Coding guid="aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa">
    <CodeRef targetGUID="bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb"/></Coding>
  </TextSource>
  <PDFSource guid="44444444-4444-4444-8444-444444444444" name="Article" path="internal://a.pdf">
   <PDFSelection guid="cccccccc-cccc-4ccc-8ccc-cccccccccccc" page="0" firstX="1" firstY="1"
     secondX="2" secondY="2"><Coding guid="dddddddd-dddd-4ddd-8ddd-dddddddddddd">
     <CodeRef targetGUID="85d17f60-7bb0-481e-b742-b4861dd669df"/></Coding></PDFSelection>
  </PDFSource>
 </Sources>
 <Notes><Note guid="77777777-7777-4777-8777-777777777777" name="Memo">
  <PlainTextContent>Nice quote</PlainTextContent></Note></Notes>
 <Links><Link guid="eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee"/></Links>
</Project>
"""


def test_foreign_project_is_read_leniently() -> None:
    archive = zip_of(
        {
            "Export/project.qde": FOREIGN_QDE.encode("utf-8"),
            "Export/sources/33333333-3333-4333-8333-333333333333.txt": "\ufeffHello there".encode(),
            "Export/sources/a.pdf": b"%PDF-1.4",
        }
    )
    project = read_qdpx(archive, filename="foreign.qdpx")
    ana = "ad68fbe7-e1ee-4a82-a279-23cc698c89eb"
    assert project.users == [User(ana, "Ana")]
    assert project.codebook.codes[0].color is None  # "pink" is no #RRGGBB
    assert project.sources[0].text == "Hello there"  # byte-order mark dropped
    assert project.sources[0].created == datetime(2018, 10, 4, 22, 56, 11, tzinfo=UTC)
    assert [(c.start, c.end, c.user_guid) for c in project.codings] == [(0, 5, ana)]
    assert project.notes[0].targets == ["66666666-6666-4666-8666-666666666666"]
    assert project.cases[0].variables == {"age": 41}
    assert project.cases[0].source_guids == ["33333333-3333-4333-8333-333333333333"]
    report = "\n".join(project.warnings)
    for expected in (
        "read the project from 'Export/project.qde'",
        "color 'pink'",
        "3-999 is not a passage",
        "skipped PDF source 'Article'",
        "1 coding(s) on it not imported",
        "1 coding(s) of codes missing from the codebook",
        "1 <Extra> in <Code>",
        "1 <Links> in <Project>",
        "case reference(s) to skipped or missing sources",
    ):
        assert expected in report
    assert_valid(PROJECT_XSD, qde_of(write_qdpx(project)))
