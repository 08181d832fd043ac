"""Checks on files shared on a group's board: size, type (by content, not only by name), name."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from io import BytesIO

MAX_BYTES = 10 * 1024 * 1024
ALLOWED = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".txt": "text/plain",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_OFFICE_PART = {".docx": "word/", ".pptx": "ppt/", ".xlsx": "xl/"}


class UploadRefused(ValueError):
    """A file that cannot be shared; the message says why."""


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed the checks, with the type it really is."""

    name: str
    content_type: str
    size: int


def check_upload(name: str, data: bytes, *, max_bytes: int = MAX_BYTES) -> CheckedFile:
    """Refuse files that are too big, of a type not allowed, mislabelled or oddly named."""
    _check_name(name)
    if len(data) > max_bytes:
        raise UploadRefused(
            f"{name} is {len(data) / 1_048_576:.1f} MB; files may be at most "
            f"{max_bytes // 1_048_576} MB."
        )
    if not data:
        raise UploadRefused(f"{name} is empty.")
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED:
        kinds = ", ".join(sorted(ALLOWED))
        raise UploadRefused(f"{name}: files of this type cannot be shared. Allowed: {kinds}.")
    if not _content_matches(extension, data):
        raise UploadRefused(f"{name} does not contain what its name says ({extension}).")
    return CheckedFile(name=name, content_type=ALLOWED[extension], size=len(data))


def _check_name(name: str) -> None:
    if not name or len(name) > 200:
        raise UploadRefused("A file name must have 1 to 200 characters.")
    if any(part in name for part in ("/", "\\", "\x00")) or name.startswith(".") or ".." in name:
        raise UploadRefused(f"The file name “{name}” is not allowed: rename the file and retry.")


def _content_matches(extension: str, data: bytes) -> bool:
    if extension == ".pdf":
        return data.startswith(b"%PDF-")
    if extension == ".png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in {".jpg", ".jpeg"}:
        return data.startswith(b"\xff\xd8\xff")
    if extension == ".txt":
        return _is_text(data)
    return _is_office(data, _OFFICE_PART[extension])


def _is_text(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\x00" not in data


def _is_office(data: bytes, part: str) -> bool:
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        return False
    return "[Content_Types].xml" in names and any(n.startswith(part) for n in names)
