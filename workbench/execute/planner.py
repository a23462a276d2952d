"""Planning a question in one place: `Decomposer.plan` gives the template plan (HRM network
or rules), has the LLM planner refine it where warranted and possible, and validates it.

For hard or uncertain questions the reasoning model writes the plan. Its answer is
constrained to the JSON schema of a plan built from the domain types (Ollama `format`,
llama.cpp `response_format`), then validated exactly like a template plan. Any
failure — no JSON, a schema violation such as an unknown role, a cycle, a backend error —
keeps the template plan and records why in `planner_fallback_reason`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Protocol

from pydantic import BaseModel, Field, ValidationError

from workbench.config import Settings
from workbench.decompose.analyze import select_domains
from workbench.decompose.dag import validate_plan
from workbench.decompose.features import extract_features
from workbench.decompose.templates import code_domain
from workbench.domain import (
    ChatMessage, GenerationOptions, Method, PlanStep, Role, Strategy, Subtask, TaskDecomposition,
)
from workbench.execute.caller import ModelCaller
from workbench.execute.streaming import Generation, RunCancelled
from workbench.llm.base import BackendError

PlanCheck = Callable[[list[Subtask]], None]


class TemplatePlanner(Protocol):
    """What makes the template plan: the `HRMLocalWrapper` (or a fixed plan in tests)."""

    def decompose_task(self, query: str, context: dict[str, Any] | None = None) -> TaskDecomposition: ...


class Decomposer:
    """The one planning entry point of a run."""

    def __init__(self, settings: Settings, templates: TemplatePlanner) -> None:
        self.settings = settings
        self.templates = templates

    def plan(
        self,
        question: str,
        context: dict[str, Any] | None = None,
        *,
        llm: ModelCaller | None = None,
        on_template: Callable[[TaskDecomposition, bool], None] | None = None,
    ) -> TaskDecomposition:
        """The validated plan for `question`. `on_template(plan, refining)` sees the template
        plan as soon as it exists, before any model is called, and whether `llm` is now asked
        to refine it (`needs_planner`); a rejected refinement keeps the template, with the
        reason in `planner_fallback_reason`."""
        plan = self.templates.decompose_task(question, context)
        validate_plan(plan.subtasks)
        refining = llm is not None and needs_planner(plan, self.settings, llm.backend_for(Role.REASONING).name)
        if on_template is not None:
            on_template(plan, refining)
        return plan_with_llm(plan, llm, self.settings) if refining else plan


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


def one_subtask_plan(question: str, role: Role) -> TaskDecomposition:
    """The plan of a question asked without decomposition: answer it, on `role`'s model. Its
    domain still comes from the question, so a FAUST question gets FAUST documentation and
    FAUST's rules for writing a program."""
    domains = select_domains(extract_features(question, {}))
    return TaskDecomposition(
        query=question, complexity=1, domains=domains, primary_role=role, strategy=Strategy.DIRECT,
        confidence=1.0, method=Method.RULES, reasoning=["decomposition off: answered in one step"],
        subtasks=[Subtask(id="answer", title="Answer", description=question[:4000], task_type=code_domain(domains),
                          role=role, step=PlanStep.ANSWER)],
    )


def needs_planner(plan: TaskDecomposition, settings: Settings, backend_name: str) -> bool:
    """Hard questions (complexity ≥ the threshold) and uncertain analyses of a decomposed
    plan get the planner, where `execution.llm_planner` allows it on this backend."""
    execution = settings.execution
    mode = execution.llm_planner
    if plan.strategy == Strategy.DIRECT or mode == "off" or (mode == "auto" and backend_name == "embedded"):
        return False
    return (plan.complexity >= execution.planner_complexity_threshold
            or plan.confidence < execution.planner_confidence_threshold)


def plan_with_llm(
    template: TaskDecomposition,
    caller: ModelCaller,
    settings: Settings,
    check: PlanCheck = validate_plan,
) -> TaskDecomposition:
    """The model's plan (method "planner") when it is valid, else `template` with
    `planner_fallback_reason` saying what was wrong. Never raises for a bad answer; Stop
    (the caller's `cancel`) ends the planner's call at once and leaves the template plan."""
    try:
        subtasks = _ask(template, caller, settings)
        check(subtasks)
    except Exception as error:  # noqa: BLE001 - on any failure the template plan stands
        return template.model_copy(update={"planner_fallback_reason": _reason(error)})
    return template.model_copy(update={
        "subtasks": subtasks, "method": Method.PLANNER, "planner_fallback_reason": None,
        "reasoning": [*template.reasoning, f"plan written by the LLM planner ({len(subtasks)} subtasks)"],
    })


def _ask(template: TaskDecomposition, caller: ModelCaller, settings: Settings) -> list[Subtask]:
    model, _note = caller.model_for(Role.REASONING)
    draft = json.dumps({"subtasks": [s.model_dump(mode="json") for s in template.subtasks]})
    messages = [
        ChatMessage(role="system", content=PLANNER_SYSTEM_PROMPT),
        ChatMessage(role="user", content=(
            f"Request: {template.query}\n\nA template plan to improve on:\n{draft}\n\n"
            "Answer with the JSON object of the improved plan."
        )),
    ]
    limit = GenerationOptions(temperature=0.0, max_tokens=settings.execution.planner_max_tokens)
    generation = caller.stream(Role.REASONING, Generation(model=model), messages,
                               json_schema=PLAN_SCHEMA, options=limit)
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
