"""A program's workbench to and from REFI-QDA: export, import, round trip, hostile files."""

from __future__ import annotations

import dataclasses
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from peermentor.qualitative import exchange, refi
from peermentor.qualitative.code_description import (
    CodeDescription,
    read_description,
    write_description,
)
from peermentor.qualitative.models import Code, Coder, Memo, Segment, Source
from peermentor.qualitative.refi_model import Project
from tests.conftest import World, client_for
from tests.qualitative.test_refi import (
    CODEBOOK_XSD,
    NVIVO_QDPX,
    PROJECT_XSD,
    QC_DEMO_QDPX,
    assert_valid,
    needs_samples,
    qde_of,
    refi_file,
)

pytestmark = pytest.mark.django_db

ANSWER = "👍🏽 Très bien — la réunion m'a aidée. Mais l'horaire… 😬 difficile."
OTHER = "We felt closed off from the other junior faculty.\nNo curriculum at all."


def _workbench(world: World) -> dict[str, Any]:
    """Codes with every field, two answers, three coders, segments and a memo of each kind."""
    program = world.program
    outcomes = Code.objects.create(program=program, name="Outcomes", is_codable=False)
    support = Code.objects.create(
        program=program,
        parent=outcomes,
        name="Support",
        definition="Help and encouragement from the group.",
        when_to_use="The answer names help received.",
        when_not_to_use="Help from outside the group.",
        example="“They read my draft.”",
        color="#2a9d8f",
        polarity="benefit",
    )
    exclusivity = Code.objects.create(
        program=program, parent=outcomes, name="Exclusivity", polarity="undesirable", position=1
    )
    person = Coder.objects.create(
        program=program, kind="person", user=world.evaluator, name="Eve Evaluator"
    )
    assistant = Coder.objects.create(program=program, kind="assistant", name="Assistant")
    consensus = Coder.objects.create(program=program, kind="consensus", name="Consensus")
    first = Source.objects.create(
        program=program,
        name="Close-out · benefits · R01",
        text=ANSWER,
        respondent="R01",
        group=world.group,
        variables={"Rank": "Assistant professor", "Years": 4},
    )
    second = Source.objects.create(
        program=program, name="Close-out · problems · R02", text=OTHER, respondent="R02"
    )
    start = ANSWER.index("Très")
    segment = Segment.objects.create(
        source=first, code=support, coder=person, start=start, end=start + len("Très bien")
    )
    Segment.objects.create(source=first, code=support, coder=assistant, start=0, end=len(ANSWER))
    Segment.objects.create(source=second, code=exclusivity, coder=consensus, start=0, end=17)
    Memo.objects.create(program=program, author=person, title="Codebook", text="Draft 1")
    Memo.objects.create(program=program, title="On support", text="Broad.", code=support)
    Memo.objects.create(program=program, title="On R02", text="Angry.", source=second)
    Memo.objects.create(program=program, title="On span", text="Emoji!", segment=segment)
    return {"support": support, "first": first, "segment": segment}


def _comparable(project: Project) -> Project:
    """What PeerMentor models, in a fixed order, without GUIDs that are derived per program."""
    return dataclasses.replace(
        project,
        name="",
        sources=sorted(project.sources, key=lambda s: s.guid),
        codings=sorted(project.codings, key=lambda c: c.guid),
        notes=sorted(
            (dataclasses.replace(n, targets=sorted(n.targets)) for n in project.notes),
            key=lambda n: n.guid,
        ),
        users=sorted(project.users, key=lambda u: u.guid),
        cases=sorted(
            (
                dataclasses.replace(c, guid="", source_guids=sorted(c.source_guids))
                for c in project.cases
            ),
            key=lambda c: c.name,
        ),
        variables=[dataclasses.replace(v, guid="") for v in project.variables],
    )


def test_code_description_keeps_every_part() -> None:
    parts = CodeDescription(
        "Defined.\nTwo lines.", "Use it.", "Not that.", "“Quote”", "undesirable"
    )
    text = write_description(parts)
    assert "When not to use: Not that." in text
    assert "Polarity: Undesirable or unintended" in text
    assert read_description(text) == parts


def test_a_plain_description_is_all_definition() -> None:
    assert read_description("Just words.") == CodeDescription(definition="Just words.")
    assert write_description(CodeDescription(definition="Only this.")) == "Only this."


