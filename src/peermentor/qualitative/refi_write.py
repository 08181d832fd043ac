"""Write PeerMentor's model as REFI-QDA documents that validate against the 1.0 schemas.

Every coding becomes a ``PlainTextSelection`` (one per source and span, its GUID derived from
them) holding one ``Coding`` per code applied; sources are ``sources/<guid>.txt`` members named by
``plainTextPath="internal://<guid>.txt"``; notes carry their text inline and are attached by
``NoteRef`` elements in their targets, or in the project when they have none. The output is
deterministic, so exporting a project read from our own export gives the same bytes.
"""

from __future__ import annotations

import codecs
import io
import math
import re
import uuid
import zipfile
from collections.abc import Iterable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TypeAlias

from lxml import etree

from peermentor.qualitative.refi_model import (
    COLOR_RE,
    VARIABLE_TYPES,
    Code,
    Codebook,
    Coding,
    Project,
    RefiError,
    TextSource,
    VariableValue,
    normalise_guid,
)

Element: TypeAlias = etree._Element

CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_SCHEMA = "http://schema.qdasoftware.org/versions/Codebook/v1.0/Codebook.xsd"
PROJECT_SCHEMA = "http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
ORIGIN = "PeerMentor"

# A fixed namespace makes selection GUIDs stable, so that a re-export is byte-identical.
_SELECTION_NS = uuid.UUID("5d0f3c1e-8a53-4d0e-9f55-2f6d6b0c7a11")
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def qdc_document(codebook: Codebook) -> bytes:
    """The codebook as a ``.qdc`` document, or RefiError if it cannot be written validly."""
    if not codebook.codes:
        raise RefiError("codebook: REFI-QDA cannot carry an empty codebook; add a code first")
    _Index().add_codes(codebook)
    builder = _Builder(CODEBOOK_NS)
    root = builder.root("CodeBook", CODEBOOK_SCHEMA, origin=ORIGIN)
    builder.codes(builder.sub(root, "Codes"), codebook.codes, {})
    return _serialise(root)


def qdpx_archive(project: Project) -> bytes:
    """The project as a ``.qdpx`` archive, or RefiError if it cannot be written faithfully."""
    _check_project(project)
    members = [("project.qde", _ProjectWriter(project).document())]
    members += [(f"sources/{_guid(s.guid)}.txt", _utf8(s)) for s in project.sources]
    return _zip(members)


def _guid(value: str) -> str:
    """The normalised GUID; the value was checked before writing began."""
    return normalise_guid(value) or value


def _stamp(value: datetime) -> str:
    """An aware datetime as an xsd:dateTime in UTC."""
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _write_value(value: VariableValue) -> str:
    """The lexical form of a checked variable value in its xsd type."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f")
    if isinstance(value, datetime):
        return _stamp(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _utf8(source: TextSource) -> bytes:
    """The text of a source as UTF-8, for its internal .txt file."""
    # Readers drop a leading byte-order mark, so a text that starts with U+FEFF gets one more.
    bom = codecs.BOM_UTF8 if source.text.startswith("\ufeff") else b""
    try:
        return bom + source.text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise RefiError(
            f"source {source.name!r}: character {exc.start} is a lone surrogate, not text"
        ) from exc


def _serialise(root: Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _zip(members: Iterable[tuple[str, bytes]]) -> bytes:
    """A deterministic ZIP archive of the members, deflated."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, payload in members:
            info = zipfile.ZipInfo(name, date_time=_ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, payload)
    return buffer.getvalue()


