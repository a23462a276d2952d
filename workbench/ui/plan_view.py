"""The plan of a decomposed question: a table of subtasks and a small DAG drawing.

The table and the figure are built by plain functions (testable without a browser); the
phases come from the planner (`execution phases`: lists of subtask ids that may run at once).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

ROLE_COLORS = {"reasoning": "#7b61ff", "coder": "#1f9d55", "math": "#d97706"}


def phase_of(phases: list[list[str]]) -> dict[str, int]:
    """Subtask id -> 1-based phase number."""
    return {subtask_id: number for number, ids in enumerate(phases, start=1) for subtask_id in ids}


def plan_table(decomposition: dict[str, Any], phases: list[list[str]], models: dict[str, str]) -> pd.DataFrame:
    """One row per subtask: what it does, on which role and model, after what, in which phase.

    `models` maps a role to the model the run used (or will use) for it.
    """
    phase = phase_of(phases)
    rows = [
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
    return pd.DataFrame(rows, columns=["id", "title", "role", "model", "depends on", "phase"])


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
    # a static table: st.dataframe's grid loads ~1.6 MB of script in the browser the first time
    # one is drawn, which kept the first plan of a session off the page for seconds
    st.table(plan_table(decomposition, phases, models), hide_index=True)
    if len(decomposition.get("subtasks", [])) > 1:
        st.plotly_chart(plan_figure(decomposition, phases), key=f"{key}-dag")
