"""Turn parsed REFI-QDA documents into PeerMentor's model, leniently, recording what was skipped.

Elements are matched by local name, so any namespace variant (``urn:QDA-XML:project:1.0``, the
draft ``0:10`` or none) reads; optional attributes may be missing; unknown elements, sets, links
and graphs are counted in a warning; non-text sources are skipped with a warning each; references
to things that were skipped or never existed are dropped with a warning.
"""

from __future__ import annotations

import math
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import PurePosixPath
from typing import TypeAlias, TypeVar

from lxml import etree

from peermentor.qualitative.refi_model import (
    COLOR_RE,
    VARIABLE_TYPES,
    Case,
    Code,
    Codebook,
    Coding,
    Note,
    Project,
    RefiError,
    TextSource,
    User,
    Variable,
    VariableType,
    VariableValue,
    normalise_guid,
)

Element: TypeAlias = etree._Element
T = TypeVar("T")
# (plainTextPath, where, warn) -> the text of the file, or None after a warning.
LoadText: TypeAlias = Callable[[str, str, Callable[[str], None]], "str | None"]

# A fixed namespace makes a repaired GUID the same at every read, so references still match.
_REPAIRED_NS = uuid.UUID("0b9e2f44-61d8-4c39-a0a4-4f2a8f3e9d27")
_NON_TEXT_SOURCES = {
    "PDFSource": "PDF source",
    "PictureSource": "picture source",
    "AudioSource": "audio source",
    "VideoSource": "video source",
}


def local_name(element: Element) -> str:
    """The tag of an element without its namespace, so that any namespace variant is read."""
    return str(etree.QName(element).localname)


def _read_datetime(value: str) -> datetime | None:
    """An aware datetime from an xsd:dateTime; one without a zone is taken as UTC."""
    try:
        stamp = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


def _read_value(kind: str, text: str) -> VariableValue | None:
    """The Python value of a REFI ``<kind>Value`` element, or None if it does not parse."""
    text_value = text.strip()
    try:
        if kind == "Text":
            return text
        if kind == "Boolean":
            return {"true": True, "1": True, "false": False, "0": False}.get(text_value)
        if kind == "Integer":
            return int(text_value)
        if kind == "Float":
            number = float(text_value)
            return number if math.isfinite(number) else None
        if kind == "Date":
            return date.fromisoformat(text_value[:10])
    except ValueError:
        return None
    return _read_datetime(text_value) if kind == "DateTime" else None


