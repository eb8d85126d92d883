"""The workspace's store: every SQL statement, the migrations and the files on disk.

One SQLite database (`workspace.db`) beside a `files/` folder of uploads kept under
generated names, in a data folder only its owner can open (0700, files 0600). The
schema version is `PRAGMA user_version`; each migration is a numbered step, run after
a backup copy of the database is taken. A database written by a newer version is
refused. `events` is append-only (triggers refuse UPDATE and DELETE): who did what and
when, with the sha256 of an upload, never case data or a file's name.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import hashlib
import os
import secrets
import shutil
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import AuditError

DB_NAME = "workspace.db"
FILES = "files"


class NewerDatabase(AuditError):
    """The database was written by a newer jtai-audit: refused, never downgraded."""


V1 = """
        CREATE TABLE rounds (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            created_at TEXT NOT NULL,
            previous_id INTEGER REFERENCES rounds(id) ON DELETE SET NULL,
            sample_size INTEGER,
            sample_by TEXT,
            sample_seed INTEGER,
            scored_at TEXT
        );
        CREATE TABLE files (
            id INTEGER PRIMARY KEY,
            round_id INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            name TEXT NOT NULL,
            stored TEXT NOT NULL UNIQUE,
            sha256 TEXT NOT NULL,
            agency TEXT,
            added_at TEXT NOT NULL
        );
        CREATE INDEX files_round ON files(round_id, kind);
        CREATE TABLE actions (
            round_id INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
            rule TEXT NOT NULL,
            owner TEXT NOT NULL DEFAULT '',
            due TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT '',
            notes TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (round_id, rule)
        );
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            user TEXT NOT NULL,
            round_id INTEGER,
            what TEXT NOT NULL,
            sha256 TEXT
        );
        CREATE TRIGGER events_no_update BEFORE UPDATE ON events
            BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
        CREATE TRIGGER events_no_delete BEFORE DELETE ON events
            BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