class _Builder:
    """Creates REFI elements in one namespace, refusing text that XML cannot carry."""

    def __init__(self, namespace: str) -> None:
        self.namespace = namespace

    def root(self, tag: str, schema: str, **attributes: str | None) -> Element:
        element = etree.Element(
            f"{{{self.namespace}}}{tag}", nsmap={None: self.namespace, "xsi": XSI_NS}
        )
        element.set(f"{{{XSI_NS}}}schemaLocation", f"{self.namespace} {schema}")
        self._set(element, attributes)
        return element

    def sub(
        self, parent: Element, tag: str, text: str | None = None, **attributes: str | None
    ) -> Element:
        element = etree.SubElement(parent, f"{{{self.namespace}}}{tag}")
        self._set(element, attributes)
        if text is not None:
            element.text = _xml_text(text, f"<{tag}> of {_describe(parent)}")
        return element

    def _set(self, element: Element, attributes: dict[str, str | None]) -> None:
        for name, value in attributes.items():
            if value is not None:
                element.set(name, _xml_text(value, f"attribute {name} of {_describe(element)}"))

    def codes(self, parent: Element, codes: list[Code], notes: dict[str, list[str]]) -> None:
        for code in codes:
            element = self.sub(
                parent,
                "Code",
                guid=_guid(code.guid),
                name=code.name,
                isCodable="true" if code.is_codable else "false",
                color=code.color,
            )
            if code.description:
                self.sub(element, "Description", code.description)
            self.note_refs(element, notes.get(_guid(code.guid), []))
            self.codes(element, code.children, notes)

    def note_refs(self, parent: Element, notes: list[str]) -> None:
        for note in notes:
            self.sub(parent, "NoteRef", targetGUID=note)


def _describe(element: Element) -> str:
    guid = element.get("guid")
    return f"<{etree.QName(element).localname}>" + (f" {guid}" if guid else "")


def _xml_text(value: str, where: str) -> str:
    """The value, unless it holds a character that XML 1.0 cannot carry."""
    bad = _NOT_XML_CHAR.search(value)
    if bad:
        raise RefiError(f"{where} holds U+{ord(bad.group()):04X}, which XML cannot carry")
    return value