def test_export_holds_codes_answers_codings_coders_memos_and_respondents(world: World) -> None:
    made = _workbench(world)
    project = exchange.project_of(world.program)
    assert [code.name for code in project.codebook.walk()] == ["Outcomes", "Support", "Exclusivity"]
    support = project.codebook.codes[0].children[0]
    assert "When to use: The answer names help received." in support.description
    assert {user.name for user in project.users} == {
        "Eve Evaluator",
        exchange.ASSISTANT_NAME,
        exchange.CONSENSUS_NAME,
    }
    coding = next(c for c in project.codings if c.guid == str(made["segment"].guid))
    source = next(s for s in project.sources if s.guid == coding.source_guid)
    assert source.text[coding.start : coding.end] == "Très bien"
    assert {note.name: len(note.targets) for note in project.notes} == {
        "Codebook": 0,
        "On support": 1,
        "On R02": 1,
        "On span": 1,
    }
    first_case = next(case for case in project.cases if case.name == "R01")
    assert first_case.variables == {
        "Group": world.group.name,
        "Rank": "Assistant professor",
        "Years": 4,
    }


@needs_samples
def test_exports_validate_against_the_refi_schemas(world: World) -> None:
    _workbench(world)
    assert_valid(PROJECT_XSD, qde_of(exchange.export_project(program=world.program, actor=None)))
    assert_valid(CODEBOOK_XSD, exchange.export_codebook(program=world.program, actor=None))


def test_round_trip_into_a_new_program_loses_nothing(world: World) -> None:
    _workbench(world)
    first = exchange.export_project(program=world.program, actor=world.evaluator)
    report = exchange.import_project(
        program=world.other_program, data=first, filename="first.qdpx", actor=None
    )
    assert (report.codes, report.sources, report.codings, report.notes) == (3, 2, 3, 4)
    copied = Code.objects.get(program=world.other_program, name="Support")
    assert (copied.when_not_to_use, copied.polarity, copied.color, copied.parent.name) == (
        "Help from outside the group.",
        "benefit",
        "#2a9d8f",
        "Outcomes",
    )
    kinds = set(Coder.objects.filter(program=world.other_program).values_list("kind", flat=True))
    assert kinds == {"imported", "assistant", "consensus"}
    again = refi.read_qdpx(
        exchange.export_project(program=world.other_program, actor=None), filename="again.qdpx"
    )
    original = refi.read_qdpx(first, filename="first.qdpx")
    assert _comparable(again) == _comparable(original)


def test_importing_the_same_file_twice_adds_nothing(world: World) -> None:
    _workbench(world)
    data = exchange.export_project(program=world.program, actor=None)
    report = exchange.import_project(
        program=world.program, data=data, filename="x.qdpx", actor=None
    )
    assert (report.codes, report.sources, report.codings, report.notes, report.coders) == (
        0,
        0,
        0,
        0,
        0,
    )
    assert report.already_present == 3 + 2 + 3 + 4 + 3
    assert Segment.objects.filter(source__program=world.program).count() == 3


def test_a_codebook_import_adds_codes_only(world: World) -> None:
    _workbench(world)
    qdc = exchange.export_codebook(program=world.program, actor=None)
    report = exchange.import_project(
        program=world.other_program, data=qdc, filename="book.qdc", actor=None
    )
    assert report.codes == 3
    assert not Source.objects.filter(program=world.other_program).exists()


def test_a_bad_file_saves_nothing_and_says_where(world: World) -> None:
    _workbench(world)
    project = exchange.project_of(world.program)
    project.codebook.codes[0].children[1].name = "x" * 250
    data = refi.write_qdpx(project)
    with pytest.raises(exchange.ExchangeError, match="its name: 250 characters"):
        exchange.import_project(
            program=world.other_program, data=data, filename="b.qdpx", actor=None
        )
    assert not Code.objects.filter(program=world.other_program).exists()
    assert not Coder.objects.filter(program=world.other_program).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><CodeBook/>', "DOCTYPE|entit"),
        (b"PK\x03\x04 not really a zip", "archive|ZIP|zip"),
    ],
)
def test_hostile_files_are_refused(world: World, data: bytes, message: str) -> None:
    with pytest.raises(exchange.ExchangeError, match=message):
        exchange.import_project(program=world.program, data=data, filename="h.qdc", actor=None)
    assert not Code.objects.exists()


