"""Case: a run export nested 100k deep raised a raw RecursionError; one with a cyclic or junk
plan imported, then broke the Run history page and the Markdown export. Now an export is
validated (depth, fields, the plan as a DAG) before anything is stored, in one line, and a
plan stored damaged anyway is reported in the Markdown, never raised."""

from __future__ import annotations

import json

import pytest

from workbench.execute.run_export import RunExport, RunImportError, from_json, to_markdown

LIMIT = 20_000_000


def _plan(*steps: tuple[str, list[str]]) -> dict:
    return {"query": "q", "complexity": 5, "domains": ["faust"], "primary_role": "coder", "strategy": "hierarchical",
            "confidence": 0.9, "method": "rules",
            "subtasks": [{"id": sid, "title": sid, "description": sid, "task_type": "faust", "role": "coder",
                          "dependencies": deps} for sid, deps in steps]}


def _export(decomposition: dict | None) -> dict:
    message = {"id": 1, "conversation_id": 1, "role": "user", "content": "q", "created_at": 0.0, "updated_at": 0.0}
    return {"format": "faust-juce-workbench/run", "version": 1, "project": "p", "conversation_title": "t",
            "question": message, "answer": {**message, "id": 2, "role": "assistant", "content": "a"},
            "run": {"id": "r", "conversation_id": 1, "message_id": 2, "question": "q", "decomposition": decomposition,
                    "created_at": 0.0, "updated_at": 0.0},
            "subtasks": []}


def test_a_valid_export_with_a_dag_plan_still_imports():
    export = from_json(json.dumps(_export(_plan(("a", []), ("b", ["a"])))), LIMIT)
    assert [s["id"] for s in export.run.decomposition["subtasks"]] == ["a", "b"]


@pytest.mark.parametrize(("text", "message"), [
    ("[" * 100_000 + "]" * 100_000, "nests more than 64 levels deep"),
    (json.dumps({**_export(None), "extra": json.loads("[" * 200 + "]" * 200)}), "nests more than 64 levels deep"),
    (json.dumps(_export(_plan(("a", ["b"]), ("b", ["a"])))), "plan is not a valid plan: The plan's dependencies form a cycle"),
    (json.dumps(_export(_plan(("a", ["ghost"])))), "plan is not a valid plan: Subtask 'a' depends on unknown subtask"),
    (json.dumps(_export({"subtasks": "junk"})), "plan is not a valid plan: "),
])
def test_a_hostile_export_is_refused_in_one_line(text, message):
    with pytest.raises(RunImportError, match=message) as refused:
        from_json(text, LIMIT)
    assert "\n" not in str(refused.value)


def test_a_stored_junk_plan_leaves_the_markdown_export_whole():
    export = RunExport.model_validate(_export({"subtasks": [{"id": "a"}], "junk": 1}))
    markdown = to_markdown(export)
    assert "## Plan\n\nThe stored plan cannot be read: " in markdown and "## Answer\n\na" in markdown
