from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from workbench.storage import Storage
from workbench.storage.database import Database
from workbench.storage.migrations import MIGRATIONS, migrate


def _applied(path: Path) -> list[str]:
    raw = sqlite3.connect(path)
    try:
        return [name for (name,) in raw.execute("SELECT name FROM _migrations ORDER BY rowid")]
    finally:
        raw.close()


def test_migrations_are_named_and_numbered_in_order() -> None:
    names = [fn.__name__ for fn in MIGRATIONS]
    assert all(re.fullmatch(r"m\d{3}_[a-z0-9_]+", n) for n in names), names
    assert [int(n[1:4]) for n in names] == list(range(1, len(names) + 1))


def test_old_database_is_upgraded_and_keeps_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    old = Database(path)
    assert migrate(old, MIGRATIONS[:1]) == ["m001_initial"]
    with old.transaction() as tx:
        tx.execute("INSERT INTO projects (id, name, created_at, updated_at) VALUES (1, 'legacy', 1.0, 1.0)")
        tx.execute("INSERT INTO conversations VALUES (1, 1, 'old chat', 1.0, 2.0)")
        tx.execute(
            "INSERT INTO messages (id, conversation_id, role, content, created_at, updated_at)"
            " VALUES (1, 1, 'assistant', 'an answer from before runs existed', 2.0, 2.0)"
        )
    old.close()

    storage = Storage(path)
    assert _applied(path) == [fn.__name__ for fn in MIGRATIONS]
    message = storage.get_message(1)
    assert (message.content, message.run_id, message.status) == (
        "an answer from before runs existed", None, "complete",
    )
    [summary] = storage.list_projects()
    assert (summary.name, summary.conversations, summary.messages, summary.last_activity) == ("legacy", 1, 1, 2.0)
    run = storage.create_run(1, 1, "old question", None)
    assert storage.get_message(1).run_id == run.id
    storage.add_feedback(1, rating=1, correct_role="coder", should_split=False)
    storage.close()


def test_reopening_applies_nothing_twice(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    Storage(path).close()
    database = Database(path)
    assert migrate(database) == []
    database.close()
    assert _applied(path) == [fn.__name__ for fn in MIGRATIONS]


def test_a_failing_migration_leaves_no_trace(tmp_path: Path) -> None:
    def m999_broken(db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("disk full")

    database = Database(tmp_path / "db.sqlite3")
    with pytest.raises(RuntimeError, match="disk full"):
        migrate(database, [*MIGRATIONS, m999_broken])
    conn = database.connection()
    assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'half_done'").fetchone() is None
    assert "m999_broken" not in [r["name"] for r in conn.execute("SELECT name FROM _migrations")]
    database.close()


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_text("these are my notes, not a database\n" * 50)
    with pytest.raises(RuntimeError, match="Cannot open the workbench database .*notes.sqlite3"):
        Storage(path)
    assert path.read_text().startswith("these are my notes"), "the file is left untouched"
