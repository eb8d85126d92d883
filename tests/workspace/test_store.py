"""The store: migrations, a newer database refused, append-only events, owner-only files."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jtai_audit.cli import app
from jtai_audit.workspace.store import DB_NAME, VERSION, NewerDatabase, Store


def test_folder_and_files_are_owner_only(tmp_path: Path) -> None:
    store = Store(tmp_path / "data")
    round_id = store.create_round("r")
    stored = store.add_file(round_id, "return", "Smith family.xlsx", b"data")
    assert stat.S_IMODE((tmp_path / "data").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "data" / "files").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "data" / DB_NAME).stat().st_mode) == 0o600
    path = store.path_of(stored)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "Smith" not in path.name  # stored under a generated name
    store.close()


def test_events_are_append_only_and_name_no_file(tmp_path: Path) -> None:
    store = Store(tmp_path / "data")
    round_id = store.create_round("r")
    store.add_file(round_id, "return", "Smith family.xlsx", b"data", event="return uploaded")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.db.execute("UPDATE events SET what = 'x'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.db.execute("DELETE FROM events")
    events = store.events(round_id)
    assert [e.what for e in events] == ["round created", "return uploaded"]
    assert events[1].sha256 is not None and events[1].user
    assert all("Smith" not in (e.what + (e.sha256 or "")) for e in events)
    store.close()


def test_version_wal_and_foreign_keys(tmp_path: Path) -> None:
    store = Store(tmp_path / "data")
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == VERSION
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    store.close()


def test_a_migration_backs_up_the_database_first(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    with sqlite3.connect(folder / DB_NAME) as db:  # an older store: version 0, a table in it
        db.execute("CREATE TABLE kept (x)")
    Store(folder).close()
    backup = folder / f"{DB_NAME}.v0.backup"
    assert backup.exists() and stat.S_IMODE(backup.stat().st_mode) == 0o600
    with sqlite3.connect(backup) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 0
        assert db.execute("SELECT name FROM sqlite_master WHERE name = 'kept'").fetchone()


def test_a_newer_database_is_refused_in_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    Store(folder).close()
    with sqlite3.connect(folder / DB_NAME) as db:
        db.execute(f"PRAGMA user_version = {VERSION + 1}")
    with pytest.raises(NewerDatabase, match="newer jtai-audit"):
        Store(folder)
    result = CliRunner().invoke(app, ["serve", "--data", str(folder), "--no-browser"])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "written by a newer jtai-audit" in lines[0]


def test_a_kill_during_an_upload_leaves_the_round_intact(tmp_path: Path) -> None:
    """SIGKILL after the file is written but before its row is committed: restart tidies."""
    folder = tmp_path / "data"
    store = Store(folder)
    round_id = store.create_round("r")
    kept = store.add_file(round_id, "return", "police.xlsx", b"first", event="return uploaded")
    store.close()
    script = textwrap.dedent(f"""
        import os, signal
        from pathlib import Path
        from jtai_audit.workspace.store import Store
        store = Store(Path({str(folder)!r}))
        def killed(*args, **kwargs):
            os.kill(os.getpid(), signal.SIGKILL)
        store.transaction = killed
        store.add_file({round_id}, "return", "health.xlsx", b"half", event="return uploaded")
    """)
    run = subprocess.run([sys.executable, "-c", script], capture_output=True)
    assert run.returncode == -9
    assert len(list((folder / "files").iterdir())) == 2  # the cut-off upload's file
    store = Store(folder)
    on_disk = sorted(p.name for p in (folder / "files").iterdir())
    assert on_disk == [kept.stored]
    assert [f.stored for f in store.files_of(round_id, "return")] == on_disk
    uploads = [e for e in store.events(round_id) if e.what == "return uploaded"]
    assert [e.sha256 for e in uploads] == [kept.sha256]
    store.close()


def test_deleting_a_round_removes_its_files(tmp_path: Path) -> None:
    store = Store(tmp_path / "data")
    round_id = store.create_round("r")
    stored = store.add_file(round_id, "return", "a.xlsx", b"x")
    store.save_action(round_id, __import__("jtai_audit.workspace.store",
                                           fromlist=["Action"]).Action("R-1", "", "", "", ""))
    store.delete_round(round_id)
    assert not store.path_of(stored).exists()
    assert store.file(stored.id) is None and store.actions(round_id) == {}
    store.close()


def test_the_data_folder_is_created_owner_only_even_if_it_exists(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    Store(folder).close()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
