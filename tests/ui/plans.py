"""A hand-written three-subtask plan, a decomposer that always returns it, and the plan table read back."""

from __future__ import annotations

import re

from workbench.domain import Method, Role, Strategy, Subtask, TaskDecomposition, TaskType


def guitar_plan(query: str = "Build a guitar effect") -> TaskDecomposition:
    """Two independent branches (DSP design, GUI notes) joined by an integration step."""
    return TaskDecomposition(
        query=query, complexity=6, domains=[TaskType.FAUST_JUCE], primary_role=Role.CODER,
        strategy=Strategy.HIERARCHICAL, confidence=0.9, method=Method.RULES,
        subtasks=[
            Subtask(id="s1", title="Design the distortion", description="Design it", task_type=TaskType.FAUST,
                    role=Role.REASONING),
            Subtask(id="s2", title="Sketch the GUI", description="Sketch it", task_type=TaskType.JUCE,
                    role=Role.CODER),
            Subtask(id="s3", title="Integrate", description="Join them", task_type=TaskType.FAUST_JUCE,
                    role=Role.CODER, dependencies=["s1", "s2"]),
        ],
    )


class FixedPlanner:
    """Stands in for `HRMLocalWrapper`: every question gets `guitar_plan`."""

    def decompose_task(self, query: str, context: dict | None = None) -> TaskDecomposition:
        return guitar_plan(query)


def plan_column(markdowns: list[str], column: str) -> list[str]:
    """One column of the plan table drawn among `markdowns` (the page's Markdown values), read
    back as text: cells split on the unescaped `|`, backslash escapes undone."""
    (table,) = [text for text in markdowns if text.startswith("| id |")]
    header, _rule, *rows = ([re.sub(r"\\(.)", r"\1", cell).strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1]]
                            for line in table.splitlines())
    return [row[header.index(column)] for row in rows]