def test_a_path_that_leaves_the_archive_is_refused(world: World) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("project.qde", b'<Project xmlns="urn:QDA-XML:project:1.0" name="x"/>')
        archive.writestr("../../etc/passwd", b"root")
    with pytest.raises(exchange.ExchangeError, match="passwd"):
        exchange.import_project(
            program=world.program, data=buffer.getvalue(), filename="t.qdpx", actor=None
        )


@needs_samples
def test_imports_the_real_qc_export_through_the_command(world: World, capsys: Any) -> None:
    call_command(
        "import-qdpx", str(refi_file(QC_DEMO_QDPX)), "--program", world.program.slug, "--json"
    )
    report = json.loads(capsys.readouterr().out)
    assert (report["codes"], report["sources"], report["codings"]) == (262, 2, 205)
    assert len(report["warnings"]) == 2
    segment = Segment.objects.filter(source__name="board_2017.txt").order_by("start").first()
    assert segment.source.text[segment.start : segment.end].startswith("This district goal")


@needs_samples
def test_imports_the_real_nvivo_export(world: World) -> None:
    data = refi_file(NVIVO_QDPX).read_bytes()
    report = exchange.import_project(
        program=world.program, data=data, filename="n.qdpx", actor=None
    )
    assert (report.codes, report.sources, report.coders) == (262, 2, 2)
    assert Code.objects.get(program=world.program, name="competencies").parent.name == (
        "rq1_definition"
    )


def test_export_command_writes_a_project_and_a_codebook(world: World, tmp_path: Path) -> None:
    _workbench(world)
    call_command("export-qdpx", "--program", world.program.slug, str(tmp_path / "p.qdpx"))
    call_command("export-qdpx", "--program", world.program.slug, str(tmp_path / "c.qdc"))
    project = refi.read_qdpx((tmp_path / "p.qdpx").read_bytes(), filename="p.qdpx")
    assert len(project.codings) == 3
    codebook = refi.read_qdc((tmp_path / "c.qdc").read_bytes(), filename="c.qdc")
    assert len(list(codebook.walk())) == 3


def test_commands_name_a_missing_program_and_file(world: World, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No program has the slug “nope”"):
        call_command("export-qdpx", "--program", "nope", str(tmp_path / "p.qdpx"))
    with pytest.raises(CommandError, match="no such file"):
        call_command("import-qdpx", str(tmp_path / "absent.qdpx"), "--program", world.program.slug)
    (tmp_path / "bad.qdc").write_bytes(b"<CodeBook")
    with pytest.raises(CommandError, match=r"bad\.qdc.*Nothing was imported"):
        call_command("import-qdpx", str(tmp_path / "bad.qdc"), "--program", world.program.slug)


def test_evaluator_downloads_the_project_and_the_download_is_audited(world: World) -> None:
    from django.urls import reverse

    from peermentor.core.models import AuditEntry

    _workbench(world)
    client = client_for(world.evaluator)
    response = client.get(reverse("workbench_export_qdpx", kwargs={"slug": world.program.slug}))
    assert response["Content-Disposition"].endswith('.qdpx"')
    project = refi.read_qdpx(response.content, filename="download.qdpx")
    assert len(project.sources) == 2
    assert AuditEntry.objects.filter(action="workbench.exported", actor=world.evaluator).exists()


def test_upload_imports_or_refuses_whole(world: World) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    _workbench(world)
    data = exchange.export_project(program=world.program, actor=None)
    Code.objects.filter(program=world.program).delete()
    world.program.coders.all().delete()
    client = client_for(world.evaluator)
    url = reverse("workbench_import", kwargs={"slug": world.program.slug})
    broken = SimpleUploadedFile("broken.qdpx", data[: len(data) // 2])
    response = client.post(url, {"file": broken})
    assert "Nothing was imported" in response.content.decode()
    assert not Code.objects.filter(program=world.program).exists()
    response = client.post(url, {"file": SimpleUploadedFile("good.qdpx", data)}, follow=True)
    assert "Imported 3 codes" in response.content.decode()
    assert Segment.objects.filter(source__program=world.program).count() == 3


def test_an_empty_codebook_cannot_be_exported_and_the_page_says_why(world: World) -> None:
    from django.urls import reverse

    response = client_for(world.evaluator).get(
        reverse("workbench_export_qdc", kwargs={"slug": world.program.slug})
    )
    assert "add a code first" in response.content.decode()
