"""Storage: message inserts, listing a long conversation, and the project sidebar query.

Baselines, measured in the same run on the same schema:
- inserts: raw `sqlite3` in autocommit (one transaction per INSERT) on the same WAL file,
  once with the default synchronous=FULL (an fsync per commit) and once with the
  synchronous=NORMAL that Storage sets; against the second, the ratio is the cost of
  `Storage` itself (checks, validation, records, the conversation timestamp it keeps);
- listing: a raw `SELECT *` fetch of the same rows, so the ratio is the cost of the records;
- project summaries: the naive N+1 loop (two COUNTs per project), against the one query.

    .venv/bin/python bench/storage.py
"""

from __future__ import annotations

import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from workbench.storage import Storage

MESSAGES = 1000
PROJECTS = 50
CONVERSATIONS_PER_PROJECT = 20
MESSAGES_PER_CONVERSATION = 3
REPEATS = 5


def timed(fn: Callable[[], object], repeats: int = 1) -> float:
    """Median wall time of `fn` in milliseconds."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def storage_inserts(folder: Path) -> tuple[Storage, int, float]:
    storage = Storage(folder / "storage.sqlite3")
    conversation = storage.create_conversation(storage.ensure_project("bench").id, "long")

    def insert() -> None:
        for i in range(MESSAGES):
            storage.add_message(conversation.id, "user" if i % 2 else "assistant", f"message {i} " * 20)

    return storage, conversation.id, timed(insert)


def raw_inserts(path: Path, synchronous: str) -> tuple[sqlite3.Connection, int, float]:
    Storage(path).close()  # the same schema (and WAL), made by the migrations
    raw = sqlite3.connect(path, isolation_level=None)
    raw.execute(f"PRAGMA synchronous = {synchronous}")
    raw.execute("INSERT INTO projects (name, created_at, updated_at) VALUES ('bench', 0, 0)")
    raw.execute("INSERT INTO conversations (project_id, title, created_at, updated_at) VALUES (1, 'long', 0, 0)")

    def insert() -> None:
        for i in range(MESSAGES):
            now = time.time()
            raw.execute(
                "INSERT INTO messages (conversation_id, role, content, created_at, updated_at)"
                " VALUES (1, ?, ?, ?, ?)",
                ("user" if i % 2 else "assistant", f"message {i} " * 20, now, now),
            )

    return raw, 1, timed(insert)


def sidebar(folder: Path) -> tuple[float, float]:
    storage = Storage(folder / "sidebar.sqlite3")
    for p in range(PROJECTS):
        project = storage.create_project(f"project {p}")
        for c in range(CONVERSATIONS_PER_PROJECT):
            conversation = storage.create_conversation(project.id, f"conversation {c}")
            for m in range(MESSAGES_PER_CONVERSATION):
                storage.add_message(conversation.id, "user", f"q{m}")
    assert len(storage.list_projects()) == PROJECTS
    raw = sqlite3.connect(storage.path)

    def naive() -> list[tuple]:
        out = []
        for pid, name in raw.execute("SELECT id, name FROM projects").fetchall():
            conversations = raw.execute(
                "SELECT COUNT(*) FROM conversations WHERE project_id = ?", (pid,)
            ).fetchone()[0]
            messages = raw.execute(
                "SELECT COUNT(*) FROM messages JOIN conversations c ON c.id = conversation_id"
                " WHERE c.project_id = ?",
                (pid,),
            ).fetchone()[0]
            out.append((pid, name, conversations, messages))
        return out

    result = timed(storage.list_projects, REPEATS), timed(naive, REPEATS)
    raw.close()
    storage.close()
    return result


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        storage, conversation_id, insert_ms = storage_inserts(folder)
        raw, raw_conversation_id, raw_insert_ms = raw_inserts(folder / "raw.sqlite3", "FULL")
        tuned, _, tuned_insert_ms = raw_inserts(folder / "tuned.sqlite3", "NORMAL")
        tuned.close()
        assert len(storage.list_messages(conversation_id)) == MESSAGES
        list_ms = timed(lambda: storage.list_messages(conversation_id), REPEATS)
        raw_list_ms = timed(
            lambda: raw.execute(
                "SELECT * FROM messages WHERE conversation_id = ? ORDER BY id", (raw_conversation_id,)
            ).fetchall(),
            REPEATS,
        )
        storage.close()
        raw.close()
        sidebar_ms, naive_ms = sidebar(folder)

    rows = [
        (f"insert {MESSAGES} messages", insert_ms, "raw autocommit (default)", raw_insert_ms),
        (f"insert {MESSAGES} messages", insert_ms, "raw autocommit, sync=NORMAL", tuned_insert_ms),
        (f"list a {MESSAGES}-message conversation", list_ms, "raw SELECT fetchall", raw_list_ms),
        (
            f"list_projects ({PROJECTS} x {CONVERSATIONS_PER_PROJECT} conv.)",
            sidebar_ms,
            "raw N+1 counts",
            naive_ms,
        ),
    ]
    print(f"{'operation':<42} {'storage ms':>11} {'baseline':<28} {'base ms':>9} {'ratio':>7}")
    for name, ours, baseline, theirs in rows:
        print(f"{name:<42} {ours:>11.1f} {baseline:<28} {theirs:>9.1f} {ours / theirs:>7.2f}")
    print(f"\nper message insert through Storage: {insert_ms / MESSAGES:.3f} ms")


if __name__ == "__main__":
    main()
