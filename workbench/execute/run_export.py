"""A run as a file: JSON that imports back (validated) and Markdown to read or share.

The JSON format is the records themselves under a format tag and version, so an export
always carries everything the history pages show. Importing checks size, JSON syntax,
nesting depth, every field and that the plan is a DAG before the caller writes anything; a
plan stored damaged all the same is reported in the Markdown, never raised. The Markdown
goes through `safe_markdown`: a model's answer must not load images in whatever viewer
opens the file.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from workbench.decompose.dag import execution_phases
from workbench.domain import TaskDecomposition
from workbench.safe_markdown import safe_markdown
from workbench.storage import Storage
from workbench.storage.records import Message, Run, SubtaskRecord
from workbench.storage.timeline import run_spans, timeline_records

EXPORT_FORMAT = "faust-juce-workbench/run"
EXPORT_VERSION = 1
MAX_DEPTH = 64  # a real export nests about 8 deep; far deeper is an attack or a broken file


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
    # where the time went (the Timeline chart's spans, offsets from the run's start); derived
    # from the run and its subtasks, so an import recomputes it rather than trusting it
    timeline: list[dict[str, Any]] = Field(default_factory=list)


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
    except RecursionError as error:
        raise _too_deep() from error
    if _depth(data) > MAX_DEPTH:
        raise _too_deep()
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise RunImportError(f"The file is not a workbench run export (expected \"format\": \"{EXPORT_FORMAT}\")")
    try:
        export = RunExport.model_validate(data)
    except ValidationError as error:
        raise _damaged(error) from error
    if export.run.decomposition is not None:
        try:
            plan_of(export.run.decomposition)
        except ValueError as error:  # a ValidationError, or a PlanError naming the subtask
            raise RunImportError(f"The run's plan is not a valid plan: {_first_problem(error)} — export the run again") from error
    return export


def plan_of(decomposition: dict[str, Any]) -> TaskDecomposition:
    """The stored plan, checked as the executor would run it: fields, ids, dependencies that
    exist and form no cycle. ValueError (ValidationError or PlanError) when it is not one."""
    plan = TaskDecomposition.model_validate(decomposition)
    execution_phases(plan.subtasks)
    return plan


def _depth(data: object) -> int:
    """How deeply `data` nests lists and objects, counted without recursion."""
    deepest, pending = 0, [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, depth)
            pending += [(child, depth + 1) for child in (value.values() if isinstance(value, dict) else value)]
    return deepest


def _too_deep() -> RunImportError:
    return RunImportError(f"The file nests more than {MAX_DEPTH} levels deep, which no run export does — "
                          "choose a run exported by the workbench")


def _first_problem(error: ValueError) -> str:
    if isinstance(error, ValidationError):
        first = error.errors()[0]
        return f"{'.'.join(str(part) for part in first['loc'])}: {first['msg']}"
    return str(error).splitlines()[0]


def _damaged(error: ValidationError) -> RunImportError:
    return RunImportError(
        f"The run export is damaged: {_first_problem(error)} ({error.error_count()} problem(s) in all) "
        "— export the run again"
    )


def to_markdown(export: RunExport) -> str:
    """The question, the plan, each subtask with its model, status and output, the answer
    (with who wrote its overview)."""
    run = export.run
    lines = [f"# {export.conversation_title}", "",
             f"Project: {export.project} · run `{run.id}` · status: {run.status}"
             + (f" · {run.duration_ms / 1000:.1f} s" if run.duration_ms else ""), "",
             "## Question", "", safe_markdown(export.question.content.strip()), ""]
    if run.decomposition:
        lines += ["## Plan", "", *_plan_lines(run.decomposition), ""]
    for sub in export.subtasks:
        lines += [f"## {sub.subtask_id}: {sub.title}", "",
                  f"Model: {sub.model or '—'} on {sub.backend or '—'} · status: {sub.status}"
                  + (f" · {sub.duration_ms / 1000:.1f} s" if sub.duration_ms else ""), ""]
        if sub.error:
            lines += [f"> Error: {safe_markdown(sub.error)}", ""]
        if sub.output.strip():
            lines += [safe_markdown(sub.output.strip()), ""]
    lines += ["## Answer", ""]
    if run.overview:
        lines += [overview_line(run.overview), ""]
    lines += [safe_markdown(export.answer.content.strip()) or "_(no answer)_", ""]
    if export.answer.error:
        lines += [f"> Error: {safe_markdown(export.answer.error)}", ""]
    return "\n".join(lines)


def _plan_lines(decomposition: dict[str, Any]) -> list[str]:
    """The plan as Markdown lines, or one line saying why a damaged stored plan is left out."""
    try:
        plan = plan_of(decomposition)
    except ValueError as error:
        return [f"The stored plan cannot be read: {_first_problem(error)}"]
    lines = [f"Complexity {plan.complexity}/10 · strategy {plan.strategy.value} · method {plan.method.value}", ""]
    if plan.planner_fallback_reason:
        lines += [f"LLM planner not used: {plan.planner_fallback_reason}", ""]
    return lines + [f"- **{s.id}** {s.title} — {s.role.value}"
                    + (f" (after {', '.join(s.dependencies)})" if s.dependencies else "") for s in plan.subtasks]


def overview_line(overview: dict) -> str:
    """Who wrote the answer's overview and how long it took, or why it is missing."""
    line = f"Overview: {overview.get('model') or '—'} · {overview.get('status')}"
    if overview.get("duration_ms"):
        line += f" · {overview['duration_ms'] / 1000:.1f} s"
    return line + (f" — {overview['error']}" if overview.get("error") else "")


