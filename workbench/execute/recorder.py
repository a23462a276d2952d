"""Storing a run as it happens, from its events.

The recorder is one more event sink: each finished subtask and each timed step is written the
moment it ends, and a streaming answer and a running subtask's text are saved every
`store_interval_s`, so a crash or a kill in the middle of a run leaves the user's message, the
finished subtasks, the steps so far and the partial texts on disk.
"""

from __future__ import annotations

import time
from typing import Any, Protocol

from workbench.domain import EventKind, RunEvent, StepTimed, SubtaskBegun, SubtaskEnded, SubtaskResult, SubtaskStatus
from workbench.execute.synthesis import synthesize


class RunWriter(Protocol):
    """The part of `workbench.storage.Storage` a recorder writes to."""

    def update_message(self, message_id: int, **fields: Any) -> None: ...

    def upsert_subtask(self, run_id: str, subtask_id: str, **fields: Any) -> None: ...

    def update_run(self, run_id: str, **fields: Any) -> None: ...


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
        self._streams: dict[str, _Stream] = {}  # a running subtask's text so far
        self._parts: list[SubtaskResult] = []  # the subtasks that ended, in the order they did
        self._steps: list[dict[str, Any]] = []  # the timed steps so far, stored whole each time (a few per subtask)

    def __call__(self, event: RunEvent) -> None:
        data, sid = event.data, event.subtask_id
        if isinstance(data, SubtaskBegun):
            # a queued subtask has not started: its start time is set when it first gets a slot
            fields: dict[str, Any] = {"status": SubtaskStatus.QUEUED}
            if event.kind == EventKind.SUBTASK_STARTED:
                fields = {"status": SubtaskStatus.RUNNING, "output": "", "thinking": ""}
                if data.attempt == 1:
                    fields["started_at"] = time.time()
                self._streams[sid] = _Stream()  # a retry starts its text again
            self.storage.upsert_subtask(
                self.run_id, sid, title=event.text, role=data.role, model=data.model,
                backend=data.backend, prompt_chars=data.prompt_chars, sources=data.sources, **fields,
            )
        elif isinstance(data, SubtaskEnded):
            self._streams.pop(sid, None)
            self.storage.upsert_subtask(self.run_id, sid, **subtask_fields(data.result))
            if not data.is_answer:
                self._parts.append(data.result)
                if not self.content:  # until the answer streams, the finished parts are the answer so far
                    self.storage.update_message(self.message_id, content=self.answer_so_far)
        elif isinstance(data, StepTimed):
            self._steps.append(data.model_dump())
            self.storage.update_run(self.run_id, steps=self._steps)
        elif event.kind in (EventKind.TOKEN, EventKind.THINKING):
            if sid is None:
                if event.kind == EventKind.TOKEN:
                    self.content += event.text
                else:
                    self.thinking += event.text
                self._save_answer()
            elif (stream := self._streams.get(sid)) is not None:
                stream.add(event.kind, event.text)
                if stream.due(self.interval_s):
                    self.storage.upsert_subtask(self.run_id, sid, output=stream.output, thinking=stream.thinking)

    @property
    def answer_so_far(self) -> str:
        """The streamed answer, or until it streams, the parts that have finished."""
        return self.content or (synthesize(self._parts) if self._parts else "")

    def _save_answer(self) -> None:
        now = time.monotonic()
        if now - self._saved_at >= self.interval_s:
            self._saved_at = now
            self.storage.update_message(self.message_id, content=self.content, thinking=self.thinking)


class _Stream:
    """One running subtask's text, saved every `interval_s` so a crash keeps it."""

    def __init__(self) -> None:
        self.output = ""
        self.thinking = ""
        self._saved_at = time.monotonic()

    def add(self, kind: EventKind, text: str) -> None:
        if kind == EventKind.TOKEN:
            self.output += text
        else:
            self.thinking += text

    def due(self, interval_s: float) -> bool:
        now = time.monotonic()
        if now - self._saved_at < interval_s:
            return False
        self._saved_at = now
        return True


def subtask_fields(result: SubtaskResult) -> dict[str, Any]:
    """A subtask's result as the storage's subtask columns."""
    return {**result.model_dump(exclude={"id", "model_note"}), "finished_at": time.time()}