class _ProjectWriter:
    """Writes project.qde: every coding becomes a PlainTextSelection holding one or more Codings."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.build = _Builder(PROJECT_NS)
        self.notes: dict[str, list[str]] = {}
        for note in project.notes:
            for target in note.targets:
                self.notes.setdefault(_guid(target), []).append(_guid(note.guid))

    def document(self) -> bytes:
        project = self.project
        root = self.build.root("Project", PROJECT_SCHEMA, name=project.name, origin=ORIGIN)
        if project.users:
            users = self.build.sub(root, "Users")
            for user in project.users:
                self.build.sub(users, "User", guid=_guid(user.guid), name=user.name)
        if project.codebook.codes:
            codes = self.build.sub(self.build.sub(root, "CodeBook"), "Codes")
            self.build.codes(codes, project.codebook.codes, self.notes)
        self.variables(root)
        self.cases(root)
        self.sources(root)
        self.write_notes(root)
        self.build.note_refs(root, [_guid(n.guid) for n in project.notes if not n.targets])
        return _serialise(root)

    def variables(self, root: Element) -> None:
        if not self.project.variables:
            return
        parent = self.build.sub(root, "Variables")
        for variable in self.project.variables:
            element = self.build.sub(
                parent,
                "Variable",
                guid=_guid(variable.guid),
                name=variable.name,
                typeOfVariable=variable.type,
            )
            if variable.description:
                self.build.sub(element, "Description", variable.description)

    def cases(self, root: Element) -> None:
        if not self.project.cases:
            return
        parent = self.build.sub(root, "Cases")
        kinds = {v.name: (v.type, _guid(v.guid)) for v in self.project.variables}
        for case in self.project.cases:
            element = self.build.sub(parent, "Case", guid=_guid(case.guid), name=case.name)
            for name, value in case.variables.items():
                kind, guid = kinds[name]
                holder = self.build.sub(element, "VariableValue")
                self.build.sub(holder, "VariableRef", targetGUID=guid)
                self.build.sub(holder, f"{kind}Value", _write_value(value))
            for source in case.source_guids:
                self.build.sub(element, "SourceRef", targetGUID=_guid(source))

    def sources(self, root: Element) -> None:
        if not self.project.sources:
            return
        parent = self.build.sub(root, "Sources")
        by_source: dict[str, dict[tuple[int, int], list[Coding]]] = {}
        for coding in self.project.codings:
            spans = by_source.setdefault(_guid(coding.source_guid), {})
            spans.setdefault((coding.start, coding.end), []).append(coding)
        for source in self.project.sources:
            guid = _guid(source.guid)
            element = self.build.sub(
                parent,
                "TextSource",
                guid=guid,
                name=source.name,
                plainTextPath=f"internal://{guid}.txt",
                creatingUser=_guid(source.user_guid) if source.user_guid else None,
                creationDateTime=_stamp(source.created) if source.created else None,
            )
            if source.description:
                self.build.sub(element, "Description", source.description)
            for (start, end), codings in by_source.get(guid, {}).items():
                self.selection(element, guid, start, end, codings)
            self.build.note_refs(element, self.notes.get(guid, []))

    def selection(
        self, parent: Element, source: str, start: int, end: int, codings: list[Coding]
    ) -> None:
        first = codings[0]
        element = self.build.sub(
            parent,
            "PlainTextSelection",
            guid=str(uuid.uuid5(_SELECTION_NS, f"{source}:{start}:{end}")),
            startPosition=str(start),
            endPosition=str(end),
            creatingUser=_guid(first.user_guid) if first.user_guid else None,
            creationDateTime=_stamp(first.created) if first.created else None,
        )
        for coding in codings:
            holder = self.build.sub(
                element,
                "Coding",
                guid=_guid(coding.guid),
                creatingUser=_guid(coding.user_guid) if coding.user_guid else None,
                creationDateTime=_stamp(coding.created) if coding.created else None,
            )
            self.build.sub(holder, "CodeRef", targetGUID=_guid(coding.code_guid))
            self.build.note_refs(holder, self.notes.get(_guid(coding.guid), []))

    def write_notes(self, root: Element) -> None:
        if not self.project.notes:
            return
        parent = self.build.sub(root, "Notes")
        for note in self.project.notes:
            element = self.build.sub(
                parent,
                "Note",
                guid=_guid(note.guid),
                name=note.name,
                creatingUser=_guid(note.user_guid) if note.user_guid else None,
                creationDateTime=_stamp(note.created) if note.created else None,
            )
            self.build.sub(element, "PlainTextContent", note.text)


# --- Checking a project before writing --------------------------------------------------------


class _Index:
    """The GUIDs of a project by kind, refusing malformed and duplicate ones."""

    def __init__(self) -> None:
        self.owner: dict[str, str] = {}
        self.kinds: dict[str, set[str]] = {}

    def add(self, kind: str, guid: str, label: str) -> str:
        normal = normalise_guid(guid)
        if normal is None:
            raise RefiError(f"{label}: {guid!r} is not a GUID")
        if normal in self.owner:
            raise RefiError(f"{label}: GUID {guid} is also used by {self.owner[normal]}")
        self.owner[normal] = label
        self.kinds.setdefault(kind, set()).add(normal)
        return normal

    def has(self, kind: str, guid: str | None) -> bool:
        return guid is None or normalise_guid(guid) in self.kinds.get(kind, set())

    def add_codes(self, codebook: Codebook) -> None:
        for code in codebook.walk():
            self.add("code", code.guid, f"code {code.name!r}")
            if code.color is not None and not COLOR_RE.fullmatch(code.color):
                raise RefiError(f"code {code.name!r}: color {code.color!r} is not #RGB or #RRGGBB")


def _check_time(value: datetime | None, label: str) -> None:
    if value is not None and value.tzinfo is None:
        raise RefiError(f"{label}: the time {value.isoformat()} has no time zone")


def _check_project(project: Project) -> None:
    """Raise RefiError unless the project can be written faithfully and validly."""
    index = _Index()
    for user in project.users:
        index.add("user", user.guid, f"user {user.name!r}")
    index.add_codes(project.codebook)
    _check_variables(project, index)
    lengths = _check_sources(project, index)
    _check_codings(project, index, lengths)
    _check_notes(project, index)
    _check_cases(project, index)


def _check_variables(project: Project, index: _Index) -> None:
    names: set[str] = set()
    for variable in project.variables:
        label = f"variable {variable.name!r}"
        index.add("variable", variable.guid, label)
        if variable.type not in VARIABLE_TYPES:
            raise RefiError(f"{label}: type {variable.type!r} is not one of {VARIABLE_TYPES}")
        if variable.name in names:
            raise RefiError(f"{label}: two variables have this name")
        names.add(variable.name)


def _check_sources(project: Project, index: _Index) -> dict[str, int]:
    lengths = {}
    for source in project.sources:
        label = f"source {source.name!r}"
        lengths[index.add("source", source.guid, label)] = len(source.text)
        if not index.has("user", source.user_guid):
            raise RefiError(f"{label}: user {source.user_guid} is not among the project's users")
        _check_time(source.created, label)
    return lengths


def _check_codings(project: Project, index: _Index, lengths: dict[str, int]) -> None:
    for coding in project.codings:
        label = f"coding {coding.guid}"
        index.add("coding", coding.guid, label)
        length = lengths.get(normalise_guid(coding.source_guid) or "")
        if length is None:
            raise RefiError(f"{label}: source {coding.source_guid} is not in the project")
        if not index.has("code", coding.code_guid):
            raise RefiError(f"{label}: code {coding.code_guid} is not in the codebook")
        if not index.has("user", coding.user_guid):
            raise RefiError(f"{label}: user {coding.user_guid} is not among the project's users")
        if not 0 <= coding.start < coding.end <= length:
            raise RefiError(
                f"{label}: {coding.start}-{coding.end} is not a passage of its source "
                f"({length} characters)"
            )
        _check_time(coding.created, label)


def _check_notes(project: Project, index: _Index) -> None:
    for note in project.notes:
        label = f"note {note.name!r}"
        index.add("note", note.guid, label)
        for target in note.targets:
            if not any(index.has(kind, target) for kind in ("code", "source", "coding")):
                raise RefiError(f"{label}: target {target} is not a code, source or coding")
        if not index.has("user", note.user_guid):
            raise RefiError(f"{label}: user {note.user_guid} is not among the project's users")
        if len({normalise_guid(t) for t in note.targets}) != len(note.targets):
            raise RefiError(f"{label}: a target is listed twice")
        _check_time(note.created, label)


def _check_cases(project: Project, index: _Index) -> None:
    kinds = {variable.name: variable.type for variable in project.variables}
    for case in project.cases:
        label = f"case {case.name!r}"
        index.add("case", case.guid, label)
        for source in case.source_guids:
            if not index.has("source", source):
                raise RefiError(f"{label}: source {source} is not in the project")
        for name, value in case.variables.items():
            if name not in kinds:
                raise RefiError(f"{label}: variable {name!r} is not among the project's variables")
            if not _fits(kinds[name], value):
                raise RefiError(f"{label}: {value!r} is not a {kinds[name]} value for {name!r}")


def _fits(kind: str, value: object) -> bool:
    """Whether a Python value can be written as a REFI value of the variable type."""
    if kind == "Text":
        return isinstance(value, str)
    if kind == "Boolean":
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False
    if kind == "Integer":
        return isinstance(value, int)
    if kind == "Float":
        return isinstance(value, int | float) and math.isfinite(value)
    if kind == "DateTime":
        return isinstance(value, datetime) and value.tzinfo is not None
    return isinstance(value, date) and not isinstance(value, datetime)
