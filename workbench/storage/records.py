"""The rows the storage hands out, as typed pydantic records.

Each record mirrors one table's columns; timestamps are float UNIX seconds; JSON columns
come back decoded (dicts and lists). Records are snapshots: changing one changes nothing in
the database — call the matching `Storage.update_*` method instead.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, JsonValue

from workbench.domain import MessageStatus, RunStatus, SubtaskStatus

MessageRole = Literal["user", "assistant"]

MESSAGE_ROLES: tuple[str, ...] = MessageRole.__args__


class Project(BaseModel):
    id: int
    name: str
    created_at: float
    updated_at: float


class ProjectSummary(BaseModel):
    """A project with the counts the sidebar shows; `last_activity` is the newest change
    to the project, any of its conversations or any of its messages."""

    id: int
    name: str
    conversations: int
    messages: int
    last_activity: float
    created_at: float


class Conversation(BaseModel):
    """`updated_at` moves whenever one of its messages is added or changed."""

    id: int
    project_id: int
    title: str
    created_at: float
    updated_at: float


class Message(BaseModel):
    id: int
    conversation_id: int
    role: MessageRole
    content: str
    thinking: str = ""
    status: MessageStatus = MessageStatus.COMPLETE
    error: str | None = None
    model: str | None = None
    backend: str | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    duration_ms: float | None = None
    created_at: float
    updated_at: float
    run_id: str | None = None


class Run(BaseModel):
    """One answered question. The id is a UUID hex string so runs keep their identity
    in events, exports and imports into another database."""

    id: str
    conversation_id: int
    message_id: int | None
    question: str
    decomposition: dict[str, JsonValue] | None = None
    status: RunStatus = RunStatus.RUNNING
    answer: str = ""
    error: str | None = None
    duration_ms: float | None = None
    events_summary: JsonValue = None
    overview: dict[str, JsonValue] | None = None  # the reasoning model's overview: model, status, time
    steps: list[JsonValue] = []  # the steps the engine timed (`StepTimed` records), for the timeline
    created_at: float
    updated_at: float
    finished_at: float | None = None


class SubtaskRecord(BaseModel):
    """What happened to one subtask of a run; `subtask_id` is the plan's id ("s1")."""

    run_id: str
    subtask_id: str
    title: str = ""
    role: str | None = None
    model: str | None = None
    backend: str | None = None
    status: SubtaskStatus = SubtaskStatus.PENDING
    prompt_chars: int | None = None
    output: str = ""
    thinking: str = ""
    error: str | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    started_at: float | None = None
    finished_at: float | None = None
    duration_ms: float | None = None
    sources: list[JsonValue] = []
    attempts: list[JsonValue] = []


class Feedback(BaseModel):
    """A user's verdict on an answer, kept as training signal for the HRM router."""

    id: int
    message_id: int
    rating: int
    correct_role: str | None = None
    should_split: bool | None = None
    note: str = ""
    created_at: float
