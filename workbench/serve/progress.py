"""A run's events as short progress lines, for MCP progress notifications and the
OpenAI stream's reasoning channel (the same words `hrm-reason ask` prints)."""

from __future__ import annotations

from workbench.domain import EventKind, RunEvent

_FINISHED = (EventKind.SUBTASK_DONE, EventKind.SUBTASK_FAILED, EventKind.SUBTASK_SKIPPED)


def progress_line(event: RunEvent) -> str | None:
    """One line for an event worth telling a waiting client about; None for tokens and
    thinking, which travel on their own."""
    data, sid = event.data, event.subtask_id
    if event.kind == EventKind.RUN_STARTED:
        return f"run started on {data.get('backend')}"
    if event.kind == EventKind.PLAN:
        steps = data["decomposition"]["subtasks"]
        return f"plan: {len(steps)} subtasks in {len(data['phases'])} phases ({event.text})"
    if event.kind == EventKind.SUBTASK_QUEUED:
        return f"[{sid}] queued: {event.text} — waiting for a free slot on {data.get('backend')}"
    if event.kind == EventKind.SUBTASK_STARTED:
        return f"[{sid}] started: {event.text} ({data.get('role')} → {data.get('model')})"
    if event.kind in _FINISHED:
        result = data["result"]
        detail = f" — {result['error']}" if result.get("error") else ""
        return f"[{sid}] {result['status']} in {result['duration_ms'] / 1000:.1f} s{detail}"
    if event.kind == EventKind.VALIDATION:
        return f"[{sid}] check {data.get('language')}: {event.text}"
    if event.kind == EventKind.SYNTHESIS_STARTED:
        return f"synthesis: {event.text}"
    if event.kind == EventKind.RUN_DONE:
        return "run done"
    if event.kind == EventKind.RUN_FAILED:
        return f"run failed: {event.text}"
    return None