class DocumentReader:
    """Turns a parsed REFI document into model objects, collecting warnings as it goes."""

    def __init__(self, where: str, stem: str, load_text: LoadText) -> None:
        self.where, self.stem, self.load_text = where, stem, load_text
        self.warnings: list[str] = []
        self.ignored: Counter[str] = Counter()
        self.seen: set[str] = set()
        self.repaired = 0
        self.rich_text = 0
        self.note_links: list[tuple[str, str]] = []
        self.case_values: list[tuple[Case, str, VariableValue, str]] = []
        self.project_data = Project(name=stem)

    # Helpers

    def at(self, element: Element) -> str:
        return f"{self.where} line {element.sourceline}: <{local_name(element)}>"

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def kids(self, element: Element) -> Iterator[tuple[str, Element]]:
        for child in element:
            if isinstance(child.tag, str):
                yield local_name(child), child

    def ignore(self, parent: Element, child: Element) -> None:
        self.ignored[f"<{local_name(child)}> in <{local_name(parent)}>"] += 1

    def guid(self, element: Element, attribute: str = "guid") -> str:
        value = self.opt_guid(element, attribute)
        if value is None:
            raise RefiError(f"{self.at(element)} has no {attribute} attribute")
        return value

    def opt_guid(self, element: Element, attribute: str) -> str | None:
        raw = element.get(attribute)
        if raw is None or not raw.strip():
            return None
        guid = normalise_guid(raw)
        if guid is None:
            self.repaired += 1
            guid = str(uuid.uuid5(_REPAIRED_NS, raw.strip()))
        return guid

    def claim(self, guid: str, element: Element) -> bool:
        if guid in self.seen:
            self.warn(f"{self.at(element)} GUID {guid} is used twice; the second use was skipped")
            return False
        self.seen.add(guid)
        return True

    def stamp(self, element: Element, attribute: str) -> datetime | None:
        raw = element.get(attribute)
        stamp = None if raw is None else _read_datetime(raw)
        if raw is not None and stamp is None:
            self.warn(f"{self.at(element)} {attribute} {raw!r} is not a date-time; dropped")
        return stamp

    def position(self, element: Element, attribute: str) -> int | None:
        try:
            return int(element.get(attribute, "").strip())
        except ValueError:
            return None

    def finish_warnings(self) -> None:
        """Turn the counts of ignored and repaired things into warnings."""
        for what, count in sorted(self.ignored.items()):
            self.warn(f"{self.where}: ignored {count} {what}: PeerMentor does not model them")
        if self.repaired:
            self.warn(f"{self.where}: replaced {self.repaired} malformed GUID(s) by stable ones")
        if self.rich_text:
            self.warn(
                f"{self.where}: {self.rich_text} source(s) also carry rich text (richTextPath); "
                "only their plain text was imported"
            )

    # Codebook

    def codebook(self, element: Element) -> Codebook:
        """The codes under a <CodeBook> element, of a .qdc or of a project."""
        codebook = Codebook()
        for name, child in self.kids(element):
            if name == "Codes":
                codebook.codes.extend(self.codes(child))
            else:
                self.ignore(element, child)
        return codebook

    def codes(self, element: Element) -> list[Code]:
        codes: list[Code] = []
        for name, child in self.kids(element):
            if name == "Code":
                _append(codes, self.code(child))
            else:
                self.ignore(element, child)
        return codes

    def code(self, element: Element) -> Code | None:
        guid = self.guid(element)
        if not self.claim(guid, element):
            return None
        code = Code(guid=guid, name=element.get("name", ""), color=self.color(element))
        code.is_codable = element.get("isCodable", "true").strip().lower() not in ("false", "0")
        for name, child in self.kids(element):
            if name == "Description":
                code.description = child.text or ""
            elif name == "Code":
                _append(code.children, self.code(child))
            elif name == "NoteRef":
                self.note_ref(child, guid)
            else:
                self.ignore(element, child)
        return code

    def color(self, element: Element) -> str | None:
        raw = element.get("color")
        if raw is None or COLOR_RE.fullmatch(raw.strip()):
            return None if raw is None else raw.strip()
        self.warn(f"{self.at(element)} color {raw!r} is not #RGB or #RRGGBB; dropped")
        return None

    def note_ref(self, element: Element, target: str) -> None:
        note = self.opt_guid(element, "targetGUID")
        if note is not None:
            self.note_links.append((note, target))

    # Project

    def project(self, root: Element) -> Project:
        """The project of a <Project> root, its references checked and its warnings listed."""
        if local_name(root) != "Project":
            raise RefiError(
                f"{self.where}: the root element is <{local_name(root)}>, not <Project>"
            )
        project = self.project_data
        project.name = root.get("name", self.stem)
        project.origin = root.get("origin")
        sections: dict[str, Callable[[Element], None]] = {
            "Users": self.users,
            "CodeBook": lambda e: project.codebook.codes.extend(self.codebook(e).codes),
            "Variables": self.variables,
            "Cases": self.cases,
            "Sources": self.sources,
            "Notes": self.notes,
            "NoteRef": lambda e: None,
        }
        for name, child in self.kids(root):
            handler = sections.get(name)
            if handler is None:
                self.ignore(root, child)
            else:
                handler(child)
        _Resolver(self).resolve()
        self.finish_warnings()
        project.warnings = self.warnings
        return project

    def users(self, element: Element) -> None:
        for name, child in self.kids(element):
            if name != "User":
                self.ignore(element, child)
                continue
            guid = self.guid(child)
            if self.claim(guid, child):
                self.project_data.users.append(User(guid=guid, name=child.get("name", "")))

    def variables(self, element: Element) -> None:
        names = {v.name for v in self.project_data.variables}
        for name, child in self.kids(element):
            if name != "Variable":
                self.ignore(element, child)
                continue
            variable = self.variable(child, names)
            if variable is not None:
                names.add(variable.name)
                self.project_data.variables.append(variable)

    def variable(self, element: Element, names: set[str]) -> Variable | None:
        guid = self.guid(element)
        if not self.claim(guid, element):
            return None
        kind = element.get("typeOfVariable", "Text").strip()
        if kind not in VARIABLE_TYPES:
            self.warn(f"{self.at(element)} typeOfVariable {kind!r} is unknown; read as Text")
            kind = "Text"
        name, base, number = element.get("name", ""), element.get("name", ""), 1
        while name in names:
            number += 1
            name = f"{base} ({number})"
        if name != base:
            self.warn(f"{self.at(element)} name {base!r} is used twice; renamed {name!r}")
        description = "".join(c.text or "" for n, c in self.kids(element) if n == "Description")
        return Variable(guid=guid, name=name, type=_as_type(kind), description=description)

    def cases(self, element: Element) -> None:
        for name, child in self.kids(element):
            if name != "Case":
                self.ignore(element, child)
                continue
            guid = self.guid(child)
            if self.claim(guid, child):
                self.case(child, Case(guid=guid, name=child.get("name", "")))

    def case(self, element: Element, case: Case) -> None:
        for name, child in self.kids(element):
            if name == "SourceRef":
                _append(case.source_guids, self.opt_guid(child, "targetGUID"))
            elif name == "VariableValue":
                self.variable_value(child, case)
            else:
                self.ignore(element, child)
        self.project_data.cases.append(case)

    def variable_value(self, element: Element, case: Case) -> None:
        ref, kind, value = None, None, None
        for name, child in self.kids(element):
            if name == "VariableRef":
                ref = self.opt_guid(child, "targetGUID")
            elif name.endswith("Value"):
                kind = name.removesuffix("Value")
                value = _read_value(kind, child.text or "")
        if ref is None or kind is None or value is None:
            self.warn(f"{self.at(element)} has no variable or no readable value; skipped")
            return
        self.case_values.append((case, ref, value, kind))

    # Sources and notes

    def sources(self, element: Element) -> None:
        for name, child in self.kids(element):
            if name == "TextSource":
                self.text_source(child)
            elif name in _NON_TEXT_SOURCES:
                codings = sum(1 for _ in child.iter("{*}Coding"))
                self.warn(
                    f"{self.at(child)} skipped {_NON_TEXT_SOURCES[name]} "
                    f"{child.get('name', child.get('guid', ''))!r}: PeerMentor imports plain-text "
                    f"sources only ({codings} coding(s) on it not imported)"
                )
            else:
                self.ignore(element, child)

    def text_source(self, element: Element) -> None:
        guid = self.guid(element)
        if not self.claim(guid, element):
            return
        text = self.text_of(element)
        if text is None:
            codings = sum(1 for _ in element.iter("{*}Coding"))
            self.warn(f"{self.at(element)} skipped, with its {codings} coding(s): no plain text")
            return
        path = element.get("plainTextPath", "")
        name = element.get("name", PurePosixPath(path.rpartition("://")[2]).name or guid)
        source = TextSource(guid=guid, name=name, text=text)
        source.user_guid = self.opt_guid(element, "creatingUser")
        source.created = self.stamp(element, "creationDateTime")
        self.rich_text += element.get("richTextPath") is not None
        for kind, child in self.kids(element):
            self.source_part(element, kind, child, source)
        self.project_data.sources.append(source)

    def source_part(self, parent: Element, kind: str, child: Element, source: TextSource) -> None:
        if kind == "Description":
            source.description = child.text or ""
        elif kind == "PlainTextSelection":
            self.selection(child, source)
        elif kind == "Coding" and source.text:
            _append(self.project_data.codings, self.coding(child, source.guid, 0, len(source.text)))
        elif kind == "NoteRef":
            self.note_ref(child, source.guid)
        elif kind != "PlainTextContent":
            self.ignore(parent, child)

    def text_of(self, element: Element) -> str | None:
        for name, child in self.kids(element):
            if name == "PlainTextContent":
                return child.text or ""
        path = element.get("plainTextPath")
        if path is None:
            self.warn(f"{self.at(element)} has neither PlainTextContent nor plainTextPath")
            return None
        return self.load_text(path, self.at(element), self.warn)

    def selection(self, element: Element, source: TextSource) -> None:
        start, end = self.position(element, "startPosition"), self.position(element, "endPosition")
        if start is None or end is None or not 0 <= start < end <= len(source.text):
            self.warn(
                f"{self.at(element)} {start}-{end} is not a passage of source {source.name!r} "
                f"({len(source.text)} characters); skipped with its codings"
            )
            return
        codings: list[Coding] = []
        refs: list[Element] = []
        for name, child in self.kids(element):
            if name == "Coding":
                _append(codings, self.coding(child, source.guid, start, end))
            elif name == "NoteRef":
                refs.append(child)
            else:
                self.ignore(element, child)
        for ref in refs:
            if not codings:
                self.warn(f"{self.at(ref)} annotates an uncoded selection; note kept unattached")
            for coding in codings:
                self.note_ref(ref, coding.guid)
        self.project_data.codings.extend(codings)

    def coding(self, element: Element, source: str, start: int, end: int) -> Coding | None:
        guid = self.guid(element)
        if not self.claim(guid, element):
            return None
        code = None
        for name, child in self.kids(element):
            if name == "CodeRef":
                code = self.opt_guid(child, "targetGUID")
            elif name == "NoteRef":
                self.note_ref(child, guid)
            else:
                self.ignore(element, child)
        if code is None:
            self.warn(f"{self.at(element)} has no <CodeRef>; skipped")
            return None
        coding = Coding(guid=guid, source_guid=source, start=start, end=end, code_guid=code)
        coding.user_guid = self.opt_guid(element, "creatingUser")
        coding.created = self.stamp(element, "creationDateTime")
        return coding

    def notes(self, element: Element) -> None:
        for name, child in self.kids(element):
            if name != "Note":
                self.ignore(element, child)
                continue
            guid = self.guid(child)
            if self.claim(guid, child):
                self.note(child, guid)

    def note(self, element: Element, guid: str) -> None:
        text = self.text_of(element)
        note = Note(guid=guid, name=element.get("name", ""), text=text or "")
        note.user_guid = self.opt_guid(element, "creatingUser")
        note.created = self.stamp(element, "creationDateTime")
        for name, child in self.kids(element):
            if name != "PlainTextContent":
                self.ignore(element, child)
        self.project_data.notes.append(note)


