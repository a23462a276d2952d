"""The database schema, as an append-only list of named migrations (simonw/llm style).

Every open runs the ones whose names are not yet in `_migrations`, each in its own
transaction together with recording its name, so a crash never leaves one half applied.
A migration never changes after it ships: to change the schema, append a new function.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable

from workbench.storage.database import Database

Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[Migration] = []


def migration(fn: Migration) -> Migration:
    MIGRATIONS.append(fn)
    return fn


def _execute_all(db: sqlite3.Connection, *statements: str) -> None:
    """One statement at a time: `executescript` would commit the migration's transaction."""
    for sql in statements:
        db.execute(sql)


@migration
def m001_initial(db: sqlite3.Connection) -> None:
    _execute_all(
        db,
        """
        CREATE TABLE projects (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL
        )
        """,
        """
        CREATE TABLE conversations (
            id INTEGER PRIMARY KEY,
            project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
            title TEXT NOT NULL,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL
        )
        """,
        "CREATE INDEX conversations_by_project ON conversations(project_id, updated_at)",
        """
        CREATE TABLE messages (
            id INTEGER PRIMARY KEY,
            conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
            role TEXT NOT NULL,
            content TEXT NOT NULL,
            thinking TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'complete',
            error TEXT,
            model TEXT,
            backend TEXT,
            prompt_tokens INTEGER,
            completion_tokens INTEGER,
            duration_ms REAL,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL
        )
        """,
        "CREATE INDEX messages_by_conversation ON messages(conversation_id, id)",
    )


@migration
def m002_runs_and_subtasks(db: sqlite3.Connection) -> None:
    _execute_all(
        db,
        """
        CREATE TABLE runs (
            id TEXT PRIMARY KEY,
            conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
            message_id INTEGER REFERENCES messages(id) ON DELETE SET NULL,
            question TEXT NOT NULL,
            decomposition TEXT,
            status TEXT NOT NULL DEFAULT 'running',
            answer TEXT NOT NULL DEFAULT '',
            error TEXT,
            duration_ms REAL,
            events_summary TEXT,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL,
            finished_at REAL
        )
        """,
        "CREATE INDEX runs_by_conversation ON runs(conversation_id)",
        "CREATE INDEX runs_by_message ON runs(message_id)",
        """
        CREATE TABLE subtasks (
            id INTEGER PRIMARY KEY,
            run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            subtask_id TEXT NOT NULL,
            title TEXT NOT NULL DEFAULT '',
            role TEXT,
            model TEXT,
            backend TEXT,
            status TEXT NOT NULL DEFAULT 'pending',
            prompt_chars INTEGER,
            output TEXT NOT NULL DEFAULT '',
            thinking TEXT NOT NULL DEFAULT '',
            error TEXT,
            prompt_tokens INTEGER,
            completion_tokens INTEGER,
            started_at REAL,
            finished_at REAL,
            duration_ms REAL,
            sources TEXT NOT NULL DEFAULT '[]',
            attempts TEXT NOT NULL DEFAULT '[]',
            UNIQUE (run_id, subtask_id)
        )
        """,
        "ALTER TABLE messages ADD COLUMN run_id TEXT REFERENCES runs(id) ON DELETE SET NULL",
        "CREATE INDEX messages_by_run ON messages(run_id)",
    )


@migration
def m003_feedback(db: sqlite3.Connection) -> None:
    _execute_all(
        db,
        """
        CREATE TABLE feedback (
            id INTEGER PRIMARY KEY,
            message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
            rating INTEGER NOT NULL,
            correct_role TEXT,
            should_split INTEGER,
            note TEXT NOT NULL DEFAULT '',
            created_at REAL NOT NULL
        )
        """,
        "CREATE INDEX feedback_by_message ON feedback(message_id)",
    )


@migration
def m004_run_overview(db: sqlite3.Connection) -> None:
    """How the reasoning model's overview of a decomposed answer went (model, status, time)."""
    _execute_all(db, "ALTER TABLE runs ADD COLUMN overview TEXT")


def migrate(database: Database, migrations: list[Migration] | None = None) -> list[str]:
    """Apply the migrations not yet recorded; returns the names applied now.

    Safe when several processes open the same file at once: the check and the apply share
    one `BEGIN IMMEDIATE` transaction, so a migration runs exactly once.
    """
    conn = database.connection()
    conn.execute(
        "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at REAL NOT NULL)"
    )
    applied_now = []
    for fn in MIGRATIONS if migrations is None else migrations:
        with database.transaction() as tx:
            if tx.execute("SELECT 1 FROM _migrations WHERE name = ?", (fn.__name__,)).fetchone():
                continue
            fn(tx)
            tx.execute(
                "INSERT INTO _migrations (name, applied_at) VALUES (?, ?)",
                (fn.__name__, time.time()),
            )
        applied_now.append(fn.__name__)
    return applied_now


@migration
def m005_run_owner(db: sqlite3.Connection) -> None:
    """The process running a run, so a later start can close the runs a dead process left open."""
    _execute_all(db, "ALTER TABLE runs ADD COLUMN owner_pid INTEGER")


@migration
def m006_run_steps(db: sqlite3.Connection) -> None:
    """The steps the engine timed (analysis, planner, retrieval, validation, repair rounds),
    a JSON list, so the run's timeline shows where the time went."""
    _execute_all(db, "ALTER TABLE runs ADD COLUMN steps TEXT NOT NULL DEFAULT '[]'")
