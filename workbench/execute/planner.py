"""The LLM planner: for hard or uncertain questions, the reasoning model writes the plan.

Its answer is constrained to the JSON schema of a plan built from the domain types (Ollama
`format`, llama.cpp `response_format`), then validated exactly like a template plan. Any
failure — no JSON, a schema violation such as an unknown role, a cycle, a backend error —
keeps the template plan and records why in `planner_fallback_reason`.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable

from pydantic import BaseModel, Field, ValidationError

from workbench.config import Settings
from workbench.domain import ChatMessage, GenerationOptions, Method, Role, Subtask, TaskDecomposition
from workbench.execute.routing import ModelRouter
from workbench.execute.streaming import Generation, RunCancelled, stream_into
from workbench.llm.base import Backend, BackendError

PlanCheck = Callable[[list[Subtask]], None]


class PlannedSubtasks(BaseModel):
    """What the planner must answer: the subtasks of a plan, nothing else."""

    subtasks: list[Subtask] = Field(min_length=1, max_length=8)


PLAN_SCHEMA = PlannedSubtasks.model_json_schema()

PLANNER_SYSTEM_PROMPT = (
    "You plan work for a team of models: 'reasoning' (design, trade-offs), 'coder' (FAUST "
    "and JUCE code) and 'math' (derivations, DSP math). Split the user's request into 2 to 6 "
    "subtasks. Each has a short id (s1, s2, ...), a title, a description of exactly what to "
    "produce, a task_type, a role, an expected_output and the ids of the subtasks it needs "
    "(dependencies; no cycles). Answer with JSON only."
)


def needs_planner(plan: TaskDecomposition, settings: Settings) -> bool:
    """Hard questions (complexity ≥ the threshold) and uncertain analyses get the planner."""
    execution = settings.execution
    return (plan.complexity >= execution.planner_complexity_threshold
            or plan.confidence < execution.planner_confidence_threshold)


def plan_with_llm(
    template: TaskDecomposition,
    backend: Backend,
    router: ModelRouter,
    settings: Settings,
    check: PlanCheck,
    *,
    options: GenerationOptions | None = None,
    cancel: threading.Event | None = None,
) -> TaskDecomposition:
    """The model's plan (method "planner") when it is valid, else `template` with
    `planner_fallback_reason` saying what was wrong. Never raises for a bad answer; Stop
    (`cancel`) ends the planner's call at once and leaves the template plan."""
    try:
        subtasks = _ask(template, backend, router, settings, options, cancel)
        check(subtasks)
    except Exception as error:  # noqa: BLE001 - on any failure the template plan stands
        return template.model_copy(update={"planner_fallback_reason": _reason(error)})
    return template.model_copy(update={
        "subtasks": subtasks, "method": Method.PLANNER, "planner_fallback_reason": None,
        "reasoning": [*template.reasoning, f"plan written by the LLM planner ({len(subtasks)} subtasks)"],
    })


def _ask(
    template: TaskDecomposition,
    backend: Backend,
    router: ModelRouter,
    settings: Settings,
    options: GenerationOptions | None,
    cancel: threading.Event | None,
) -> list[Subtask]:
    model, _note = router.for_role(Role.REASONING)
    draft = json.dumps({"subtasks": [s.model_dump(mode="json") for s in template.subtasks]})
    messages = [
        ChatMessage(role="system", content=PLANNER_SYSTEM_PROMPT),
        ChatMessage(role="user", content=(
            f"Request: {template.query}\n\nA template plan to improve on:\n{draft}\n\n"
            "Answer with the JSON object of the improved plan."
        )),
    ]
    limit = GenerationOptions(temperature=0.0, max_tokens=settings.execution.planner_max_tokens)
    generation = stream_into(
        Generation(model=model), backend, messages, json_schema=PLAN_SCHEMA,
        options=options or limit, timeout_s=settings.execution.subtask_timeout_s, cancel=cancel,
    )
    return PlannedSubtasks.model_validate_json(generation.content).subtasks


def _reason(error: Exception) -> str:
    if isinstance(error, ValidationError):
        first = error.errors()[0]
        if first["type"] == "json_invalid":
            return f"the planner's answer was not valid JSON ({first['msg']})"
        where = ".".join(str(part) for part in first["loc"])
        return f"the planner's answer did not match the plan schema: {where}: {first['msg']}"
    if isinstance(error, BackendError):
        return f"the planner model failed: {error}"
    if isinstance(error, RunCancelled):
        return "the run was stopped before the planner answered"
    return f"the planner's plan was rejected: {error}"
