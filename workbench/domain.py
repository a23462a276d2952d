"""Typed data shared by every room of the workbench.

One definition serves three uses: the in-memory objects, the JSON export format (the
JSON Schema of these pydantic models is published), and the structured-output schema the
LLM planner is asked to fill. The enums they use live in `workbench.vocabulary` (re-exported
here); nothing else of the workbench is imported.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from workbench.vocabulary import (  # noqa: F401 - re-exported: the names belong with the models
    DocSource,
    EventKind,
    ExpectedOutput,
    MessageStatus,
    Method,
    PlanStep,
    Role,
    RunStatus,
    Strategy,
    SubtaskStatus,
    TaskType,
)

DECOMPOSITION_SCHEMA_VERSION = 1


class Subtask(BaseModel):
    """One node of a plan: what to do, on which role, after which other nodes."""

    model_config = ConfigDict(use_enum_values=False)

    id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(min_length=1, max_length=4000)
    task_type: TaskType
    role: Role
    model_preference: str = Field(default="", max_length=200)
    dependencies: list[str] = Field(default_factory=list, max_length=64)
    expected_output: ExpectedOutput = ExpectedOutput.TEXT
    context_requirements: list[DocSource] = Field(default_factory=list)
    step: PlanStep | None = None


class QueryAnalysis(BaseModel):
    """What the analyzer (rules or HRM network) concluded about a query."""

    domains: list[TaskType]
    complexity: int = Field(ge=1, le=10)
    primary_role: Role
    strategy: Strategy
    confidence: float = Field(ge=0.0, le=1.0)
    decompose: bool
    steps: list[PlanStep] = Field(default_factory=list)
    method: Method = Method.RULES
    reasoning: list[str] = Field(default_factory=list)
    act_steps: int | None = None


class TaskDecomposition(BaseModel):
    """A query's plan: the analysis plus a validated DAG of subtasks."""

    schema_version: int = DECOMPOSITION_SCHEMA_VERSION
    query: str
    context: dict[str, Any] = Field(default_factory=dict)
    complexity: int = Field(ge=1, le=10)
    domains: list[TaskType]
    primary_role: Role
    strategy: Strategy
    confidence: float = Field(ge=0.0, le=1.0)
    method: Method
    reasoning: list[str] = Field(default_factory=list)
    subtasks: list[Subtask] = Field(min_length=1, max_length=32)
    act_steps: int | None = None
    engine_version: str = ""
    planner_fallback_reason: str | None = None

    def subtask(self, subtask_id: str) -> Subtask:
        for s in self.subtasks:
            if s.id == subtask_id:
                return s
        raise KeyError(subtask_id)


# ---------------------------------------------------------------- chat wire types


class ChatMessage(BaseModel):
    """One message sent to a backend."""

    role: str = Field(pattern=r"^(system|user|assistant)$")
    content: str


class ChatChunk(BaseModel):
    """One streamed piece of a backend's answer.

    `content` and `thinking` are kept apart so a reasoning model's thoughts never leak
    into the answer. The last chunk of a stream has `done=True` and carries the counts.
    """

    content: str = ""
    thinking: str = ""
    done: bool = False
    model: str | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    done_reason: str | None = None


class GenerationOptions(BaseModel):
    """Sampling and length options every backend understands."""

    temperature: float | None = None
    top_p: float | None = None
    max_tokens: int | None = None
    seed: int | None = None
    stop: list[str] | None = None


class BackendHealth(BaseModel):
    name: str
    reachable: bool
    detail: str = ""
    models: list[str] = Field(default_factory=list)


# ---------------------------------------------------------------- run events


class SubtaskResult(BaseModel):
    """One subtask's outcome, the one shape of a subtask from the executor to the page and
    the database; `model_note` says when another model stood in for the role's."""

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


# one typed payload per event kind (TOKEN and THINKING carry only their text)


class RunStarted(BaseModel):
    conversation_id: int
    message_id: int
    backend: str
    notice: str | None = None


class PlanMade(BaseModel):
    """The plan and its phases. The template plan is sent before any model is called;
    `refining` says the LLM planner is now asked to improve it, and a second PLAN event
    follows with the plan that is run."""

    decomposition: dict[str, Any]  # the plan as stored (`TaskDecomposition` in JSON form)
    phases: list[list[str]]
    refining: bool = False


class SubtaskBegun(BaseModel):
    """SUBTASK_QUEUED (waiting for a slot) and SUBTASK_STARTED (generating)."""

    role: str
    model: str
    backend: str
    note: str | None = None
    prompt_chars: int | None = None
    sources: list[str] = Field(default_factory=list)
    attempt: int = 1  # a retry starts again from nothing
    is_answer: bool = False  # the one subtask of a direct answer: its text streams as the answer


class SubtaskEnded(BaseModel):
    """SUBTASK_DONE, SUBTASK_FAILED and SUBTASK_SKIPPED."""

    result: SubtaskResult
    is_answer: bool = False


class CodeChecked(BaseModel):
    language: str
    ok: bool | None
    repair_round: int | None = None


class SynthesisStarted(BaseModel):
    overview: bool  # the reasoning model writes an overview above the parts


class RunEnded(BaseModel):
    """RUN_DONE and RUN_FAILED."""

    result: RunResult


class Preparing(BaseModel):
    """PREPARING: what the next step waits for before it can start, said once so the user is
    not left at "Waiting for the model…" (the embedded model loading, the JUCE header built)."""

    what: str


StepKind = Literal["plan", "planner", "retrieval", "validation", "repair"]


class StepTimed(BaseModel):
    """A step the engine timed itself (the analysis, the LLM planner, a subtask's retrieval,
    validation or repair round), stored with the run so its timeline shows where the time
    went inside a subtask and before the first one, not only the subtasks' own spans."""

    kind: StepKind
    name: str
    start: float  # UNIX seconds
    end: float
    subtask_id: str | None = None
    status: str = "complete"  # complete | failed | cancelled


EventData = (RunStarted | PlanMade | SubtaskBegun | SubtaskEnded | CodeChecked | SynthesisStarted | StepTimed
             | Preparing | RunEnded)

EVENT_DATA: dict[EventKind, type[BaseModel] | None] = {
    EventKind.RUN_STARTED: RunStarted,
    EventKind.PLAN: PlanMade,
    EventKind.SUBTASK_QUEUED: SubtaskBegun,
    EventKind.SUBTASK_STARTED: SubtaskBegun,
    EventKind.TOKEN: None,
    EventKind.THINKING: None,
    EventKind.SUBTASK_DONE: SubtaskEnded,
    EventKind.SUBTASK_FAILED: SubtaskEnded,
    EventKind.SUBTASK_SKIPPED: SubtaskEnded,
    EventKind.VALIDATION: CodeChecked,
    EventKind.SYNTHESIS_STARTED: SynthesisStarted,
    EventKind.STEP_TIMED: StepTimed,
    EventKind.PREPARING: Preparing,
    EventKind.RUN_DONE: RunEnded,
    EventKind.RUN_FAILED: RunEnded,
}


class RunEvent(BaseModel):
    """A progress event of a run; the UI and the CLI render these and nothing else.
    `data` is the kind's payload (`EVENT_DATA`), None for tokens and thinking."""

    kind: EventKind
    run_id: str | None = None
    subtask_id: str | None = None  # None: the run itself, or the synthesis / direct answer
    text: str = ""
    data: EventData | None = None
