"""A run exported to JSON imports back whole; Markdown reads well; bad files lose nothing."""

from __future__ import annotations

import json

import pytest

from tests.execute.conftest import DIAMOND, make_plan
from tests.fakes import FakeBackend
from workbench.execute.run_export import RunImportError


@pytest.fixture
def finished(make_glm):
    glm = make_glm(FakeBackend("```faust\nprocess = _;\n```", thinking="hmm"), make_plan("Build it", DIAMOND))
    return glm, glm.chat_with_model_enhanced("Build it", project="alpha")


def test_json_export_imports_back_into_another_project(finished):
    glm, result = finished
    text = glm.export_run(result.run_id, "json")
    new_id = glm.import_run(text, project="beta")
    assert new_id != result.run_id
    old, new = glm.get_run(result.run_id), glm.get_run(new_id)
    same = ("question", "answer", "status", "decomposition", "error", "events_summary")
    assert {f: getattr(new, f) for f in same} == {f: getattr(old, f) for f in same}
    strip = lambda subs: [s.model_dump(exclude={"run_id"}) for s in subs]  # noqa: E731
    assert strip(glm.list_subtasks(new_id)) == strip(glm.list_subtasks(result.run_id))
    question, answer = glm.get_messages(new.conversation_id)
    assert question.content == "Build it" and answer.content == result.answer and answer.run_id == new_id
    assert {p.name: p.messages for p in glm.list_projects()} == {"alpha": 2, "beta": 2}
    assert json.loads(glm.export_run(new_id))["project"] == "beta"


def test_markdown_export_has_the_question_plan_subtasks_and_answer(finished):
    glm, result = finished
    md = glm.export_run(result.run_id, "markdown")
    assert md.startswith("# Build it")
    for part in ("## Question", "## Plan", "- **s4** Step s4 — coder (after s2, s3)",
                 "## s2: Step s2", "Model: scripted-model on scripted", "## Answer", "```faust\nprocess = _;\n```"):
        assert part in md


@pytest.mark.parametrize(("mangle", "message"), [
    (lambda t: t[: len(t) // 2], "not valid JSON"),
    (lambda t: json.dumps({"hello": 1}), "not a workbench run export"),
    (lambda t: t.replace('"status": "complete"', '"status": "finished"', 1), "damaged"),
])
def test_a_corrupt_file_is_refused_with_nothing_written(finished, mangle, message):
    glm, result = finished
    before = glm.list_projects()
    with pytest.raises(RunImportError, match=message):
        glm.import_run(mangle(glm.export_run(result.run_id)), project="gamma")
    assert glm.list_projects() == before


def test_an_oversized_file_is_refused_naming_the_limit(finished, settings):
    glm, result = finished
    settings.limits.max_import_bytes = 100
    with pytest.raises(RunImportError, match="limit of 100 bytes"):
        glm.import_run(glm.export_run(result.run_id))


def test_an_unknown_run_or_format_is_a_clear_error(finished):
    glm, result = finished
    with pytest.raises(KeyError, match="No run"):
        glm.export_run("nope")
    with pytest.raises(ValueError, match="json"):
        glm.export_run(result.run_id, "pdf")


def test_json_export_carries_the_timeline_of_the_run(finished):
    glm, result = finished
    exported = json.loads(glm.export_run(result.run_id))
    spans = {span["name"]: span for span in exported["timeline"]}
    assert spans["whole run"]["kind"] == "run" and spans["whole run"]["offset_s"] == 0
    subtask_spans = [s for s in exported["timeline"] if s["kind"] == "subtask"]
    assert sorted(s["subtask_id"] for s in subtask_spans) == ["s1", "s2", "s3", "s4"]
    # s4 needs s2 and s3: it cannot start before both ended
    by_id = {s["subtask_id"]: s for s in subtask_spans}
    assert by_id["s4"]["offset_s"] >= max(by_id["s2"]["offset_s"] + by_id["s2"]["seconds"],
                                          by_id["s3"]["offset_s"] + by_id["s3"]["seconds"]) - 0.01


def test_each_generation_records_its_first_token_latency(finished):
    glm, result = finished
    for subtask in glm.list_subtasks(result.run_id):
        [generation] = [a for a in subtask.attempts if a["kind"] == "generation"]
        assert 0 < generation["first_token_ms"] <= generation["duration_ms"]
