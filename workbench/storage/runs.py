"""Runs and their subtasks: how one question was decomposed, executed and answered."""

from __future__ import annotations

import json
import os
import sqlite3
import time
import uuid
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from workbench.storage.inputs import RunUpdate, SubtaskFields, checked
from workbench.storage.records import Run, SubtaskRecord
from workbench.storage.tables import Tables

FINISHED_RUN_STATUSES = frozenset({"complete", "partial", "error", "cancelled"})


def process_alive(pid: int) -> bool:
    """Whether a process with this id exists (signal 0 checks without sending anything)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    return True


class RunStore(Tables):
    def create_run(
        self,
        conversation_id: int,
        message_id: int | None,
        question: str,
        decomposition: dict[str, Any] | BaseModel | None,
    ) -> Run:
        """A new run (status "running"), linked both ways to the assistant message.

        KeyError for an unknown conversation or message."""
        if not isinstance(question, str):
            raise ValueError(f"The run's question must be text, not {type(question).__name__}")
        values = checked(RunUpdate, {"decomposition": decomposition}, "the run")
        run_id = uuid.uuid4().hex
        now = time.time()
        with self._db.transaction() as tx:
            self._require(tx, "conversations", conversation_id, "conversation")
            if message_id is not None:
                self._require(tx, "messages", message_id, "message")
            tx.execute(
                "INSERT INTO runs (id, conversation_id, message_id, question, decomposition,"
                " created_at, updated_at, owner_pid) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (run_id, conversation_id, message_id, question, values["decomposition"], now, now, os.getpid()),
            )
            if message_id is not None:
                self._set(tx, "messages", message_id, {"run_id": run_id})
        return Run(
            id=run_id,
            conversation_id=conversation_id,
            message_id=message_id,
            question=question,
            decomposition=_loads(values["decomposition"]),
            created_at=now,
            updated_at=now,
        )

    def update_run(self, run_id: str, **fields: Any) -> None:
        """Change some of: status, answer, decomposition, error, duration_ms, events_summary,
        overview, steps (the timed steps, a list).

        A finishing status (complete, partial, error, cancelled) stamps finished_at.
        KeyError for an unknown run; ValueError (nothing written) for bad fields."""
        values = checked(RunUpdate, fields, f"run {run_id}")
        now = time.time()
        values["updated_at"] = now
        if values.get("status") in FINISHED_RUN_STATUSES:
            values["finished_at"] = now
        with self._db.transaction() as tx:
            self._require(tx, "runs", run_id, "run")
            self._set(tx, "runs", run_id, values)

    def close_interrupted_runs(self, alive: Callable[[int], bool] = process_alive) -> int:
        """Close the runs whose process stopped before they finished (a crash, a kill, a
        reboot): the run and its answer become "partial" when some text was stored (the
        answer so far becomes the run's answer), else "error", with the reason; unfinished
        subtasks become "failed" and keep the text they had streamed. Returns how many.

        Runs of live processes (this one, a CLI run beside the app) are left alone; a run
        from before the owner was recorded counts as interrupted."""
        now = time.time()
        with self._db.transaction() as tx:
            rows = tx.execute(
                "SELECT runs.id, runs.owner_pid, runs.message_id, messages.content FROM runs"
                " LEFT JOIN messages ON messages.id = runs.message_id WHERE runs.status = 'running'"
            ).fetchall()
            stale = [r for r in rows if r["owner_pid"] is None or not alive(r["owner_pid"])]
            for row in stale:
                status = "partial" if row["content"] else "error"
                who = f"process {row['owner_pid']}" if row["owner_pid"] is not None else "the process running it"
                error = f"interrupted: {who} stopped before this answer was finished"
                tx.execute("UPDATE runs SET status = ?, error = ?, answer = ?, updated_at = ?, finished_at = ?"
                           " WHERE id = ?", (status, error, row["content"] or "", now, now, row["id"]))
                if row["message_id"] is not None:
                    tx.execute("UPDATE messages SET status = ?, error = ?, updated_at = ? WHERE id = ?"
                               " AND status = 'streaming'", (status, error, now, row["message_id"]))
                tx.execute("UPDATE subtasks SET status = 'failed', error = ? WHERE run_id = ?"
                           " AND status IN ('pending', 'queued', 'running')", (error, row["id"]))
        return len(stale)

    def get_run(self, run_id: str) -> Run | None:
        row = self._db.query_one("SELECT * FROM runs WHERE id = ?", (run_id,))
        if row is None:
            return None
        return Run(**_decoded(row, "decomposition", "events_summary", "overview", "steps"))

    def list_runs(self, project_id: int) -> list[Run]:
        """The runs of a project's conversations, newest first, in one query."""
        rows = self._db.query(
            "SELECT runs.* FROM runs JOIN conversations ON conversations.id = runs.conversation_id"
            " WHERE conversations.project_id = ? ORDER BY runs.created_at DESC, runs.rowid DESC",
            (project_id,),
        )
        return [Run(**_decoded(row, "decomposition", "events_summary", "overview", "steps")) for row in rows]

    def upsert_subtask(self, run_id: str, subtask_id: str, **fields: Any) -> None:
        """Create the subtask row on first call, then change only the fields given.

        Fields: title, role, model, backend, status, prompt_chars, output, thinking, error,
        prompt_tokens, completion_tokens, started_at, finished_at, duration_ms,
        sources (list), attempts (list). KeyError for an unknown run."""
        if not isinstance(subtask_id, str) or not subtask_id:
            raise ValueError(f"A subtask id must be a non-empty string, not {subtask_id!r}")
        values = checked(SubtaskFields, fields, f"subtask {subtask_id!r} of run {run_id}")
        columns = ["run_id", "subtask_id", *values]
        on_conflict = (
            "DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in values)
            if values
            else "DO NOTHING"
        )
        with self._db.transaction() as tx:
            self._require(tx, "runs", run_id, "run")
            tx.execute(
                f"INSERT INTO subtasks ({', '.join(columns)})"
                f" VALUES ({', '.join('?' for _ in columns)})"
                f" ON CONFLICT (run_id, subtask_id) {on_conflict}",
                (run_id, subtask_id, *values.values()),
            )

    def list_subtasks(self, run_id: str) -> list[SubtaskRecord]:
        """The run's subtasks in the order they were first stored; KeyError if unknown."""
        conn = self._db.connection()
        self._require(conn, "runs", run_id, "run")
        rows = conn.execute("SELECT * FROM subtasks WHERE run_id = ? ORDER BY id", (run_id,))
        return [SubtaskRecord(**_decoded(row, "sources", "attempts")) for row in rows]


def _decoded(row: sqlite3.Row, *json_columns: str) -> dict[str, Any]:
    out = dict(row)
    for column in json_columns:
        out[column] = _loads(out[column])
    return out


def _loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)
