"""Consistent backups while PeerMentor serves, and their restore.

SQLite: the online backup API copies the database in one step under a read transaction, so
the copy is one consistent moment of the database even while requests keep writing (WAL mode
lets them). PostgreSQL: ``pg_dump --format=custom`` reads one snapshot. The connection comes
from ``DATABASE_URL``; a password travels in ``PGPASSWORD``, never on a command line.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

SQLITE_HEADER = b"SQLite format 3\x00"
PG_CUSTOM_HEADER = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


# --- Shared -----------------------------------------------------------------------------------


def file_kind(path: Path) -> str:
    """``"sqlite"`` or ``"postgresql"`` from the file's first bytes; BackupError otherwise."""
    try:
        with path.open("rb") as handle:
            head = handle.read(16)
    except OSError as error:
        raise BackupError(f"{path}: cannot be read ({error.strerror}).") from error
    if head.startswith(SQLITE_HEADER):
        return "sqlite"
    if head.startswith(PG_CUSTOM_HEADER):
        return "postgresql"
    raise BackupError(
        f"{path}: not a PeerMentor backup (neither an SQLite database nor a pg_dump custom-format"
        " archive)."
    )


def unknown_migrations(applied: set[tuple[str, str]], known: set[tuple[str, str]]) -> list[str]:
    """Migrations recorded in a backup that this version of PeerMentor does not have."""
    return sorted(f"{app}.{name}" for app, name in applied - known)


def _private_file(path: Path) -> None:
    """Backups hold confidential notes and answers: readable by their owner only."""
    with contextlib.suppress(OSError):
        path.chmod(0o600)


# --- SQLite -----------------------------------------------------------------------------------


@contextlib.contextmanager
def _sqlite(target: str | Path, *, timeout: float = 20.0) -> Iterator[sqlite3.Connection]:
    name = str(target)
    connection = sqlite3.connect(name, timeout=timeout, uri=name.startswith("file:"))
    try:
        yield connection
    finally:
        connection.close()


def sqlite_integrity(path: str | Path) -> str:
    """``"ok"`` or the first problem ``PRAGMA integrity_check`` reports."""
    with _sqlite(path) as connection:
        rows = connection.execute("PRAGMA integrity_check").fetchall()
    problems = [row[0] for row in rows if row[0] != "ok"]
    return problems[0] if problems else "ok"


def sqlite_applied_migrations(path: str | Path) -> set[tuple[str, str]]:
    """The (app, migration) pairs an SQLite PeerMentor database records as applied."""
    with _sqlite(path) as connection:
        try:
            rows = connection.execute("SELECT app, name FROM django_migrations").fetchall()
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{path}: not a PeerMentor database (no migration table).") from error
    return {(str(app), str(name)) for app, name in rows}


def sqlite_backup(source: str | Path, out: Path) -> None:
    """Copy the live SQLite database ``source`` into the single file ``out``.

    One backup step holds a read transaction: writers go on (WAL), and the copy is the
    database as it was when the step began. The copy is checked before it replaces ``out``.
    """
    partial = out.with_name(out.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        with _sqlite(source) as live, _sqlite(partial) as copy:
            live.backup(copy)  # all pages in one step: one consistent snapshot
            copy.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
        problem = sqlite_integrity(partial)
        if problem != "ok":
            raise BackupError(f"The copy failed its integrity check ({problem}); nothing kept.")
        _private_file(partial)
        partial.replace(out)
    except sqlite3.Error as error:
        raise BackupError(f"The SQLite backup failed: {error}.") from error
    finally:
        partial.unlink(missing_ok=True)


def sqlite_restore(backup: Path, target: str | Path, *, known: set[tuple[str, str]]) -> Path | None:
    """Replace the database at ``target`` with ``backup``; the previous one is kept beside it.

    Refuses (changing nothing) a damaged file, a file that is not a PeerMentor database, and a
    backup made by a newer PeerMentor (migrations this code does not know). Returns the path of
    the safety copy of the database that was replaced, if there was one.
    """
    problem = sqlite_integrity(backup)
    if problem != "ok":
        raise BackupError(f"{backup}: the backup is damaged ({problem}); nothing restored.")
    newer = unknown_migrations(sqlite_applied_migrations(backup), known)
    if newer:
        raise BackupError(
            f"{backup}: made by a newer PeerMentor (unknown migrations: {', '.join(newer[:5])}); "
            "install that version first. Nothing restored."
        )
    safety: Path | None = None
    target_path = Path(str(target))
    if not str(target).startswith("file:") and target_path.exists():
        stamp = dt.datetime.now(tz=dt.UTC).strftime("%Y%m%dT%H%M%S")
        safety = target_path.with_name(f"{target_path.name}.before-restore-{stamp}")
        sqlite_backup(target_path, safety)
    try:
        with _sqlite(backup) as source, _sqlite(target) as live:
            source.backup(live)  # one write transaction: readers see the old or the new data
            live.execute("PRAGMA journal_mode=WAL")
    except sqlite3.Error as error:
        raise BackupError(f"The SQLite restore failed: {error}; nothing restored.") from error
    problem = sqlite_integrity(target)
    if problem != "ok":
        raise BackupError(f"The restored database failed its integrity check ({problem}).")
    return safety


# --- PostgreSQL -------------------------------------------------------------------------------

_SSL_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
}


