"""Where the time of a run went, as spans built from what storage records.

A span is a plain record (name, kind, subtask id, start, end, tokens/s), so the Gantt chart
(`workbench/ui/timeline.py`) and the run export draw any list of them. They come from the
stored rows: the run, each subtask's `started_at`/`finished_at`, the overview's duration, and
the steps the engine timed itself (`Run.steps`: the analysis, the LLM planner, and each
subtask's retrieval, validation and repair rounds), each step listed under its subtask. Two
spans are inferred, and named so: the overview, placed at the run's end, and, for a run stored
before steps were timed, the time before the first subtask started (analysis and plan).
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import Any

from workbench.storage.records import Run, SubtaskRecord


@dataclass(frozen=True)
class Span:
    name: str
    kind: str  # run | plan | subtask | synthesis | planner | retrieval | validation | repair
    start: float  # UNIX seconds
    end: float
    subtask_id: str | None = None
    tokens_per_s: float | None = None
    status: str = "complete"
    model: str | None = None

    @property
    def seconds(self) -> float:
        return max(0.0, self.end - self.start)


def _generation_seconds(subtask: SubtaskRecord) -> float | None:
    """How long the successful model call took (the subtask's time also holds retrieval,
    waiting and validation, which would understate the model's speed)."""
    for attempt in subtask.attempts:
        if isinstance(attempt, dict) and attempt.get("kind") == "generation" and attempt.get("ok"):
            duration = attempt.get("duration_ms")
            if isinstance(duration, (int, float)) and duration > 0:
                return duration / 1000
    return subtask.duration_ms / 1000 if subtask.duration_ms else None


def tokens_per_second(tokens: int | None, seconds: float | None) -> float | None:
    return round(tokens / seconds, 1) if tokens and seconds else None


def _subtask_span(subtask: SubtaskRecord, now: float) -> Span | None:
    if subtask.started_at is None:
        return None  # queued, skipped or failed before it ever ran
    end = subtask.finished_at or (subtask.started_at + subtask.duration_ms / 1000 if subtask.duration_ms else now)
    return Span(
        name=f"{subtask.subtask_id} · {subtask.title}" if subtask.title else subtask.subtask_id,
        kind="subtask", start=subtask.started_at, end=max(end, subtask.started_at), subtask_id=subtask.subtask_id,
        tokens_per_s=tokens_per_second(subtask.completion_tokens, _generation_seconds(subtask)),
        status=subtask.status, model=subtask.model,
    )


def _run_end(run: Run, spans: list[Span], now: float) -> float:
    if run.finished_at:
        return run.finished_at
    if run.duration_ms:
        return run.created_at + run.duration_ms / 1000
    return max([now if run.status == "running" else run.created_at, *(s.end for s in spans)])


def _overview_span(run: Run, end: float) -> Span | None:
    overview = run.overview or {}
    duration_ms = overview.get("duration_ms")
    if not isinstance(duration_ms, (int, float)) or duration_ms <= 0:
        return None
    tokens = overview.get("completion_tokens")
    model = overview.get("model")
    return Span(name="overview (placed at the run's end)", kind="synthesis", start=end - duration_ms / 1000, end=end,
                tokens_per_s=tokens_per_second(tokens if isinstance(tokens, int) else None, duration_ms / 1000),
                status=str(overview.get("status", "complete")), model=model if isinstance(model, str) else None)


def _step_spans(run: Run) -> list[Span]:
    """The stored steps as spans; a damaged record (an edited import) is left out, not raised."""
    spans = []
    for step in run.steps:
        if not isinstance(step, dict):
            continue
        try:
            start, end = float(step["start"]), float(step["end"])
            spans.append(Span(name=str(step["name"]), kind=str(step["kind"]), start=start, end=max(start, end),
                              subtask_id=step.get("subtask_id"), status=str(step.get("status", "complete"))))
        except (KeyError, TypeError, ValueError):
            continue
    return sorted(spans, key=lambda s: s.start)


def _with_their_steps(work: list[Span], steps: list[Span]) -> list[Span]:
    """Each subtask followed by its own steps; steps of a subtask that never started last."""
    ordered = []
    for span in work:
        ordered += [span, *(s for s in steps if s.subtask_id == span.subtask_id)]
    started = {s.subtask_id for s in work}
    return ordered + [s for s in steps if s.subtask_id not in started]


def run_spans(run: Run, subtasks: list[SubtaskRecord], now: float | None = None) -> list[Span]:
    """The spans of a stored run: the whole run first, the planning steps, then the subtasks in
    order of start, each with its steps."""
    now = time.time() if now is None else now
    work = sorted((s for s in map(lambda t: _subtask_span(t, now), subtasks) if s), key=lambda s: s.start)
    steps = _step_spans(run)
    planning = [s for s in steps if s.subtask_id is None]
    end = _run_end(run, work + steps, now)
    spans = [Span(name="whole run", kind="run", start=run.created_at, end=max(end, run.created_at), status=run.status)]
    if planning:
        spans += planning
    elif work and work[0].start > run.created_at:
        spans.append(Span(name="before the first subtask (analysis, plan)", kind="plan",
                          start=run.created_at, end=work[0].start))
    spans += _with_their_steps(work, [s for s in steps if s.subtask_id is not None])
    if overview := _overview_span(run, end):
        spans.append(overview)
    return spans


def timeline_records(spans: list[Span]) -> list[dict[str, Any]]:
    """The spans as JSON-able dicts for the run export, with offsets from the first span."""
    origin = min((s.start for s in spans), default=0.0)
    return [{**asdict(s), "offset_s": round(s.start - origin, 3), "seconds": round(s.seconds, 3)} for s in spans]
