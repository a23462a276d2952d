"""A run as a file: JSON that imports back (validated) and Markdown to read or share.

The JSON format is the records themselves under a format tag and version, so an export
always carries everything the history pages show. Importing checks size, JSON syntax and
every field before the caller writes anything.
"""

from __future__ import annotations

import json
from typing import Literal

from pydantic import BaseModel, ValidationError

from workbench.domain import TaskDecomposition
from workbench.storage.records import Message, Run, SubtaskRecord

EXPORT_FORMAT = "faust-juce-workbench/run"
EXPORT_VERSION = 1


class RunExport(BaseModel):
    """Everything about one run: the question and answer messages, the run, its subtasks."""

    format: Literal["faust-juce-workbench/run"] = EXPORT_FORMAT
    version: Literal[1] = EXPORT_VERSION
    project: str
    conversation_title: str
    question: Message
    answer: Message
    run: Run
    subtasks: list[SubtaskRecord]


class RunImportError(ValueError):
    """The file cannot be imported as a run; the message says why and what to do."""


def to_json(export: RunExport) -> str:
    return export.model_dump_json(indent=2)


def from_json(text: str | bytes, max_bytes: int) -> RunExport:
    """The parsed export; `RunImportError` naming the problem when the text is too large,
    not JSON, or not a run export of this version."""
    size = len(text.encode() if isinstance(text, str) else text)
    if size > max_bytes:
        raise RunImportError(
            f"The file is {size:,} bytes, over the import limit of {max_bytes:,} bytes "
            "(limits.max_import_bytes) — export a single run, or raise the limit"
        )
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise RunImportError(f"The file is not valid JSON ({error}) — choose a run exported as JSON") from error
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise RunImportError(f"The file is not a workbench run export (expected \"format\": \"{EXPORT_FORMAT}\")")
    try:
        return RunExport.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise RunImportError(
            f"The run export is damaged: {where}: {first['msg']} ({error.error_count()} problem(s) in all) "
            "— export the run again"
        ) from error


def to_markdown(export: RunExport) -> str:
    """The question, the plan, each subtask with its model, status and output, the answer
    (with who wrote its overview)."""
    run = export.run
    lines = [f"# {export.conversation_title}", "",
             f"Project: {export.project} · run `{run.id}` · status: {run.status}"
             + (f" · {run.duration_ms / 1000:.1f} s" if run.duration_ms else ""), "",
             "## Question", "", export.question.content.strip(), ""]
    if run.decomposition:
        plan = TaskDecomposition.model_validate(run.decomposition)
        lines += ["## Plan", "", f"Complexity {plan.complexity}/10 · strategy {plan.strategy.value} · "
                  f"method {plan.method.value}", ""]
        if plan.planner_fallback_reason:
            lines += [f"LLM planner not used: {plan.planner_fallback_reason}", ""]
        lines += [f"- **{s.id}** {s.title} — {s.role.value}"
                  + (f" (after {', '.join(s.dependencies)})" if s.dependencies else "") for s in plan.subtasks]
        lines.append("")
    for sub in export.subtasks:
        lines += [f"## {sub.subtask_id}: {sub.title}", "",
                  f"Model: {sub.model or '—'} on {sub.backend or '—'} · status: {sub.status}"
                  + (f" · {sub.duration_ms / 1000:.1f} s" if sub.duration_ms else ""), ""]
        if sub.error:
            lines += [f"> Error: {sub.error}", ""]
        if sub.output.strip():
            lines += [sub.output.strip(), ""]
    lines += ["## Answer", ""]
    if run.overview:
        lines += [overview_line(run.overview), ""]
    lines += [export.answer.content.strip() or "_(no answer)_", ""]
    if export.answer.error:
        lines += [f"> Error: {export.answer.error}", ""]
    return "\n".join(lines)


def overview_line(overview: dict) -> str:
    """Who wrote the answer's overview and how long it took, or why it is missing."""
    line = f"Overview: {overview.get('model') or '—'} · {overview.get('status')}"
    if overview.get("duration_ms"):
        line += f" · {overview['duration_ms'] / 1000:.1f} s"
    return line + (f" — {overview['error']}" if overview.get("error") else "")