def pg_environment(settings_dict: dict[str, Any]) -> dict[str, str]:
    """The libpq environment for Django's connection settings (password in PGPASSWORD)."""
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    for option, variable in _SSL_OPTIONS.items():
        if value := (settings_dict.get("OPTIONS") or {}).get(option):
            env[variable] = str(value)
    return env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"`{name}` is not installed; install the PostgreSQL client tools.")
    return found


def _run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    result = subprocess.run(command, env=env, capture_output=True, check=False)  # noqa: S603
    if result.returncode != 0:
        message = result.stderr.decode(errors="replace").strip().splitlines()
        raise BackupError(f"{Path(command[0]).name} failed: {' / '.join(message[-3:])}")
    return result


def pg_backup(settings_dict: dict[str, Any], out: Path) -> None:
    """``pg_dump --format=custom`` of the database into ``out`` (one snapshot, while serving)."""
    env = pg_environment(settings_dict)
    partial = out.with_name(out.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        _run([_tool("pg_dump"), "--format=custom", f"--file={partial}"], env)
        _run([_tool("pg_restore"), "--list", str(partial)], env)  # the archive reads back
        _private_file(partial)
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)


def pg_applied_migrations(backup: Path, settings_dict: dict[str, Any]) -> set[tuple[str, str]]:
    """The (app, migration) pairs recorded in a pg_dump archive's ``django_migrations``."""
    env = pg_environment(settings_dict)
    result = _run(
        [
            _tool("pg_restore"),
            "--data-only",
            "--table=django_migrations",
            "--file=-",
            str(backup),
        ],
        env,
    )
    applied: set[tuple[str, str]] = set()
    in_copy = False
    for line in result.stdout.decode(errors="replace").splitlines():
        if line.startswith("COPY ") and "django_migrations" in line:
            in_copy = True
        elif in_copy and line == "\\.":
            in_copy = False
        elif in_copy:
            fields = line.split("\t")
            if len(fields) >= 3:
                applied.add((fields[1], fields[2]))
    if not applied:
        raise BackupError(f"{backup}: not a PeerMentor database (no applied migrations).")
    return applied


def pg_restore(backup: Path, settings_dict: dict[str, Any], *, known: set[tuple[str, str]]) -> None:
    """Replace the database's objects by the archive's, in one transaction (all or nothing)."""
    env = pg_environment(settings_dict)
    newer = unknown_migrations(pg_applied_migrations(backup, settings_dict), known)
    if newer:
        raise BackupError(
            f"{backup}: made by a newer PeerMentor (unknown migrations: {', '.join(newer[:5])}); "
            "install that version first. Nothing restored."
        )
    _run(
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={settings_dict['NAME']}",
            str(backup),
        ],
        env,
    )


# --- Entry points for the commands ------------------------------------------------------------


def known_migrations() -> set[tuple[str, str]]:
    """Every migration this version of PeerMentor ships (its own and its libraries')."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    return set(loader.disk_migrations)


def backup_database(out: Path, *, alias: str = "default") -> str:
    """Back the database ``alias`` up into ``out``; a sentence saying what was done."""
    from django.db import connections

    connection = connections[alias]
    if out.is_dir():
        raise BackupError(f"{out}: is a folder; give the backup file's name.")
    if not out.parent.is_dir():
        raise BackupError(f"{out.parent}: no such folder.")
    if connection.vendor == "sqlite":
        sqlite_backup(connection.settings_dict["NAME"], out)
    elif connection.vendor == "postgresql":
        pg_backup(connection.settings_dict, out)
    else:
        raise BackupError(f"Backups of {connection.vendor} databases are not supported.")
    return f"Backed up the {connection.vendor} database into {out} ({out.stat().st_size} bytes)."


def restore_database(backup: Path, *, alias: str = "default") -> str:
    """Restore ``backup`` into the database ``alias``; a sentence saying what was done."""
    from django.db import connections

    connection = connections[alias]
    kind = file_kind(backup)
    if kind != connection.vendor:
        raise BackupError(
            f"{backup}: a {kind} backup cannot be restored into this {connection.vendor} "
            "database; nothing restored."
        )
    connection.close()  # this process holds no transaction over the restore
    if kind == "sqlite":
        safety = sqlite_restore(backup, connection.settings_dict["NAME"], known=known_migrations())
        kept = f" The previous database is kept as {safety}." if safety else ""
        return f"Restored {backup} into the SQLite database.{kept}"
    pg_restore(backup, connection.settings_dict, known=known_migrations())
    return f"Restored {backup} into the PostgreSQL database {connection.settings_dict['NAME']}."
