"""What a run hands back to its caller: per-subtask results and the run's result."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

SubtaskStatus = Literal["complete", "failed", "skipped", "cancelled"]
RunStatus = Literal["complete", "partial", "error", "cancelled"]


class SubtaskResult(BaseModel):
    """One subtask's outcome; `model_note` says when another model stood in for the role's."""

    id: str
    title: str
    role: str
    model: str | None = None
    backend: str | None = None
    status: SubtaskStatus
    output: str = ""
    thinking: str = ""
    error: str | None = None
    duration_ms: float = 0.0
    prompt_chars: int | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    model_note: str | None = None
    sources: list[str] = Field(default_factory=list)
    attempts: list[dict[str, Any]] = Field(default_factory=list)


class OverviewResult(BaseModel):
    """The reasoning model's overview above a decomposed answer; `error` says why it is
    missing when `status` is not "complete" (the assembled parts are kept either way)."""

    model: str | None = None
    backend: str | None = None
    status: Literal["complete", "failed", "cancelled"]
    text: str = ""
    thinking: str = ""
    error: str | None = None
    duration_ms: float = 0.0
    prompt_tokens: int | None = None
    completion_tokens: int | None = None

    def record(self) -> dict[str, Any]:
        """What the run's row keeps: how the call went, not the text (that is in the answer)."""
        return self.model_dump(exclude={"text", "thinking"})


class RunResult(BaseModel):
    """A finished run: the answer and everything needed to show how it was made."""

    run_id: str
    conversation_id: int
    user_message_id: int
    message_id: int
    answer: str = ""
    thinking: str = ""
    status: RunStatus
    error: str | None = None
    model: str | None = None
    backend: str | None = None
    notice: str | None = None  # e.g. the model that stood in for the chosen one
    decomposition: dict[str, Any] | None = None
    subtasks: list[SubtaskResult] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    overview: OverviewResult | None = None  # None: not asked for (setting, fewer than two parts, Stop)
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    duration_ms: float = 0.0
