"""Read and write REFI-QDA codebooks (``.qdc``) and projects (``.qdpx``), refusing hostile files.

Writing is strict: what comes out validates against the REFI-QDA 1.0 schemas, and a project that
cannot be written faithfully raises ``RefiError``. Reading is lenient towards the real exports of
NVivo, ATLAS.ti, MAXQDA, QualCoder and qc (see ``refi_read``) and lists in ``Project.warnings``
what it skipped or repaired. It is strict towards danger: DOCTYPE and entity declarations,
unsafe, duplicate, linked or encrypted archive members, zip bombs and oversized input raise
``RefiError``, whose message names the file and the archive member or line.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import BinaryIO, TypeAlias

from lxml import etree

from peermentor.qualitative.refi_model import Codebook, Project, RefiError
from peermentor.qualitative.refi_read import DocumentReader, local_name
from peermentor.qualitative.refi_write import qdc_document, qdpx_archive

__all__ = [
    "DEFAULT_LIMITS",
    "Limits",
    "RefiError",
    "read_qdc",
    "read_qdpx",
    "write_qdc",
    "write_qdpx",
]

Element: TypeAlias = etree._Element
Input: TypeAlias = bytes | bytearray | BinaryIO

MIB = 1024 * 1024
_ZIP_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
_DTD_MARKERS = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)
_READ_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    NotImplementedError,
    RuntimeError,
    ValueError,  # zipfile: "negative seek value" for a member header offset before the start
)


@dataclass(frozen=True)
class Limits:
    """Caps on what a read accepts; the defaults suit survey answers, not media archives."""

    max_input_bytes: int = 64 * MIB
    max_xml_bytes: int = 32 * MIB
    max_members: int = 10_000
    max_member_bytes: int = 64 * MIB
    max_total_bytes: int = 256 * MIB
    max_ratio: int = 100
    ratio_floor_bytes: int = MIB


DEFAULT_LIMITS = Limits()


# --- Public API -------------------------------------------------------------------------------


def write_qdc(codebook: Codebook) -> bytes:
    """The codebook as a REFI-QDA ``.qdc`` document, valid against Codebook.xsd 1.0."""
    return qdc_document(codebook)


def write_qdpx(project: Project) -> bytes:
    """The project as a REFI-QDA ``.qdpx`` archive: project.qde and one .txt per source."""
    return qdpx_archive(project)


def read_qdc(
    data: Input,
    *,
    filename: str,
    warnings: list[str] | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Codebook:
    """The codebook of a ``.qdc`` document; what was skipped is appended to ``warnings``."""
    raw = _take(data, limits.max_xml_bytes, filename)
    if raw.startswith(b"PK\x03\x04"):
        raise RefiError(f"{filename}: a ZIP archive (a .qdpx project?), not a .qdc codebook")
    root = _parse_xml(raw, filename)
    reader = DocumentReader(filename, PurePosixPath(filename).stem, _no_files)
    if local_name(root) != "CodeBook":
        raise RefiError(f"{filename}: the root element is <{local_name(root)}>, not <CodeBook>")
    codebook = reader.codebook(root)
    reader.finish_warnings()
    if warnings is not None:
        warnings.extend(reader.warnings)
    return codebook


def read_qdpx(data: Input, *, filename: str, limits: Limits = DEFAULT_LIMITS) -> Project:
    """The project of a ``.qdpx`` archive, with its plain-text sources and a list of warnings."""
    archive = _Archive(_take(data, limits.max_input_bytes, filename), filename, limits)
    qde = archive.project_member()
    where = f"{filename}: {qde.filename}"
    root = _parse_xml(archive.read(qde, limits.max_xml_bytes), where)
    reader = DocumentReader(where, PurePosixPath(filename).stem, archive.load_text)
    project = reader.project(root)
    project.warnings[:0] = archive.warnings
    return project


# --- Safe input -------------------------------------------------------------------------------


def _take(data: Input, cap: int, filename: str) -> bytes:
    """The bytes of the input, refusing it before reading more than ``cap`` bytes."""
    if isinstance(data, bytes | bytearray):
        if len(data) > cap:
            raise RefiError(f"{filename}: {len(data)} bytes is over the limit of {cap} bytes")
        raw = bytes(data)
    else:
        raw = data.read(cap + 1)
        if len(raw) > cap:
            raise RefiError(f"{filename}: the file is over the limit of {cap} bytes")
    if not raw:
        raise RefiError(f"{filename}: the file is empty")
    return raw


def _parse_xml(data: bytes, where: str) -> Element:
    """The root of an XML document parsed without DTDs, entities or network access."""
    for marker in _DTD_MARKERS:
        at = data.find(marker)
        if at >= 0:
            line = data.count(b"\n", 0, at) + 1
            raise RefiError(
                f"{where} line {line}: a DOCTYPE or entity declaration is refused "
                "(REFI-QDA files have none; they can carry XXE or entity-expansion attacks)"
            )
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        collect_ids=False,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise RefiError(f"{where} line {exc.lineno}: not well-formed XML: {exc.msg}") from exc
    if root.getroottree().docinfo.doctype:
        raise RefiError(f"{where}: a DOCTYPE declaration is refused")
    return root


def _unsafe_member_name(name: str) -> bool:
    """Whether an archive member name could escape a folder if it were ever extracted."""
    if not name or "\\" in name or "\x00" in name or name.startswith("/"):
        return True
    if re.match(r"[A-Za-z]:", name):
        return True
    return any(part in ("", ".", "..") for part in name.rstrip("/").split("/"))


class _Archive:
    """A ZIP archive whose members all passed the safety checks, read with size caps."""

    def __init__(self, raw: bytes, filename: str, limits: Limits) -> None:
        self.filename, self.limits = filename, limits
        self.warnings: list[str] = []
        if not raw.startswith(b"PK"):
            raise RefiError(f"{filename}: not a ZIP archive (a .qdpx file is a ZIP archive)")
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(raw))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, *_READ_ERRORS) as exc:
            raise RefiError(f"{filename}: a damaged or truncated ZIP archive ({exc})") from exc
        self._check_members(infos)
        self.members = {info.filename: info for info in infos}
        self.lowered = {name.lower(): info for name, info in self.members.items()}
        self.root = ""

    def _check_members(self, infos: list[zipfile.ZipInfo]) -> None:
        if len(infos) > self.limits.max_members:
            raise RefiError(
                f"{self.filename}: {len(infos)} archive members is over the limit of "
                f"{self.limits.max_members}"
            )
        names = Counter(info.filename for info in infos)
        for info in infos:
            if names[info.filename] > 1:
                raise RefiError(f"{self.filename}: member {info.filename!r} appears twice")
            self._check_member(info)
        total = sum(info.file_size for info in infos)
        if total > self.limits.max_total_bytes:
            raise RefiError(
                f"{self.filename}: the members would inflate to {total} bytes, over the limit "
                f"of {self.limits.max_total_bytes} bytes (a zip bomb?)"
            )

    def _check_member(self, info: zipfile.ZipInfo) -> None:
        member = f"{self.filename}: member {info.filename!r}"
        if _unsafe_member_name(info.filename):
            raise RefiError(f"{member} has an unsafe path (absolute, '..' or backslash)")
        if info.flag_bits & 0x1:
            raise RefiError(f"{member} is encrypted; export the project without a password")
        if (info.external_attr >> 16) & 0o170000 == 0o120000:
            raise RefiError(f"{member} is a symbolic link")
        if info.compress_type not in _ZIP_METHODS:
            raise RefiError(f"{member} uses unsupported compression {info.compress_type}")
        if info.file_size > self.limits.max_member_bytes:
            raise RefiError(
                f"{member} would inflate to {info.file_size} bytes, over the limit of "
                f"{self.limits.max_member_bytes} bytes"
            )
        ratio_cap = self.limits.max_ratio * max(info.compress_size, 1)
        if info.file_size > max(self.limits.ratio_floor_bytes, ratio_cap):
            raise RefiError(
                f"{member} inflates {info.file_size // max(info.compress_size, 1)}-fold, "
                f"over the limit of {self.limits.max_ratio} (a zip bomb?)"
            )

    def project_member(self) -> zipfile.ZipInfo:
        """The project.qde member; a single .qde at the top or one folder down is accepted."""
        if "project.qde" in self.members:
            return self.members["project.qde"]
        found = [
            info
            for info in self.members.values()
            if info.filename.lower().endswith(".qde") and info.filename.count("/") <= 1
        ]
        if len(found) != 1:
            names = ", ".join(sorted(info.filename for info in found)) or "none"
            raise RefiError(
                f"{self.filename}: expected one project.qde in the archive, found {names}"
            )
        qde = found[0]
        self.root = qde.filename.rpartition("/")[0] + "/" if "/" in qde.filename else ""
        self.warnings.append(f"{self.filename}: read the project from {qde.filename!r}")
        return qde

    def read(self, info: zipfile.ZipInfo, cap: int) -> bytes:
        """The inflated bytes of a member, refused once more than ``cap`` bytes come out."""
        try:
            with self.zip.open(info) as handle:
                data = handle.read(cap + 1)
        except _READ_ERRORS as exc:
            raise RefiError(
                f"{self.filename}: member {info.filename!r} is damaged ({exc})"
            ) from exc
        if len(data) > cap:
            raise RefiError(
                f"{self.filename}: member {info.filename!r} inflates past {cap} bytes (a zip bomb?)"
            )
        return data

    def load_text(self, path: str, where: str, warn: Callable[[str], None]) -> str | None:
        """The text of an internal source file named by a plainTextPath, or None with a warning."""
        name, scheme = _internal_name(path)
        if scheme is None or name is None:
            reason = "an external file" if scheme is None else "not a file of the sources folder"
            warn(f"{where}: plainTextPath {path!r} is {reason}, which is not read")
            return None
        if not scheme:
            warn(
                f"{where}: plainTextPath {path!r} lacks the internal:// scheme (non-conformant); "
                f"read from sources/{name}"
            )
        member = f"{self.root}sources/{name}"
        info = self.members.get(member) or self.lowered.get(member.lower())
        if info is None:
            warn(f"{where}: the archive has no member {member!r}")
            return None
        data = self.read(info, self.limits.max_member_bytes)
        return _decode(data, f"{self.filename}: member {info.filename!r}", warn)


def _internal_name(path: str) -> tuple[str | None, str | None]:
    """The file name in the sources folder and the scheme found ("" if none, None if external)."""
    scheme, separator, rest = path.partition("://")
    if not separator:
        scheme, rest = "", path
    elif scheme.lower() != "internal":
        return None, None
    if not rest or "/" in rest or "\\" in rest or rest in (".", ".."):
        return None, scheme
    return rest, scheme


def _decode(data: bytes, member: str, warn: Callable[[str], None]) -> str:
    """UTF-8 text without a byte-order mark; undecodable bytes are replaced with a warning."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        warn(
            f"{member} is not UTF-8 (byte {exc.start}); undecodable bytes were replaced, so "
            "positions after them may be off"
        )
        return data.decode("utf-8", "replace")


def _no_files(path: str, where: str, warn: Callable[[str], None]) -> str | None:
    warn(f"{where}: plainTextPath {path!r} cannot be read outside a .qdpx archive")
    return None