"""

# Migration N (a script) takes a database at version N-1 to version N.
MIGRATIONS: list[str] = [V1]
VERSION = len(MIGRATIONS)


@dataclass(frozen=True)
class Round:
    """A round as the pages show it."""

    id: int
    title: str
    created_at: str
    previous_id: int | None
    sample_size: int | None
    sample_by: str | None
    sample_seed: int | None
    scored_at: str | None


@dataclass(frozen=True)
class StoredFile:
    """An uploaded or written file: its name as given, and where it is kept."""

    id: int
    round_id: int
    kind: str
    name: str
    stored: str
    sha256: str
    agency: str | None
    added_at: str


@dataclass(frozen=True)
class Action:
    """The page's edits to one action of a round's plan (notes are never printed)."""

    rule: str
    owner: str
    due: str
    status: str
    notes: str


@dataclass(frozen=True)
class Event:
    """One line of the append-only record: who did what, when, to which file (by hash)."""

    id: int
    at: str
    user: str
    round_id: int | None
    what: str
    sha256: str | None


def now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (a container's uid with no passwd entry)
        return str(os.getuid()) if hasattr(os, "getuid") else "unknown"


def private_folder(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    return path


class Store:
    """The database and the files folder of one data folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = private_folder(folder)
        self.files = private_folder(folder / FILES)
        self.path = folder / DB_NAME
        self._lock = threading.RLock()
        existed = self.path.exists()
        self.db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        os.chmod(self.path, 0o600)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA foreign_keys = ON")
        self.db.execute("PRAGMA busy_timeout = 5000")
        try:
            self._migrate(existed)
            self.db.execute("PRAGMA journal_mode = WAL")
        except BaseException:
            self.db.close()
            raise
        self._tidy()

    def _migrate(self, existed: bool) -> None:
        version = int(self.db.execute("PRAGMA user_version").fetchone()[0])
        if version > VERSION:
            raise NewerDatabase(f"{self.path} was written by a newer jtai-audit (store version "
                                f"{version}, this one reads up to {VERSION}): upgrade "
                                "jtai-audit to open it")
        for step in range(version, VERSION):
            if existed:
                backup = self.path.with_name(f"{DB_NAME}.v{step}.backup")
                with contextlib.closing(sqlite3.connect(backup)) as copy:
                    self.db.backup(copy)
                os.chmod(backup, 0o600)
            try:
                self.db.executescript(f"BEGIN IMMEDIATE;\n{MIGRATIONS[step]}\n"
                                      f"PRAGMA user_version = {step + 1};\nCOMMIT;")
            except BaseException:
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                raise

    def _tidy(self) -> None:
        """A file on disk that no row names (an upload cut off mid-way) is removed."""
        known = {row["stored"] for row in self.db.execute("SELECT stored FROM files")}
        for path in self.files.iterdir():
            if path.name not in known:
                path.unlink()

    def close(self) -> None:
        self.db.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    # events -------------------------------------------------------------------------
    def _event(self, db: sqlite3.Connection, what: str, round_id: int | None = None,
               sha256: str | None = None) -> None:
        db.execute("INSERT INTO events (at, user, round_id, what, sha256) VALUES (?,?,?,?,?)",
                   (now(), os_user(), round_id, what, sha256))

    def record(self, what: str, round_id: int | None = None, sha256: str | None = None) -> None:
        with self.transaction() as db:
            self._event(db, what, round_id, sha256)

    def events(self, round_id: int | None = None) -> list[Event]:
        with self._lock:
            rows = self.db.execute(
                "SELECT * FROM events WHERE ?1 IS NULL OR round_id = ?1 ORDER BY id",
                (round_id,)).fetchall()
        return [Event(**dict(row)) for row in rows]

    # rounds -------------------------------------------------------------------------
    def create_round(self, title: str, previous_id: int | None = None) -> int:
        with self.transaction() as db:
            cursor = db.execute("INSERT INTO rounds (title, created_at, previous_id) "
                                "VALUES (?,?,?)", (title, now(), previous_id))
            round_id = int(cursor.lastrowid or 0)
            self._event(db, "round created", round_id)
        return round_id

    def rounds(self) -> list[Round]:
        with self._lock:
            rows = self.db.execute("SELECT * FROM rounds ORDER BY id").fetchall()
        return [Round(**dict(row)) for row in rows]

    def round(self, round_id: int) -> Round | None:
        with self._lock:
            row = self.db.execute("SELECT * FROM rounds WHERE id = ?", (round_id,)).fetchone()
        return None if row is None else Round(**dict(row))

    def chain(self, round_id: int) -> list[Round]:
        """The round and the rounds before it, earliest first."""
        found: list[Round] = []
        current = self.round(round_id)
        while current is not None and current not in found:
            found.insert(0, current)
            current = self.round(current.previous_id) if current.previous_id else None
        return found

    def set_sample(self, round_id: int, size: int, by: str, seed: int) -> None:
        with self.transaction() as db:
            db.execute("UPDATE rounds SET sample_size = ?, sample_by = ?, sample_seed = ? "
                       "WHERE id = ?", (size, by, seed, round_id))
            self._event(db, "sample drawn", round_id)

    def set_scored(self, round_id: int) -> None:
        with self.transaction() as db:
            db.execute("UPDATE rounds SET scored_at = ? WHERE id = ?", (now(), round_id))
            self._event(db, "round scored", round_id)

    def delete_round(self, round_id: int) -> None:
        with self.transaction() as db:
            stored = [row["stored"] for row in
                      db.execute("SELECT stored FROM files WHERE round_id = ?", (round_id,))]
            db.execute("DELETE FROM rounds WHERE id = ?", (round_id,))
            self._event(db, "round deleted", round_id)
        for name in stored:
            (self.files / name).unlink(missing_ok=True)

    # files --------------------------------------------------------------------------
    def add_file(self, round_id: int, kind: str, name: str, data: bytes,
                 agency: str | None = None, replaces: int | None = None,
                 event: str | None = None) -> StoredFile:
        """Write the bytes under a generated name, then record them (and the event) at once.

        The file is written and synced before its row is committed, so a crash leaves at
        most a file no row names, which the next start removes.
        """
        sha = hashlib.sha256(data).hexdigest()
        suffix = Path(name).suffix.lower()
        stored = secrets.token_hex(16) + (suffix if suffix[1:].isalnum() else "")
        path = self.files / stored
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        old: str | None = None
        try:
            with self.transaction() as db:
                if replaces is not None:
                    row = db.execute("SELECT stored FROM files WHERE id = ? AND round_id = ?",
                                     (replaces, round_id)).fetchone()
                    if row is not None:
                        old = str(row["stored"])
                        db.execute("DELETE FROM files WHERE id = ?", (replaces,))
                cursor = db.execute(
                    "INSERT INTO files (round_id, kind, name, stored, sha256, agency, added_at)"
                    " VALUES (?,?,?,?,?,?,?)", (round_id, kind, name, stored, sha, agency, now()))
                file_id = int(cursor.lastrowid or 0)
                if event is not None:
                    self._event(db, event, round_id, sha)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        if old is not None:
            (self.files / old).unlink(missing_ok=True)
        found = self.file(file_id)
        assert found is not None
        return found

    def replace_outputs(self, round_id: int, outputs: dict[str, tuple[str, bytes]]) -> None:
        """A round's written files (pack, JSON, merged workbook), replacing the last ones."""
        for kind, (name, data) in outputs.items():
            old = self.files_of(round_id, kind)
            self.add_file(round_id, kind, name, data,
                          replaces=old[0].id if old else None)

    def file(self, file_id: int) -> StoredFile | None:
        with self._lock:
            row = self.db.execute("SELECT * FROM files WHERE id = ?", (file_id,)).fetchone()
        return None if row is None else StoredFile(**dict(row))

    def files_of(self, round_id: int, kind: str) -> list[StoredFile]:
        with self._lock:
            rows = self.db.execute("SELECT * FROM files WHERE round_id = ? AND kind = ? "
                                   "ORDER BY id", (round_id, kind)).fetchall()
        return [StoredFile(**dict(row)) for row in rows]

    def remove_file(self, file_id: int, event: str) -> None:
        found = self.file(file_id)
        if found is None:
            return
        with self.transaction() as db:
            db.execute("DELETE FROM files WHERE id = ?", (file_id,))
            self._event(db, event, found.round_id, found.sha256)
        (self.files / found.stored).unlink(missing_ok=True)

    def path_of(self, stored: StoredFile) -> Path:
        return self.files / stored.stored

    def read(self, stored: StoredFile) -> bytes:
        return self.path_of(stored).read_bytes()

    # actions ------------------------------------------------------------------------
    def actions(self, round_id: int) -> dict[str, Action]:
        with self._lock:
            rows = self.db.execute("SELECT rule, owner, due, status, notes FROM actions "
                                   "WHERE round_id = ?", (round_id,)).fetchall()
        return {row["rule"]: Action(**dict(row)) for row in rows}

    def save_action(self, round_id: int, action: Action) -> None:
        with self.transaction() as db:
            db.execute("INSERT INTO actions (round_id, rule, owner, due, status, notes) "
                       "VALUES (?,?,?,?,?,?) ON CONFLICT (round_id, rule) DO UPDATE SET "
                       "owner = excluded.owner, due = excluded.due, status = excluded.status,"
                       " notes = excluded.notes",
                       (round_id, action.rule, action.owner, action.due, action.status,
                        action.notes))
            self._event(db, "action plan edited", round_id)


def row_dict(row: Any) -> dict[str, Any]:
    return dict(row)


def remove_folder(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
