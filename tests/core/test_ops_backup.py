"""`peermentor backup` and `peermentor restore`: a round trip while writes go on loses nothing."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from peermentor.core import backup as ops

ROOT = Path(__file__).resolve().parents[2]
ON_POSTGRESQL = connection.vendor == "postgresql"


def peermentor(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run the real `peermentor` command in its own process."""
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "peermentor.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=ROOT,
    )


def base_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CACHE_URL")}
    env["PEERMENTOR_STATIC_STORAGE"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    env["CACHE_URL"] = "locmem://"
    env.update(extra)
    return env


class Writer(threading.Thread):
    """Keeps inserting numbered rows, one committed transaction each, until told to stop."""

    def __init__(self, insert: Any) -> None:
        super().__init__(daemon=True)
        self.insert = insert
        self.committed: list[int] = []
        self.stop = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        number = 0
        try:
            while not self.stop.is_set():
                number += 1
                self.insert(number)
                self.committed.append(number)
        except BaseException as error:  # reported by the test
            self.error = error


def _known_migration(path: Path) -> None:
    """A database that records one real migration, as every PeerMentor database does."""
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute(
            "CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, app TEXT, name TEXT, "
            "applied TEXT)"
        )
        db.execute(
            "INSERT INTO django_migrations (app, name, applied) VALUES ('core', '0001_initial', '')"
        )
        db.execute("CREATE TABLE probe (id INTEGER PRIMARY KEY, note TEXT NOT NULL)")
    db.close()


def test_sqlite_round_trip_under_concurrent_writes_loses_nothing(tmp_path: Path) -> None:
    live_dir, fresh_dir = tmp_path / "live", tmp_path / "fresh"
    live_dir.mkdir()
    fresh_dir.mkdir()
    live = live_dir / "peermentor.sqlite3"
    _known_migration(live)

    writer_db = sqlite3.connect(live, timeout=20, check_same_thread=False)
    writer_db.execute("PRAGMA busy_timeout=20000")

    def insert(number: int) -> None:
        with writer_db:
            writer_db.execute("INSERT INTO probe (id, note) VALUES (?, ?)", (number, "x" * 200))

    writer = Writer(insert)
    writer.start()
    while len(writer.committed) < 200:
        time.sleep(0.01)
    committed_before = set(writer.committed)
    out = tmp_path / "backup.sqlite3"
    made = peermentor("backup", str(out), env=base_env(PEERMENTOR_DATA_DIR=str(live_dir)))
    written_during = len(writer.committed) - len(committed_before)
    writer.stop.set()
    writer.join()
    writer_db.close()
    assert writer.error is None
    assert made.returncode == 0, made.stderr
    assert written_during > 0, "the writer should have kept writing during the backup"
    assert (out.stat().st_mode & 0o777) == 0o600

    restored = peermentor(
        "restore", str(out), "--no-input", env=base_env(PEERMENTOR_DATA_DIR=str(fresh_dir))
    )
    assert restored.returncode == 0, restored.stderr
    target = fresh_dir / "peermentor.sqlite3"
    assert ops.sqlite_integrity(target) == "ok"
    with sqlite3.connect(target) as db:
        ids = {row[0] for row in db.execute("SELECT id FROM probe")}
    db.close()
    assert committed_before <= ids  # nothing committed before the backup is lost
    assert ids == set(range(1, max(ids) + 1))  # one consistent moment: no row missing between


def test_sqlite_restore_keeps_the_replaced_database_and_refuses_bad_files(tmp_path: Path) -> None:
    live = tmp_path / "live.sqlite3"
    _known_migration(live)
    copy = tmp_path / "copy.sqlite3"
    ops.sqlite_backup(live, copy)
    known = {("core", "0001_initial")}
    with sqlite3.connect(live) as db:
        db.execute("INSERT INTO probe (note) VALUES ('after the backup')")
    db.close()

    safety = ops.sqlite_restore(copy, live, known=known)
    assert safety is not None
    assert safety.exists()
    with sqlite3.connect(live) as db:
        assert db.execute("SELECT count(*) FROM probe").fetchone()[0] == 0
    db.close()
    with sqlite3.connect(safety) as db:
        assert db.execute("SELECT count(*) FROM probe").fetchone()[0] == 1
    db.close()

    # A backup made by a newer PeerMentor: refused, nothing changes.
    with sqlite3.connect(copy) as db:
        db.execute("INSERT INTO django_migrations (app, name) VALUES ('core', '9999_future')")
    db.close()
    with pytest.raises(ops.BackupError, match=r"newer PeerMentor.*core\.9999_future"):
        ops.sqlite_restore(copy, live, known=known)

    # Not a database at all.
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"PK\x03\x04 not a backup")
    with pytest.raises(ops.BackupError, match=r"junk\.bin: not a PeerMentor backup"):
        ops.file_kind(junk)
    # An SQLite file without PeerMentor's tables.
    stranger = tmp_path / "stranger.sqlite3"
    sqlite3.connect(stranger).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(ops.BackupError, match="not a PeerMentor database"):
        ops.sqlite_restore(stranger, live, known=known)


