"""The plan of a decomposed question: a table of subtasks and a small DAG drawing.

The table and the figure are built by plain functions (testable without a browser); the
phases come from the planner (`execution phases`: lists of subtask ids that may run at once).
The table is Markdown: the browser draws it with the Markdown renderer every page has already
loaded, where `st.table` and `st.dataframe` load their own scripts (1 MB and more) the first
time one is drawn, which kept a session's first plan off the page for a second or more.
"""

from __future__ import annotations

import re
from typing import Any

import plotly.graph_objects as go
import streamlit as st

ROLE_COLORS = {"reasoning": "#7b61ff", "coder": "#1f9d55", "math": "#d97706"}
PLAN_COLUMNS = ("id", "title", "role", "model", "depends on", "phase")
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation mark: Markdown reads none in a cell


def phase_of(phases: list[list[str]]) -> dict[str, int]:
    """Subtask id -> 1-based phase number."""
    return {subtask_id: number for number, ids in enumerate(phases, start=1) for subtask_id in ids}


def plan_rows(decomposition: dict[str, Any], phases: list[list[str]], models: dict[str, str]) -> list[dict[str, Any]]:
    """One row per subtask: what it does, on which role and model, after what, in which phase.

    `models` maps a role to the model the run used (or will use) for it.
    """
    phase = phase_of(phases)
    return [
        {
            "id": s["id"],
            "title": s["title"],
            "role": s["role"],
            "model": models.get(s["role"], s.get("model_preference") or ""),
            "depends on": ", ".join(s.get("dependencies") or []) or "—",
            "phase": phase.get(s["id"]),
        }
        for s in decomposition.get("subtasks", [])
    ]


def plan_markdown(rows: list[dict[str, Any]]) -> str:
    """The rows as a Markdown table whose cells are literal text: a title a model wrote with a
    `|`, a `*` or a `:red[...]` in it stays one cell of plain words."""
    def line(cells: list[str]) -> str:
        return "| " + " | ".join(cells) + " |"

    return "\n".join([
        line(list(PLAN_COLUMNS)), line(["---"] * len(PLAN_COLUMNS)),
        *(line([_cell(row[column]) for column in PLAN_COLUMNS]) for row in rows),
    ])


def _cell(value: Any) -> str:
    return _PUNCTUATION.sub(r"\\\1", " ".join(str("" if value is None else value).split()))


def plan_figure(decomposition: dict[str, Any], phases: list[list[str]]) -> go.Figure:
    """Subtasks as dots placed by phase (x) and slot (y), arrows from each dependency."""
    subtasks = {s["id"]: s for s in decomposition.get("subtasks", [])}
    position = {
        subtask_id: (column, -row)
        for column, ids in enumerate(phases, start=1)
        for row, subtask_id in enumerate(ids)
        if subtask_id in subtasks
    }
    figure = go.Figure()
    for subtask_id, subtask in subtasks.items():
        for dependency in subtask.get("dependencies") or []:
            if dependency in position and subtask_id in position:
                (x0, y0), (x1, y1) = position[dependency], position[subtask_id]
                figure.add_annotation(x=x1, y=y1, ax=x0, ay=y0, xref="x", yref="y", axref="x", ayref="y",
                                      showarrow=True, arrowhead=2, arrowsize=1.2, standoff=14, startstandoff=14,
                                      arrowcolor="#888")
    for role, color in ROLE_COLORS.items():
        ids = [i for i in position if subtasks[i]["role"] == role]
        if not ids:
            continue
        figure.add_trace(go.Scatter(
            x=[position[i][0] for i in ids], y=[position[i][1] for i in ids], mode="markers+text",
            marker=dict(size=22, color=color), text=ids, textposition="top center", name=role,
            hovertext=[subtasks[i]["title"] for i in ids], hoverinfo="text",
        ))
    depth = max((len(ids) for ids in phases), default=1)
    figure.update_layout(
        height=140 + 60 * depth, margin=dict(l=10, r=10, t=30, b=30), showlegend=True,
        xaxis=dict(title="phase", dtick=1, range=[0.5, len(phases) + 0.5]),
        yaxis=dict(visible=False, range=[-depth + 0.5, 0.7]),
        legend=dict(orientation="h", y=-0.25),
    )
    return figure


def render_plan(decomposition: dict[str, Any], phases: list[list[str]], models: dict[str, str], *, key: str) -> None:
    """The plan as a table and, when it has more than one subtask, as a DAG."""
    analysis = f"complexity {decomposition.get('complexity')} · {decomposition.get('strategy')} · " \
               f"by {decomposition.get('method')}"
    st.caption(analysis)
    if reason := decomposition.get("planner_fallback_reason"):
        st.caption(f"LLM planner not used: {reason}")
    st.markdown(plan_markdown(plan_rows(decomposition, phases, models)))
    if len(decomposition.get("subtasks", [])) > 1:
        st.plotly_chart(plan_figure(decomposition, phases), key=f"{key}-dag")
