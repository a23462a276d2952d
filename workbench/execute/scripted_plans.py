"""Given plans instead of the HRM's: the template planner of benchmarks and orchestration tests.

Like the scripted backend, it stands in for one part (here the analysis) so everything after
it — the run, the executor, storage, the pages — runs for real on a plan of known shape.
"""

from __future__ import annotations

from typing import Any

from workbench.domain import Method, Role, Strategy, Subtask, TaskDecomposition, TaskType


def make_plan(question: str, steps: list[tuple[str, Role, list[str]]], *, complexity: int = 6,
              confidence: float = 0.9) -> TaskDecomposition:
    """A plan of `(id, role, dependencies)` steps, as the template engine would build it."""
    return TaskDecomposition(
        query=question, complexity=complexity, domains=[TaskType.FAUST], primary_role=Role.CODER,
        strategy=Strategy.DIRECT if len(steps) == 1 else Strategy.HIERARCHICAL,
        confidence=confidence, method=Method.RULES,
        subtasks=[Subtask(id=sid, title=f"Step {sid}", description=f"Do step {sid} of: {question}",
                          task_type=TaskType.FAUST, role=role, dependencies=deps)
                  for sid, role, deps in steps],
    )


class FixedDecomposer:
    """Hands out one given plan for every question (a `TemplatePlanner`)."""

    def __init__(self, plan: TaskDecomposition) -> None:
        self.plan = plan

    def decompose_task(self, query: str, context: dict[str, Any] | None = None) -> TaskDecomposition:
        return self.plan.model_copy(update={"query": query})

    def get_status(self) -> dict[str, Any]:
        return {"available": True, "engine": "a fixed plan"}