def test_restore_refuses_the_other_kind_of_database(tmp_path: Path) -> None:
    dump = tmp_path / "peermentor.dump"
    dump.write_bytes(b"PGDMP\x01\x0e\x00rest")
    env = base_env(PEERMENTOR_DATA_DIR=str(tmp_path))
    result = peermentor("restore", str(dump), "--no-input", env=env)
    assert result.returncode == 1
    assert "a postgresql backup cannot be restored into this sqlite database" in result.stderr


def test_the_password_goes_in_the_environment_not_on_the_command_line() -> None:
    env = ops.pg_environment(
        {
            "NAME": "pm",
            "USER": "u",
            "PASSWORD": "s3cret",
            "HOST": "db",
            "PORT": 5432,
            "OPTIONS": {"sslmode": "require"},
        }
    )
    assert env["PGPASSWORD"] == "s3cret"
    assert (env["PGDATABASE"], env["PGHOST"], env["PGPORT"], env["PGSSLMODE"]) == (
        "pm",
        "db",
        "5432",
        "require",
    )


@pytest.mark.skipif(not ON_POSTGRESQL, reason="the PostgreSQL round trip runs on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_postgresql_round_trip_under_concurrent_writes_loses_nothing(tmp_path: Path) -> None:
    import psycopg

    from peermentor.core.models import AuditEntry

    settings_dict = connection.settings_dict
    source_url = (
        f"postgres://{settings_dict['USER']}@{settings_dict['HOST']}:{settings_dict['PORT']}"
        f"/{settings_dict['NAME']}"
    )
    env_password = {"PGPASSWORD": settings_dict["PASSWORD"]} if settings_dict["PASSWORD"] else {}
    admin_conninfo = " ".join(
        f"{key}={value}"
        for key, value in (
            ("host", settings_dict["HOST"]),
            ("port", settings_dict["PORT"]),
            ("user", settings_dict["USER"]),
            ("password", settings_dict["PASSWORD"]),
            ("dbname", "postgres"),
        )
        if value
    )
    writer_db = psycopg.connect(
        admin_conninfo.replace("dbname=postgres", f"dbname={settings_dict['NAME']}"),
        autocommit=True,
    )

    def insert(number: int) -> None:
        writer_db.execute(
            "INSERT INTO core_auditentry (action, target_type, target_id, details, at) "
            "VALUES ('ops.probe', '', %s, '{}', now())",
            (str(number),),
        )

    writer = Writer(insert)
    writer.start()
    while len(writer.committed) < 200:
        time.sleep(0.01)
    committed_before = set(writer.committed)
    out = tmp_path / "backup.dump"
    made = peermentor(
        "backup",
        str(out),
        env=base_env(PEERMENTOR_DATA_DIR=str(tmp_path), DATABASE_URL=source_url, **env_password),
    )
    written_during = len(writer.committed) - len(committed_before)
    writer.stop.set()
    writer.join()
    writer_db.close()
    assert writer.error is None
    assert made.returncode == 0, made.stderr
    assert written_during > 0
    assert AuditEntry.objects.filter(action="ops.probe").count() == len(writer.committed)

    fresh = f"peermentor_ops_restore_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_conninfo, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{fresh}"')
    try:
        restored = peermentor(
            "restore",
            str(out),
            "--no-input",
            env=base_env(
                PEERMENTOR_DATA_DIR=str(tmp_path),
                DATABASE_URL=source_url.rsplit("/", 1)[0] + f"/{fresh}",
                **env_password,
            ),
        )
        assert restored.returncode == 0, restored.stderr
        with psycopg.connect(admin_conninfo.replace("dbname=postgres", f"dbname={fresh}")) as db:
            ids = {
                int(row[0])
                for row in db.execute(
                    "SELECT target_id FROM core_auditentry WHERE action = 'ops.probe'"
                )
            }
            _check_indexes(db)
        assert committed_before <= ids
        assert ids == set(range(1, max(ids) + 1))
    finally:
        with psycopg.connect(admin_conninfo, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')


def _check_indexes(db: Any) -> None:
    """Every B-tree index of the restored database passes amcheck (when it is installed)."""
    try:
        db.execute("CREATE EXTENSION IF NOT EXISTS amcheck")
    except Exception:  # the extension is not installed here: check what can be checked
        db.rollback()
        assert db.execute("SELECT count(*) FROM django_migrations").fetchone()[0] > 0
        return
    indexes = db.execute(
        "SELECT c.oid::regclass FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE a.amname = 'btree' AND n.nspname = 'public'"
    ).fetchall()
    assert indexes
    for (index,) in indexes:
        db.execute("SELECT bt_index_check(%s::regclass, true)", (str(index),))
