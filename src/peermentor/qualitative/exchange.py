"""A program's workbench to and from REFI-QDA (``.qdc`` codebooks, ``.qdpx`` projects).

How PeerMentor's workbench maps onto REFI-QDA 1.5:

- codes → codes, nested as in the codebook; definition, when to use, when not to use, example
  and polarity travel in the code's description (``code_description``); colours as they are;
- sources (pseudonymised answers) → text sources, by GUID;
- segments → codings, each coder a project user (the assistant and the consensus coder under the
  names ``PeerMentor assistant`` and ``PeerMentor consensus``, which an import recognises);
- memos → notes attached to their code, source or coding (project memos unattached);
- respondents → cases (one per respondent of a wave), their variables → case variables, with
  the group's name (only ever kept for groups of five or more) as the variable ``Group``.

Coding rounds, themes, exemplars, keyword rules and suggestions have no place in REFI-QDA and
stay in PeerMentor. An import is all or nothing; objects whose GUID the program already holds are
matched, not duplicated, so importing the same file twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from django.db import transaction

from peermentor.core.audit import audit_record
from peermentor.programs.models import Program
from peermentor.qualitative import refi, refi_model
from peermentor.qualitative.code_description import (
    CodeDescription,
    read_description,
    write_description,
)
from peermentor.qualitative.models import Code, Coder, Memo, Segment, Source

ASSISTANT_NAME = "PeerMentor assistant"
CONSENSUS_NAME = "PeerMentor consensus"
GROUP_VARIABLE = "Group"
_NAMED_KINDS = {Coder.Kind.ASSISTANT: ASSISTANT_NAME, Coder.Kind.CONSENSUS: CONSENSUS_NAME}
_KIND_OF_NAME = {name: kind for kind, name in _NAMED_KINDS.items()}
_GUIDS = uuid.UUID("0b6f3c52-5d0e-4a57-9a43-6c3f7d2f4e10")  # namespace of derived GUIDs


class ExchangeError(ValueError):
    """A REFI-QDA file that cannot be imported into the program; the message says where."""


# --- Export -----------------------------------------------------------------------------------


def _refi_codes(program: Program) -> list[refi_model.Code]:
    codes = list(Code.objects.filter(program=program).order_by("position", "name", "pk"))
    by_parent: dict[int | None, list[Code]] = defaultdict(list)
    for code in codes:
        by_parent[code.parent_id].append(code)

    def build(code: Code) -> refi_model.Code:
        parts = CodeDescription(
            definition=code.definition,
            when_to_use=code.when_to_use,
            when_not_to_use=code.when_not_to_use,
            example=code.example,
            polarity=code.polarity,
        )
        return refi_model.Code(
            guid=str(code.guid),
            name=code.name,
            color=code.color,
            description=write_description(parts),
            children=[build(child) for child in by_parent[code.pk]],
            is_codable=code.is_codable,
        )

    return [build(code) for code in by_parent[None]]


def codebook_of(program: Program) -> refi_model.Codebook:
    """The program's codebook as REFI-QDA data."""
    return refi_model.Codebook(codes=_refi_codes(program))


def _case_name(source: Source) -> str:
    if source.wave is not None and source.respondent:
        return f"{source.wave.title} · {source.respondent}"
    return source.respondent


def _store_value(value: refi_model.VariableValue) -> Any:
    if isinstance(value, dt.datetime):
        return {"type": "DateTime", "value": value.isoformat()}
    if isinstance(value, dt.date):
        return {"type": "Date", "value": value.isoformat()}
    return value


def _read_value(stored: Any) -> refi_model.VariableValue:
    if isinstance(stored, dict):
        if stored.get("type") == "DateTime":
            return dt.datetime.fromisoformat(stored["value"])
        return dt.date.fromisoformat(stored["value"])
    return stored  # type: ignore[no-any-return]


def _variable_type(value: refi_model.VariableValue) -> refi_model.VariableType:
    if isinstance(value, bool):
        return "Boolean"
    if isinstance(value, int):
        return "Integer"
    if isinstance(value, float):
        return "Float"
    if isinstance(value, dt.datetime):
        return "DateTime"
    if isinstance(value, dt.date):
        return "Date"
    return "Text"


