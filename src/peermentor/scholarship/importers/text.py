"""Uploaded bytes to text: binary refused, byte-order marks honoured, UTF-8 or Windows-1252."""

from __future__ import annotations

import codecs

from peermentor.scholarship.records import ReadResult, WorkFileError

_SAMPLE = 65_536
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v\x1a")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or a Word or Excel file)"),
    (b"\xd0\xcf\x11\xe0", "an old-style Office document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"SQLite format 3", "an SQLite database"),
)


def bom_encoding(data: bytes) -> str | None:
    """The encoding announced by the byte-order mark at the start of the data, if any."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def leading_text(data: bytes, size: int = 4096) -> str:
    """The start of the data as text, leading white space and byte-order mark removed, for
    telling formats apart (undecodable bytes are dropped)."""
    encoding = bom_encoding(data) or "utf-8"
    return data[:size].decode(encoding, errors="ignore").lstrip("\ufeff \t\r\n")


def reject_binary(data: bytes, *, filename: str) -> None:
    """Raise WorkFileError for empty data and for data that is plainly not text."""
    if not data or data.isspace():
        raise WorkFileError("the file is empty.", file=filename)
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise WorkFileError(f"this is {kind}, not a publication list.", file=filename)
    if bom_encoding(data) in {"utf-16", "utf-32"}:
        return
    if b"\x00" in data:
        raise WorkFileError(
            "this is a binary file (it contains NUL bytes), not a text export of publications.",
            file=filename,
        )
    _reject_control_characters(data[:_SAMPLE].decode("latin-1"), filename=filename)


def decode_text(data: bytes, *, filename: str, result: ReadResult | None = None) -> str:
    """The text of an upload, with Unix line ends; UTF-8 unless a byte-order mark says
    otherwise, falling back to Windows-1252 with a warning on the result."""
    reject_binary(data, filename=filename)
    encoding = bom_encoding(data) or "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        if encoding != "utf-8":
            raise WorkFileError(
                f"the file announces {encoding.upper()} but is not valid {encoding.upper()}.",
                file=filename,
            ) from error
        text = _decode_western(data, filename=filename, result=result)
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    _reject_control_characters(text, filename=filename)
    return text


def _decode_western(data: bytes, *, filename: str, result: ReadResult | None) -> str:
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    if result is not None:
        result.warn(
            "whole file",
            "The file is not UTF-8; it was read as Windows-1252 (Western European). "
            "Check accented letters in names and titles.",
        )
    return text


def _reject_control_characters(text: str, *, filename: str) -> None:
    sample = text[:_SAMPLE]
    controls = sum(1 for char in sample if char < " " and char not in _ALLOWED_CONTROLS)
    if "\x00" in text or controls > max(8, len(sample) // 100):
        raise WorkFileError(
            "this does not look like a text file: it is full of control characters.",
            file=filename,
        )
