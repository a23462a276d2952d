"""A run's events as short progress lines, for MCP progress notifications and the
OpenAI stream's reasoning channel (the same words `hrm-reason ask` prints)."""

from __future__ import annotations

from workbench.domain import (
    CodeChecked, EventKind, PlanMade, Preparing, RunEvent, RunStarted, SubtaskBegun, SubtaskEnded,
)


def progress_line(event: RunEvent) -> str | None:
    """One line for an event worth telling a waiting client about; None for tokens and
    thinking, which travel on their own."""
    data, sid = event.data, event.subtask_id
    if isinstance(data, RunStarted):
        return f"run started on {data.backend}"
    if isinstance(data, PlanMade):
        steps = data.decomposition["subtasks"]
        refining = "; the planner is refining it" if data.refining else ""
        return f"plan: {len(steps)} subtasks in {len(data.phases)} phases ({event.text}){refining}"
    if event.kind == EventKind.SUBTASK_QUEUED and isinstance(data, SubtaskBegun):
        return f"[{sid}] queued: {event.text} — waiting for a free slot on {data.backend}"
    if event.kind == EventKind.SUBTASK_STARTED and isinstance(data, SubtaskBegun):
        return f"[{sid}] started: {event.text} ({data.role} → {data.model})"
    if isinstance(data, SubtaskEnded):
        result = data.result
        detail = f" — {result.error}" if result.error else ""
        return f"[{sid}] {result.status} in {(result.duration_ms or 0) / 1000:.1f} s{detail}"
    if isinstance(data, CodeChecked):
        return f"[{sid}] check {data.language}: {event.text}"
    if isinstance(data, Preparing):
        return f"{data.what}…"
    if event.kind == EventKind.SYNTHESIS_STARTED:
        return f"synthesis: {event.text}"
    if event.kind == EventKind.RUN_DONE:
        return "run done"
    if event.kind == EventKind.RUN_FAILED:
        return f"run failed: {event.text}"
    return None