def _derived_guid(*parts: object) -> str:
    return str(uuid.uuid5(_GUIDS, ":".join(str(part) for part in parts)))


def _cases(
    program: Program, sources: list[Source]
) -> tuple[list[refi_model.Case], list[refi_model.Variable]]:
    cases: dict[str, refi_model.Case] = {}
    types: dict[str, refi_model.VariableType] = {}
    for source in sources:
        name = _case_name(source)
        if not name:
            continue
        case = cases.setdefault(
            name, refi_model.Case(guid=_derived_guid(program.slug, "case", name), name=name)
        )
        case.source_guids.append(str(source.guid))
        values = {key: _read_value(value) for key, value in source.variables.items()}
        if source.group is not None:
            values.setdefault(GROUP_VARIABLE, source.group.name)
        for key, value in values.items():
            kind = _variable_type(value)
            if types.setdefault(key, kind) != kind:
                value, types[key] = str(value), "Text"
            case.variables.setdefault(key, value)
    for case in cases.values():  # a variable that became Text is Text in every case
        for key, value in case.variables.items():
            if types[key] == "Text" and not isinstance(value, str):
                case.variables[key] = str(value)
    variables = [
        refi_model.Variable(
            guid=_derived_guid(program.slug, "variable", name), name=name, type=kind
        )
        for name, kind in sorted(types.items())
    ]
    return list(cases.values()), variables


def project_of(program: Program) -> refi_model.Project:
    """The program's whole workbench as REFI-QDA data."""
    coders = list(Coder.objects.filter(program=program).select_related("user"))
    users = [
        refi_model.User(guid=str(coder.guid), name=_NAMED_KINDS.get(coder.kind, coder.name))
        for coder in coders
    ]
    sources = list(
        Source.objects.filter(program=program)
        .select_related("wave", "group")
        .order_by("wave_id", "question_id", "respondent", "name", "pk")
    )
    segments = (
        Segment.objects.filter(source__program=program)
        .select_related("source", "code", "coder")
        .order_by("source_id", "start", "end", "pk")
    )
    codings = [
        refi_model.Coding(
            guid=str(segment.guid),
            source_guid=str(segment.source.guid),
            start=segment.start,
            end=segment.end,
            code_guid=str(segment.code.guid),
            user_guid=str(segment.coder.guid),
            created=segment.created_at,
        )
        for segment in segments
    ]
    memos = Memo.objects.filter(program=program).select_related(
        "code", "source", "segment", "author"
    )
    notes = [
        refi_model.Note(
            guid=str(memo.guid),
            name=memo.title,
            text=memo.text,
            targets=[
                str(target.guid) for target in (memo.code, memo.source, memo.segment) if target
            ],
            user_guid=str(memo.author.guid) if memo.author else None,
            created=memo.created_at,
        )
        for memo in memos.order_by("created_at", "pk")
    ]
    cases, variables = _cases(program, sources)
    return refi_model.Project(
        name=program.name,
        users=users,
        codebook=codebook_of(program),
        sources=[
            refi_model.TextSource(guid=str(s.guid), name=s.name, text=s.text, created=s.created_at)
            for s in sources
        ],
        codings=codings,
        notes=notes,
        cases=cases,
        variables=variables,
    )


def export_codebook(*, program: Program, actor: Any) -> bytes:
    """The codebook as a ``.qdc`` document (audited)."""
    document = refi.write_qdc(codebook_of(program))
    audit_record(action="workbench.exported", actor=actor, target=program, project=False)
    return document


def export_project(*, program: Program, actor: Any) -> bytes:
    """The whole workbench as a ``.qdpx`` archive (audited)."""
    archive = refi.write_qdpx(project_of(program))
    audit_record(action="workbench.exported", actor=actor, target=program, project=True)
    return archive


# --- Import -----------------------------------------------------------------------------------


@dataclass
class ImportReport:
    """What an import added, what it found already there, and what the reader skipped."""

    codes: int = 0
    sources: int = 0
    codings: int = 0
    notes: int = 0
    coders: int = 0
    already_present: int = 0
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "codes": self.codes,
            "sources": self.sources,
            "codings": self.codings,
            "notes": self.notes,
            "coders": self.coders,
            "already_present": self.already_present,
            "warnings": self.warnings,
        }


