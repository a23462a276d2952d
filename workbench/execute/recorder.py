"""Storing a run as it happens, from its events.

The recorder is one more event sink: each finished subtask is written the moment it ends and
a streaming answer is saved every `store_interval_s`, so a crash or a kill in the middle of a
run leaves the user's message, the finished subtasks and the partial answer on disk.
"""

from __future__ import annotations

import time
from typing import Any, Protocol

from workbench.domain import EventKind, RunEvent

_FINISHED = {EventKind.SUBTASK_DONE, EventKind.SUBTASK_FAILED, EventKind.SUBTASK_SKIPPED}


class RunWriter(Protocol):
    """The part of `workbench.storage.Storage` a recorder writes to."""

    def update_message(self, message_id: int, **fields: Any) -> None: ...

    def upsert_subtask(self, run_id: str, subtask_id: str, **fields: Any) -> None: ...


class RunRecorder:
    """Writes one run's subtasks and streamed answer to storage as events arrive."""

    def __init__(self, storage: RunWriter, run_id: str, message_id: int, interval_s: float) -> None:
        self.storage = storage
        self.run_id = run_id
        self.message_id = message_id
        self.interval_s = interval_s
        self.content = ""
        self.thinking = ""
        self._saved_at = 0.0

    def __call__(self, event: RunEvent) -> None:
        if event.kind in (EventKind.SUBTASK_QUEUED, EventKind.SUBTASK_STARTED):
            # a queued subtask has not started: its start time is set when it gets a slot
            started = event.kind == EventKind.SUBTASK_STARTED
            begun = {"status": "running", "started_at": time.time()} if started else {"status": "queued"}
            self.storage.upsert_subtask(
                self.run_id, event.subtask_id, title=event.text, role=event.data.get("role"),
                model=event.data.get("model"), backend=event.data.get("backend"),
                prompt_chars=event.data.get("prompt_chars"), sources=event.data.get("sources", []), **begun,
            )
        elif event.kind in _FINISHED:
            self.storage.upsert_subtask(self.run_id, event.subtask_id, **subtask_fields(event.data["result"]))
        elif event.subtask_id is None and event.kind in (EventKind.TOKEN, EventKind.THINKING):
            if event.kind == EventKind.TOKEN:
                self.content += event.text
            else:
                self.thinking += event.text
            self._save_throttled()

    def _save_throttled(self) -> None:
        now = time.monotonic()
        if now - self._saved_at >= self.interval_s:
            self._saved_at = now
            self.storage.update_message(self.message_id, content=self.content, thinking=self.thinking)


def subtask_fields(result: dict[str, Any]) -> dict[str, Any]:
    """A `SubtaskResult` dump as the storage's subtask columns."""
    now = time.time()
    return {
        "title": result["title"], "role": result["role"], "model": result.get("model"),
        "backend": result.get("backend"), "status": result["status"],
        "prompt_chars": result.get("prompt_chars"), "output": result.get("output", ""),
        "thinking": result.get("thinking", ""), "error": result.get("error"),
        "prompt_tokens": result.get("prompt_tokens"), "completion_tokens": result.get("completion_tokens"),
        "duration_ms": result.get("duration_ms"), "finished_at": now,
        "sources": result.get("sources", []), "attempts": result.get("attempts", []),
    }
