"""What the chat page knows about a run while it streams, folded from its events.

The run itself lives in the facade's background handle; this object only accumulates the
events the page has drained so far, so a page rerun (a click elsewhere while a run streams)
can redraw everything seen so far and keep draining the same handle.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from workbench.domain import EventKind, RunEvent

_FINISHED_STATUS = {
    EventKind.SUBTASK_DONE: "complete",
    EventKind.SUBTASK_FAILED: "failed",
    EventKind.SUBTASK_SKIPPED: "skipped",
}
_BEGUN_STATUS = {EventKind.SUBTASK_QUEUED: "queued", EventKind.SUBTASK_STARTED: "running"}


class RunSource(Protocol):
    """The part of the facade's run handle the page uses."""

    def shown_in(self, project_id: int, conversation_id: int | None) -> bool:
        """Whether the page showing this project and conversation is where this run lives."""
        return project_id == self.project_id and conversation_id == self.conversation_id

    def drain(self) -> list[RunEvent]: ...

    @property
    def done(self) -> bool: ...

    def cancel(self) -> None: ...

    def result(self, timeout: float | None = None) -> Any: ...


@dataclass
class LiveSubtask:
    id: str
    title: str
    role: str = ""
    model: str = ""
    backend: str = ""
    note: str = ""
    status: str = "running"
    output: str = ""
    thinking: str = ""
    error: str = ""
    checks: list[str] = field(default_factory=list)

    @property
    def state(self) -> str:
        """The status in words; a queued subtask says what it waits for."""
        if self.status == "queued":
            return f"queued — waiting for a free slot on {self.backend or 'the backend'}"
        return self.status

    @property
    def label(self) -> str:
        model = f" — {self.model}" if self.model else ""
        return f"{self.id} · {self.title}{model} ({self.state})"


@dataclass
class LiveRun:
    """One streaming run as the page sees it: plan, subtasks, answer and thinking so far."""

    question: str
    handle: RunSource
    project_id: int
    conversation_id: int | None = None  # None until the run has made its new conversation
    history_until: int = 0  # the newest message id of the conversation before this run
    announced: bool = False  # the page has put the run's conversation in the URL
    run_id: str | None = None
    message_id: int | None = None
    plan: dict[str, Any] | None = None
    phases: list[list[str]] = field(default_factory=list)
    subtasks: dict[str, LiveSubtask] = field(default_factory=dict)
    answer: str = ""
    thinking: str = ""
    synthesizing: bool = False
    writing_overview: bool = False  # the reasoning model writes an overview above the parts

    def absorb(self, event: RunEvent) -> None:
        """Fold one event in; events of unknown subtasks create them (order is not assumed).
        How the run ended is not kept here: the page redraws a finished run from storage."""
        kind, data = event.kind, event.data
        self.run_id = event.run_id or self.run_id
        if kind == EventKind.RUN_STARTED:
            self.conversation_id = data.get("conversation_id", self.conversation_id)
            self.message_id = data.get("message_id", self.message_id)
        elif kind == EventKind.PLAN:
            self.plan = data.get("decomposition") or self.plan
            self.phases = data.get("phases") or self.phases
        elif kind in _BEGUN_STATUS:
            subtask = self._subtask(event.subtask_id, event.text)
            subtask.title = event.text or subtask.title
            subtask.role = data.get("role") or subtask.role
            subtask.model = data.get("model") or subtask.model
            subtask.backend = data.get("backend") or subtask.backend
            subtask.note = data.get("note") or ""
            subtask.status = _BEGUN_STATUS[kind]
        elif kind in (EventKind.TOKEN, EventKind.THINKING):
            self._stream(event)
        elif kind in _FINISHED_STATUS:
            self._finish_subtask(event)
        elif kind == EventKind.VALIDATION and event.subtask_id:
            self._subtask(event.subtask_id).checks.append(event.text)
        elif kind == EventKind.SYNTHESIS_STARTED:
            self.synthesizing = True
            self.writing_overview = bool(data.get("overview"))

    def _stream(self, event: RunEvent) -> None:
        is_token = event.kind == EventKind.TOKEN
        if event.subtask_id is None:
            if is_token:
                self.answer += event.text
            else:
                self.thinking += event.text
            return
        subtask = self._subtask(event.subtask_id)
        if is_token:
            subtask.output += event.text
        else:
            subtask.thinking += event.text

    def _finish_subtask(self, event: RunEvent) -> None:
        subtask = self._subtask(event.subtask_id)
        result = event.data.get("result") or {}
        subtask.status = result.get("status") or _FINISHED_STATUS[event.kind]
        subtask.title = result.get("title") or subtask.title
        subtask.model = result.get("model") or subtask.model
        subtask.output = result.get("output", subtask.output)
        subtask.error = result.get("error") or (event.text if event.kind != EventKind.SUBTASK_DONE else "")

    def _subtask(self, subtask_id: str | None, title: str = "") -> LiveSubtask:
        key = subtask_id or "?"
        if key not in self.subtasks:
            self.subtasks[key] = LiveSubtask(id=key, title=title or key)
        return self.subtasks[key]

    def shown_in(self, project_id: int, conversation_id: int | None) -> bool:
        """Whether the page showing this project and conversation is where this run lives."""
        return project_id == self.project_id and conversation_id == self.conversation_id

    def drain(self) -> list[RunEvent]:
        """Absorb whatever the handle has produced since the last call, and return it."""
        events = self.handle.drain()
        for event in events:
            self.absorb(event)
        return events
