"""What the chat page knows about a run while it streams, folded from its events.

The run itself lives in the facade's background handle; this object only accumulates the
events the page has drained so far, so a page rerun (a click elsewhere while a run streams)
can redraw everything seen so far and keep draining the same handle.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from workbench.domain import (
    EventKind, PlanMade, Preparing, RunEvent, RunStarted, SubtaskBegun, SubtaskEnded, SubtaskResult,
    SubtaskStatus, SynthesisStarted,
)

_BEGUN_STATUS = {EventKind.SUBTASK_QUEUED: SubtaskStatus.QUEUED, EventKind.SUBTASK_STARTED: SubtaskStatus.RUNNING}


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
    plan_version: int = 0  # how many plans arrived: the template's, then the planner's
    phases: list[list[str]] = field(default_factory=list)
    subtasks: dict[str, LiveSubtask] = field(default_factory=dict)
    answer: str = ""
    thinking: str = ""
    synthesizing: bool = False
    writing_overview: bool = False  # the reasoning model writes an overview above the parts
    preparing: str = ""  # a one-time wait in progress (a model load, a header build), until text flows

    def absorb(self, event: RunEvent) -> None:
        """Fold one event in; events of unknown subtasks create them (order is not assumed).
        How the run ended is not kept here: the page redraws a finished run from storage."""
        kind, data = event.kind, event.data
        self.run_id = event.run_id or self.run_id
        if isinstance(data, RunStarted):
            self.conversation_id, self.message_id = data.conversation_id, data.message_id
        elif isinstance(data, Preparing):
            self.preparing = data.what
        elif isinstance(data, PlanMade):  # the template plan, then perhaps the refined one
            self.plan, self.phases = data.decomposition, data.phases
            self.plan_version += 1
        elif isinstance(data, (SubtaskBegun, SubtaskEnded)) and data.is_answer:
            return  # a direct answer's one subtask: its text is the answer, not a progress box
        elif isinstance(data, SubtaskBegun):
            if data.attempt > 1:  # a retry starts its text again
                self._subtask(event.subtask_id).output = ""
            subtask = self._subtask(event.subtask_id, event.text)
            subtask.title = event.text or subtask.title
            subtask.role, subtask.model, subtask.backend = data.role, data.model, data.backend
            subtask.note = data.note or ""
            subtask.status = _BEGUN_STATUS[kind]
        elif kind in (EventKind.TOKEN, EventKind.THINKING):
            self.preparing = ""
            self._stream(event)
        elif isinstance(data, SubtaskEnded):
            self.preparing = ""
            self._finish_subtask(event.subtask_id, data.result)
        elif kind == EventKind.VALIDATION and event.subtask_id:
            self.preparing = ""
            self._subtask(event.subtask_id).checks.append(event.text)
        elif isinstance(data, SynthesisStarted):
            self.synthesizing = True
            self.writing_overview = data.overview

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

    def _finish_subtask(self, subtask_id: str | None, result: SubtaskResult) -> None:
        subtask = self._subtask(subtask_id)
        subtask.status = result.status
        subtask.title = result.title or subtask.title
        subtask.model = result.model or subtask.model
        subtask.output = result.output
        subtask.error = result.error or ""

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