def _append(items: list[T], item: T | None) -> None:
    """Append the item unless it is None (skipped, with a warning, by the reader)."""
    if item is not None:
        items.append(item)


def _as_type(kind: str) -> VariableType:
    """The variable type named, known to be one of VARIABLE_TYPES."""
    return next(known for known in VARIABLE_TYPES if known == kind)


class _Resolver:
    """Checks the references of a read project, dropping dangling ones with a warning each kind."""

    def __init__(self, reader: DocumentReader) -> None:
        self.reader, self.project = reader, reader.project_data
        self.dropped: Counter[str] = Counter()

    def resolve(self) -> None:
        self.codings()
        self.users()
        self.notes()
        self.cases()
        for what, count in sorted(self.dropped.items()):
            if count:
                self.reader.warn(f"{self.reader.where}: {count} {what}")

    def codings(self) -> None:
        codes = {code.guid for code in self.project.codebook.walk()}
        kept = [c for c in self.project.codings if c.code_guid in codes]
        self.dropped["coding(s) of codes missing from the codebook were skipped"] += len(
            self.project.codings
        ) - len(kept)
        self.project.codings = kept

    def users(self) -> None:
        users = {user.guid for user in self.project.users}
        items: list[TextSource | Coding | Note] = [*self.project.sources, *self.project.codings]
        for item in [*items, *self.project.notes]:
            if item.user_guid is not None and item.user_guid not in users:
                self.dropped["reference(s) to users missing from <Users> were dropped"] += 1
                item.user_guid = None

    def notes(self) -> None:
        notes = {note.guid: note for note in self.project.notes}
        targets = {code.guid for code in self.project.codebook.walk()}
        targets |= {s.guid for s in self.project.sources} | {c.guid for c in self.project.codings}
        for note_guid, target in self.reader.note_links:
            note = notes.get(note_guid)
            if note is None or target not in targets:
                self.dropped["note reference(s) to missing notes or targets were dropped"] += 1
            elif target not in note.targets:
                note.targets.append(target)

    def cases(self) -> None:
        sources = {source.guid for source in self.project.sources}
        variables = {variable.guid: variable for variable in self.project.variables}
        for case in self.project.cases:
            kept = [guid for guid in case.source_guids if guid in sources]
            self.dropped["case reference(s) to skipped or missing sources were dropped"] += len(
                case.source_guids
            ) - len(kept)
            case.source_guids = kept
        for case, ref, value, kind in self.reader.case_values:
            variable = variables.get(ref)
            if variable is None or variable.type != kind:
                self.dropped["case value(s) of unknown variables or of the wrong type dropped"] += 1
            else:
                case.variables[variable.name] = value
