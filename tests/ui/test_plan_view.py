"""The plan table and DAG figure, built from a plan and its phases without a browser."""

from __future__ import annotations

from tests.ui.plans import guitar_plan, plan_column
from workbench.decompose.dag import execution_phases
from workbench.ui.plan_view import PLAN_COLUMNS, plan_figure, plan_markdown, plan_rows


def test_rows_have_role_model_dependencies_and_phase_per_subtask():
    plan = guitar_plan()
    phases = execution_phases(plan.subtasks)

    rows = plan_rows(plan.model_dump(mode="json"), phases, {"reasoning": "r1:70b", "coder": "coder:32b"})

    assert rows == [
        {"id": "s1", "title": "Design the distortion", "role": "reasoning", "model": "r1:70b",
         "depends on": "—", "phase": 1},
        {"id": "s2", "title": "Sketch the GUI", "role": "coder", "model": "coder:32b", "depends on": "—", "phase": 1},
        {"id": "s3", "title": "Integrate", "role": "coder", "model": "coder:32b", "depends on": "s1, s2",
         "phase": 2},
    ]


def test_the_markdown_table_keeps_what_a_model_wrote_in_a_title_as_one_cell_of_literal_text():
    title = "Mix | wet *and* dry :red[fast] $x$ <b>\nthen `ship` [it](http://x)"
    row = {"id": "s1", "title": title, "role": "coder", "model": "qwen2.5:7b", "depends on": "—", "phase": None}

    table = plan_markdown([row])

    header, rule, line = table.splitlines()
    assert header == "| " + " | ".join(PLAN_COLUMNS) + " |" and rule.count("---") == len(PLAN_COLUMNS)
    assert plan_column([table], "title") == [" ".join(title.split())]
    assert plan_column([table], "model") == ["qwen2.5:7b"] and plan_column([table], "phase") == [""]
    # CommonMark reads a backslash before any ASCII punctuation as that character, literally
    unescaped = [c for i, c in enumerate(line) if not c.isalnum() and not c.isspace() and c not in "\\—"
                 and line[i - 1] != "\\"]
    assert set(unescaped) == {"|"} and line.count("|") - line.count("\\|") == len(PLAN_COLUMNS) + 1


def test_figure_places_subtasks_by_phase_and_draws_one_arrow_per_dependency():
    plan = guitar_plan()
    figure = plan_figure(plan.model_dump(mode="json"), execution_phases(plan.subtasks))

    points = {text: x for trace in figure.data for text, x in zip(trace.text, trace.x)}
    assert points == {"s1": 1, "s2": 1, "s3": 2}
    assert {trace.name for trace in figure.data} == {"reasoning", "coder"}
    arrows = {((a.ax, a.ay), (a.x, a.y)) for a in figure.layout.annotations}
    assert len(arrows) == 2 and all(end[0] == 2 for _, end in arrows)
