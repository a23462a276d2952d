"""The run timeline: a Gantt chart (plotly) of a run's spans, one row per span, seconds from
the run's start on the x axis, tokens/s on the bars where known.

It draws any list of `Span`s (`workbench/storage/timeline.py`), so new span kinds recorded
by the engine show up without changes here.
"""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from workbench.storage.timeline import Span

KIND_COLORS = {
    "run": "#b0b7c3", "plan": "#8e7cc3", "planner": "#8e7cc3", "retrieval": "#6fa8dc", "subtask": "#3c78d8",
    "validation": "#6aa84f", "repair": "#e69138", "synthesis": "#c27ba0",
}
FAILED_COLOR = "#cc4125"
ROW_PX = 28


def _label(span: Span) -> str:
    parts = [f"{span.seconds:.1f} s"]
    if span.tokens_per_s:
        parts.append(f"{span.tokens_per_s:g} tok/s")
    return " · ".join(parts)


def _color(span: Span) -> str:
    if span.status in ("failed", "error", "cancelled", "partial"):
        return FAILED_COLOR
    return KIND_COLORS.get(span.kind, "#999999")


def timeline_figure(spans: list[Span]) -> go.Figure:
    """Horizontal bars from each span's start to its end, the first span on top."""
    origin = min((s.start for s in spans), default=0.0)
    rows = [f"{s.name}" + (f" ({s.model})" if s.model else "") for s in spans]
    figure = go.Figure(go.Bar(
        orientation="h", y=rows, x=[max(s.seconds, 1e-3) for s in spans], base=[s.start - origin for s in spans],
        marker_color=[_color(s) for s in spans], text=[_label(s) for s in spans], textposition="auto",
        customdata=[[s.kind, s.status, s.start - origin, s.end - origin] for s in spans],
        hovertemplate="%{y}<br>%{customdata[0]} · %{customdata[1]}<br>%{customdata[2]:.2f} s → "
                      "%{customdata[3]:.2f} s<br>%{text}<extra></extra>",
    ))
    figure.update_layout(
        title="Timeline", xaxis_title="seconds from the start of the run", height=90 + ROW_PX * len(spans),
        yaxis=dict(autorange="reversed"), margin=dict(l=10, r=10, t=40, b=40), showlegend=False,
    )
    return figure


def render_timeline(spans: list[Span], *, key: str) -> None:
    """The chart, or nothing when no span has a length worth drawing."""
    if not any(s.seconds > 0 for s in spans):
        return
    st.plotly_chart(timeline_figure(spans), key=f"timeline-{key}")
