"""The plan table and DAG figure, built from a plan and its phases without a browser."""

from __future__ import annotations

from tests.ui.plans import guitar_plan
from workbench.decompose.dag import execution_phases
from workbench.ui.plan_view import plan_figure, plan_table


def test_table_has_role_model_dependencies_and_phase_per_subtask():
    plan = guitar_plan()
    phases = execution_phases(plan.subtasks)

    table = plan_table(plan.model_dump(mode="json"), phases, {"reasoning": "r1:70b", "coder": "coder:32b"})

    assert table.to_dict("records") == [
        {"id": "s1", "title": "Design the distortion", "role": "reasoning", "model": "r1:70b",
         "depends on": "—", "phase": 1},
        {"id": "s2", "title": "Sketch the GUI", "role": "coder", "model": "coder:32b", "depends on": "—", "phase": 1},
        {"id": "s3", "title": "Integrate", "role": "coder", "model": "coder:32b", "depends on": "s1, s2",
         "phase": 2},
    ]


def test_figure_places_subtasks_by_phase_and_draws_one_arrow_per_dependency():
    plan = guitar_plan()
    figure = plan_figure(plan.model_dump(mode="json"), execution_phases(plan.subtasks))

    points = {text: x for trace in figure.data for text, x in zip(trace.text, trace.x)}
    assert points == {"s1": 1, "s2": 1, "s3": 2}
    assert {trace.name for trace in figure.data} == {"reasoning", "coder"}
    arrows = {((a.ax, a.ay), (a.x, a.y)) for a in figure.layout.annotations}
    assert len(arrows) == 2 and all(end[0] == 2 for _, end in arrows)
