"""An advisor's answer in the seed's shape (Analysis, Recommendations, Implementation
steps, Confidence), built from a finished run. The confidence is measured, never set:
the plan's own confidence × the share of subtasks that succeeded × the share of checked
code blocks that passed validation × how much of the mode's plan actually ran."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, Field

from workbench.domain import PlanStep

_LIST_ITEM = re.compile(r"^\s*(?:\d+[.)]|[-*•])\s+(.+)$")
MAX_STEPS = 8


class PlanStepResult(BaseModel):
    id: str
    title: str
    step: str | None
    status: str
    model: str | None = None
    output: str = ""
    error: str | None = None


class Confidence(BaseModel):
    """The measured signals and their product."""

    plan: float  # the decomposition's confidence
    subtasks_succeeded: float  # complete / all
    validation_passed: float  # passed / checked code blocks (1.0 when nothing was checkable)
    mode_coverage: float  # the mode's expected steps present in the plan
    checked_blocks: int = 0

    @property
    def value(self) -> float:
        return round(self.plan * self.subtasks_succeeded * self.validation_passed * self.mode_coverage, 3)


class AdvisorReport(BaseModel):
    mode: str
    title: str
    question: str
    context_path: str | None = None
    context_summary: str = ""
    context_files: list[str] = Field(default_factory=list)
    analysis: list[PlanStepResult] = Field(default_factory=list)  # the plan's other steps
    recommendation_steps: list[PlanStepResult] = Field(default_factory=list)  # e.g. fix, recommendation
    recommendations: str = ""
    implementation_steps: list[str] = Field(default_factory=list)
    confidence: Confidence
    status: str
    error: str | None = None
    run_id: str | None = None
    backend: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == "complete"

    def to_markdown(self) -> str:
        out = [f"# {self.title}", "", f"**Question**: {self.question}"]
        if self.context_path:
            out += [f"**Context**: `{self.context_path}` ({len(self.context_files)} relevant files: "
                    + ", ".join(self.context_files) + ")"]
        out += ["", "## Analysis"]
        if self.context_summary:
            out += ["", "Measured in the context folder:", "", "```text", self.context_summary, "```"]
        for step in self.analysis:
            out += ["", f"### {step.title} ({step.status}, {step.model or 'no model'})",
                    step.output.strip() or f"_no output: {step.error or step.status}_"]
        out += ["", "## Recommendations", self.recommendations.strip() or "_the run produced no recommendation_",
                "", "## Implementation Steps"]
        out += [f"{i}. {s}" for i, s in enumerate(self.implementation_steps, start=1)] or ["_none_"]
        c = self.confidence
        out += ["", f"**Confidence Level**: {c.value:.0%} — plan {c.plan:.0%} × subtasks succeeded "
                f"{c.subtasks_succeeded:.0%} × validation passed {c.validation_passed:.0%} "
                f"({c.checked_blocks} code blocks checked) × plan coverage {c.mode_coverage:.0%}"]
        if self.error:
            out += ["", f"**Run status**: {self.status} — {self.error}"]
        return "\n".join(out) + "\n"

    def __str__(self) -> str:
        return self.to_markdown()


def list_items(text: str) -> list[str]:
    """Numbered or bulleted lines of a model's answer."""
    return [m[1].strip() for line in text.splitlines() if (m := _LIST_ITEM.match(line)) and len(m[1].strip()) > 3]


def sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", " ".join(text.split())) if len(s.strip()) > 3]


def validation_ratio(subtasks: list[Any]) -> tuple[float, int]:
    """Passed / checked code blocks over all subtasks; a repaired block counts as passed."""
    checked = passed = 0
    for subtask in subtasks:
        for attempt in subtask.attempts:
            if attempt.get("kind") == "validation" and attempt.get("ok") is not None:
                checked += 1
                passed += attempt["ok"] is True
            elif attempt.get("kind") == "repair" and attempt.get("ok") is True:
                passed += 1
    return (min(passed, checked) / checked if checked else 1.0), checked


def measure_confidence(decomposition: dict[str, Any] | None, subtasks: list[Any],
                       expected: tuple[PlanStep, ...]) -> Confidence:
    plan_confidence = float(decomposition.get("confidence", 0.0)) if decomposition else 0.0
    done = sum(1 for s in subtasks if s.status == "complete")
    steps = {s.get("step") for s in (decomposition or {}).get("subtasks", [])}
    coverage = sum(1 for step in expected if step.value in steps) / len(expected)
    ratio, checked = validation_ratio(subtasks)
    return Confidence(plan=plan_confidence, subtasks_succeeded=done / len(subtasks) if subtasks else 0.0,
                      validation_passed=ratio, mode_coverage=coverage, checked_blocks=checked)


def implementation_steps(recommendation_text: str) -> list[str]:
    """The recommendation's own list items, else its sentences."""
    return (list_items(recommendation_text) or sentences(recommendation_text))[:MAX_STEPS]
