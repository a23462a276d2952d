"""Plan checks and execution phases: every plan, from templates, the HRM or the LLM
planner, passes `validate_plan` before anything runs it.

Phases come from `graphlib`'s topological sort: each phase holds the subtasks whose
dependencies are all in earlier phases, so a phase's subtasks can run at the same time.
"""

from __future__ import annotations

from collections.abc import Sequence
from graphlib import CycleError, TopologicalSorter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.domain import Subtask

MAX_SUBTASKS = 32


class PlanError(ValueError):
    """A plan that cannot be executed; the message says which subtask is wrong and how."""


def _graph(subtasks: Sequence[Subtask]) -> TopologicalSorter[str]:
    return TopologicalSorter({s.id: list(s.dependencies) for s in subtasks})


def validate_plan(subtasks: Sequence[Subtask], max_subtasks: int = MAX_SUBTASKS) -> None:
    """Raise PlanError unless ids are unique, dependencies exist, and the graph is acyclic."""
    if not subtasks:
        raise PlanError("The plan has no subtasks; a plan needs at least one.")
    if len(subtasks) > max_subtasks:
        raise PlanError(f"The plan has {len(subtasks)} subtasks; at most {max_subtasks} are allowed.")
    ids = [s.id for s in subtasks]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise PlanError(f"Subtask ids must be unique; repeated: {', '.join(duplicates)}.")
    known = set(ids)
    for s in subtasks:
        if s.id in s.dependencies:
            raise PlanError(f"Subtask {s.id!r} depends on itself.")
        missing = [d for d in s.dependencies if d not in known]
        if missing:
            raise PlanError(f"Subtask {s.id!r} depends on unknown subtask(s): {', '.join(missing)}.")
    try:
        _graph(subtasks).prepare()
    except CycleError as exc:
        raise PlanError(f"The plan's dependencies form a cycle: {' -> '.join(exc.args[1])}.") from None


def execution_phases(subtasks: Sequence[Subtask]) -> list[list[str]]:
    """Subtask ids in phases; within a phase, in plan order. Validates first."""
    validate_plan(subtasks)
    order = {s.id: n for n, s in enumerate(subtasks)}
    sorter = _graph(subtasks)
    sorter.prepare()
    phases: list[list[str]] = []
    while sorter.is_active():
        ready = sorted(sorter.get_ready(), key=order.__getitem__)
        phases.append(ready)
        sorter.done(*ready)
    return phases
