"""An uploaded survey table kept between the upload and the column-mapping step.

The file goes to a private folder under ``DATA_DIR`` (never under ``MEDIA_ROOT``, so no URL
serves it) with a random name; only the person's session knows that name. A kept file is
deleted after its import, when the person cancels or uploads another, and after one hour.
"""

from __future__ import annotations

import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

SESSION_KEY = "surveys.pending_upload"
MAX_AGE_SECONDS = 60 * 60
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True)
class PendingUpload:
    """A kept file: its original name, the wave it goes to (None: a new wave) and its path."""

    filename: str
    wave_id: int | None
    path: Path

    def read(self) -> bytes:
        """The file's bytes."""
        return self.path.read_bytes()


def upload_folder() -> Path:
    """The private folder of kept uploads, created owner-only on first use."""
    folder = Path(settings.DATA_DIR) / "survey-uploads"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def upload_keep(
    *, session: Any, user_id: int, program_id: int, wave_id: int | None, data: bytes, filename: str
) -> PendingUpload:
    """Keep an uploaded file for the mapping step, replacing any file the session kept before."""
    upload_discard(session=session)
    uploads_purge_stale()
    token = secrets.token_hex(16)
    path = upload_folder() / token
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    session[SESSION_KEY] = {
        "token": token,
        "filename": filename[:200],
        "wave_id": wave_id,
        "program_id": program_id,
        "user_id": user_id,
        "created": time.time(),
    }
    return PendingUpload(filename[:200], wave_id, path)


def upload_pending(*, session: Any, user_id: int, program_id: int) -> PendingUpload | None:
    """The file this session kept for this person and program, or None (gone or too old)."""
    kept = session.get(SESSION_KEY)
    if not isinstance(kept, dict) or not _TOKEN.match(str(kept.get("token", ""))):
        return None
    if kept.get("user_id") != user_id or kept.get("program_id") != program_id:
        return None
    path = upload_folder() / kept["token"]
    if time.time() - float(kept.get("created", 0)) > MAX_AGE_SECONDS or not path.is_file():
        upload_discard(session=session)
        return None
    return PendingUpload(str(kept.get("filename", "")), kept.get("wave_id"), path)


def upload_discard(*, session: Any) -> None:
    """Delete the file this session kept, if any, and forget it."""
    kept = session.pop(SESSION_KEY, None)
    if isinstance(kept, dict) and _TOKEN.match(str(kept.get("token", ""))):
        (upload_folder() / kept["token"]).unlink(missing_ok=True)


def uploads_purge_stale(now: float | None = None) -> int:
    """Delete every kept file older than an hour, whoever kept it; how many were deleted."""
    limit = (now or time.time()) - MAX_AGE_SECONDS
    stale = [p for p in upload_folder().iterdir() if p.is_file() and p.stat().st_mtime < limit]
    for path in stale:
        path.unlink(missing_ok=True)
    return len(stale)