# ------------------------------------------------------------------ from and to the storage


def export_run(storage: Storage, run_id: str, fmt: Literal["json", "markdown"] = "json") -> str:
    """The stored run as JSON (importable) or Markdown; KeyError for an unknown run."""
    if fmt not in ("json", "markdown"):
        raise ValueError(f"Unknown export format {fmt!r} — use 'json' or 'markdown'")
    export = read_export(storage, run_id)
    return to_json(export) if fmt == "json" else to_markdown(export)


def read_export(storage: Storage, run_id: str) -> RunExport:
    run = storage.get_run(run_id)
    if run is None or run.message_id is None:
        raise KeyError(f"No run {run_id!r} with an answer — pick one from the history")
    conversation = storage.get_conversation(run.conversation_id)
    project = storage.get_project(conversation.project_id)
    messages = storage.list_messages(conversation.id)
    answer = next(m for m in messages if m.id == run.message_id)
    question = [m for m in messages if m.role == "user" and m.id < answer.id][-1]
    subtasks = storage.list_subtasks(run_id)
    return RunExport(project=project.name, conversation_title=conversation.title, question=question,
                     answer=answer, run=run, subtasks=subtasks,
                     timeline=timeline_records(run_spans(run, subtasks)))


def import_run(storage: Storage, text: str | bytes, max_bytes: int, project: str | None = None) -> str:
    """Store an exported run as a new conversation; returns the new run's id.

    `RunImportError` (a ValueError) for a corrupt or oversized file, with nothing written;
    a failure while writing removes what was written."""
    export = from_json(text, max_bytes)
    target = storage.ensure_project(project or export.project)
    conversation = storage.create_conversation(target.id, export.conversation_title)
    try:
        return _write_import(storage, conversation.id, export)
    except BaseException:
        storage.delete_conversation(conversation.id)
        raise


def _write_import(storage: Storage, conversation_id: int, export: RunExport) -> str:
    copied = ("thinking", "status", "error", "model", "backend", "prompt_tokens",
              "completion_tokens", "duration_ms")
    ids = []
    for message in (export.question, export.answer):
        added = storage.add_message(conversation_id, message.role, message.content)
        storage.update_message(added.id, **{f: getattr(message, f) for f in copied})
        ids.append(added.id)
    run = export.run
    new = storage.create_run(conversation_id, ids[1], run.question, run.decomposition)
    storage.update_run(new.id, status=run.status, answer=run.answer, error=run.error,
                       duration_ms=run.duration_ms, events_summary=run.events_summary,
                       overview=run.overview, steps=run.steps)
    for sub in export.subtasks:
        fields = sub.model_dump(exclude={"run_id", "subtask_id"})
        storage.upsert_subtask(new.id, sub.subtask_id, **fields)
    return new.id
