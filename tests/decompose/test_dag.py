"""Plan checks and phases, on hand-made plans (the shapes the LLM planner can produce)."""

from __future__ import annotations

import pytest

from workbench.decompose.dag import PlanError, execution_phases, validate_plan
from workbench.domain import Role, Subtask, TaskType


def node(sid: str, *deps: str) -> Subtask:
    return Subtask(id=sid, title=sid, description=f"do {sid}", task_type=TaskType.FAUST, role=Role.CODER,
                   dependencies=list(deps))


def test_phases_group_independent_subtasks_in_plan_order() -> None:
    plan = [node("design"), node("osc", "design"), node("filter", "design"), node("gui", "design"),
            node("integrate", "osc", "filter", "gui"), node("docs")]
    assert execution_phases(plan) == [["design", "docs"], ["osc", "filter", "gui"], ["integrate"]]


@pytest.mark.parametrize(("plan", "message"), [
    ([], "no subtasks"),
    ([node("a"), node("a")], "repeated: a"),
    ([node("a", "ghost")], "unknown subtask\\(s\\): ghost"),
    ([node("a", "a")], "depends on itself"),
    ([node("a", "c"), node("b", "a"), node("c", "b")], "cycle"),
    ([node(f"s{i}") for i in range(33)], "at most 32"),
])
def test_invalid_plans_are_refused_with_the_reason(plan: list[Subtask], message: str) -> None:
    with pytest.raises(PlanError, match=message):
        validate_plan(plan)
    with pytest.raises(PlanError):
        execution_phases(plan)
