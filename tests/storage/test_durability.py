from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from workbench.storage import Storage


def test_wal_mode_and_foreign_keys_are_on(storage: Storage) -> None:
    storage.ensure_project("p")
    assert (storage.path.parent / (storage.path.name + "-wal")).exists()
    raw = sqlite3.connect(storage.path)
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    raw.close()
    conn = storage._db.connection()
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] > 0


def test_first_message_survives_a_crash(tmp_path: Path) -> None:
    """The user's question is stored before any model runs; a process that dies right
    after (no close, no cleanup) must not take it along."""
    path = tmp_path / "db.sqlite3"
    script = textwrap.dedent(f"""
        import os
        from workbench.storage import Storage
        s = Storage({str(path)!r})
        c = s.create_conversation(s.ensure_project("default").id, "first")
        s.add_message(c.id, "user", "Is this kept? ✓")
        os._exit(1)
    """)
    crashed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert crashed.returncode == 1, crashed.stderr
    storage = Storage(path)
    [project] = storage.list_projects()
    [conversation] = storage.list_conversations(project.id)
    assert [m.content for m in storage.list_messages(conversation.id)] == ["Is this kept? ✓"]
    storage.close()


def test_storage_creates_missing_folders_and_reconnects_after_close(tmp_path: Path) -> None:
    storage = Storage(tmp_path / "a" / "b" / "db.sqlite3")
    project = storage.create_project("p")
    storage.close()
    assert storage.get_project(project.id) == project
    with Storage(storage.path) as again:
        assert again.get_project(project.id) == project
    storage.close()


def test_an_unwritable_location_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(RuntimeError, match="Cannot open the workbench database"):
        Storage(blocker / "db.sqlite3")


def test_a_failed_write_leaves_the_connection_usable(storage: Storage) -> None:
    storage.create_project("taken")
    with pytest.raises(ValueError):
        storage.create_project("taken")
    assert not storage._db.connection().in_transaction
    assert storage.create_project("free").name == "free"