def read_file(data: bytes | BinaryIO, *, filename: str) -> refi_model.Project:
    """A ``.qdpx`` project or a ``.qdc`` codebook (as a project with only codes)."""
    raw = data if isinstance(data, bytes) else data.read(refi.DEFAULT_LIMITS.max_input_bytes + 1)
    try:
        if raw[:4] == b"PK\x03\x04":
            return refi.read_qdpx(raw, filename=filename)
        warnings: list[str] = []
        codebook = refi.read_qdc(raw, filename=filename, warnings=warnings)
    except refi.RefiError as error:
        raise ExchangeError(str(error)) from error
    return refi_model.Project(name=filename, codebook=codebook, warnings=warnings)


def _check_length(value: str, limit: int, what: str) -> str:
    if len(value) > limit:
        raise ExchangeError(f"{what}: {len(value)} characters, more than the {limit} allowed")
    return value


class _Importer:
    def __init__(self, program: Program, project: refi_model.Project) -> None:
        self.program = program
        self.project = project
        self.report = ImportReport(warnings=list(project.warnings))
        self.codes: dict[str, Code] = {
            str(code.guid): code for code in Code.objects.filter(program=program)
        }
        self.sources: dict[str, Source] = {
            str(source.guid): source for source in Source.objects.filter(program=program)
        }
        self.coders: dict[str, Coder] = {
            str(coder.guid): coder for coder in Coder.objects.filter(program=program)
        }
        self.created_at: dict[type[Any], list[tuple[Any, dt.datetime | None]]] = defaultdict(list)
        self.segments: dict[str, Segment] = {
            str(segment.guid): segment
            for segment in Segment.objects.filter(source__program=program)
        }

    def run(self) -> ImportReport:
        for position, code in enumerate(self.project.codebook.codes):
            self.code(code, parent=None, position=position)
        self.users()
        self.sources_and_cases()
        self.codings()
        self.notes()
        self.keep_creation_times()
        return self.report

    def code(self, code: refi_model.Code, *, parent: Code | None, position: int) -> None:
        existing = self.codes.get(code.guid)
        if existing is not None:
            self.report.already_present += 1
        else:
            parts = read_description(code.description)
            existing = Code.objects.create(
                program=self.program,
                parent=parent,
                guid=uuid.UUID(code.guid),
                name=_check_length(code.name, 200, f"code {code.guid}: its name"),
                definition=parts.definition,
                when_to_use=parts.when_to_use,
                when_not_to_use=parts.when_not_to_use,
                example=parts.example,
                polarity=parts.polarity,
                color=(code.color or "#1f6feb").lower(),
                is_codable=code.is_codable,
                position=position,
            )
            self.codes[code.guid] = existing
            self.report.codes += 1
        for index, child in enumerate(code.children):
            self.code(child, parent=existing, position=index)

    def users(self) -> None:
        named = {c.kind: c for c in self.coders.values() if c.kind in _NAMED_KINDS}
        for user in self.project.users:
            if user.guid in self.coders:
                self.report.already_present += 1
                continue
            kind = _KIND_OF_NAME.get(user.name, Coder.Kind.IMPORTED)
            if kind in named:  # the program's own assistant or consensus coder
                self.coders[user.guid] = named[kind]
                continue
            coder = Coder.objects.create(
                program=self.program,
                kind=kind,
                guid=uuid.UUID(user.guid),
                name=_check_length(user.name or "Unnamed coder", 200, f"user {user.guid}"),
            )
            self.coders[user.guid] = (
                named.setdefault(kind, coder) if kind in _NAMED_KINDS else coder
            )
            self.report.coders += 1

    def sources_and_cases(self) -> None:
        case_of: dict[str, refi_model.Case] = {}
        for case in self.project.cases:
            for source_guid in case.source_guids:
                case_of.setdefault(source_guid, case)
        for source in self.project.sources:
            if source.guid in self.sources:
                self.report.already_present += 1
                continue
            case = case_of.get(source.guid)
            variables = (
                {key: _store_value(value) for key, value in case.variables.items()} if case else {}
            )
            self.sources[source.guid] = Source.objects.create(
                program=self.program,
                guid=uuid.UUID(source.guid),
                name=_check_length(source.name, 300, f"source {source.guid}: its name"),
                text=source.text,
                respondent=_check_length(case.name, 200, f"case {case.guid}") if case else "",
                variables=variables,
            )
            self.created_at[Source].append((self.sources[source.guid].pk, source.created))
            self.report.sources += 1

    def _unknown_coder(self) -> Coder:
        guid = _derived_guid(self.program.slug, "unknown coder")
        if guid not in self.coders:
            self.coders[guid], _ = Coder.objects.get_or_create(
                program=self.program,
                guid=uuid.UUID(guid),
                defaults={"kind": Coder.Kind.IMPORTED, "name": "Unknown coder"},
            )
        return self.coders[guid]

    def codings(self) -> None:
        new: list[Segment] = []
        seen = {
            (s.source_id, s.code_id, s.coder_id, s.start, s.end) for s in self.segments.values()
        }
        for coding in self.project.codings:
            if coding.guid in self.segments:
                self.report.already_present += 1
                continue
            source = self.sources[coding.source_guid]
            code = self.codes.get(coding.code_guid)
            if code is None:
                raise ExchangeError(f"coding {coding.guid}: code {coding.code_guid} is not known")
            if not 0 <= coding.start < coding.end <= len(source.text):
                raise ExchangeError(
                    f"coding {coding.guid}: {coding.start}-{coding.end} is not a passage of "
                    f"source {source.name!r} ({len(source.text)} characters)"
                )
            coder = self.coders.get(coding.user_guid or "") or self._unknown_coder()
            key = (source.pk, code.pk, coder.pk, coding.start, coding.end)
            if key in seen:
                self.report.warnings.append(
                    f"coding {coding.guid} repeats another coding of the same passage, code "
                    "and coder; it was kept once"
                )
                continue
            seen.add(key)
            segment = Segment(
                source=source,
                code=code,
                coder=coder,
                start=coding.start,
                end=coding.end,
                guid=uuid.UUID(coding.guid),
            )
            new.append(segment)
            self.segments[coding.guid] = segment
        Segment.objects.bulk_create(new, batch_size=500)
        created = {coding.guid: coding.created for coding in self.project.codings}
        for segment in new:
            self.created_at[Segment].append((segment.pk, created[str(segment.guid)]))
        self.report.codings += len(new)

    def notes(self) -> None:
        existing = {
            str(guid)
            for guid in Memo.objects.filter(program=self.program).values_list("guid", flat=True)
        }
        for note in self.project.notes:
            if note.guid in existing:
                self.report.already_present += 1
                continue
            targets: dict[str, Any] = {}
            for target in note.targets:
                if target in self.codes:
                    targets.setdefault("code", self.codes[target])
                elif target in self.sources:
                    targets.setdefault("source", self.sources[target])
                elif target in self.segments:
                    targets.setdefault("segment", self.segments[target])
            if len(targets) < len(note.targets):
                self.report.warnings.append(
                    f"note {note.name!r} is attached to {len(note.targets)} objects; a memo "
                    "holds one code, one source and one segment, so it keeps the first of each"
                )
            memo = Memo.objects.create(
                program=self.program,
                guid=uuid.UUID(note.guid),
                title=_check_length(note.name or "Note", 200, f"note {note.guid}: its name"),
                text=note.text,
                author=self.coders.get(note.user_guid or ""),
                **targets,
            )
            self.created_at[Memo].append((memo.pk, note.created))
            self.report.notes += 1

    def keep_creation_times(self) -> None:
        """Creation times travel with the objects (``auto_now_add`` stamped the import's time)."""
        for model, stamps in self.created_at.items():
            for pk, created in stamps:
                if created is not None:
                    model.objects.filter(pk=pk).update(created_at=created)


def import_project(
    *, program: Program, data: bytes | BinaryIO, filename: str, actor: Any
) -> ImportReport:
    """Read a ``.qdpx`` or ``.qdc`` file into the program's workbench, all or nothing."""
    project = read_file(data, filename=filename)
    with transaction.atomic():
        report = _Importer(program, project).run()
        audit_record(
            action="workbench.imported",
            actor=actor,
            target=program,
            codes=report.codes,
            sources=report.sources,
            codings=report.codings,
        )
    return report
