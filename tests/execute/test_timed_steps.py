"""The steps the engine times itself (analysis, LLM planner, retrieval, validation, each repair
round) are stored with the run and drawn on its timeline and in its JSON export: a scripted
model, the real FAUST compiler, real storage."""

from __future__ import annotations

import json

from tests.execute.conftest import make_plan
from tests.execute.test_one_pipeline import BROKEN, FIXED, OnePassage
from tests.fakes import FakeBackend
from workbench.domain import EventKind, Method, Role
from workbench.execute.hooks import CodeValidator
from workbench.execute.planner import PLANNER_SYSTEM_PROMPT
from workbench.storage.timeline import run_spans

TWO_STEPS = [("s1", Role.CODER, []), ("s2", Role.CODER, ["s1"])]


def _coder(model, messages) -> str:
    """Broken FAUST first, the fixed program when given its errors back."""
    return FIXED if "failed when checked" in messages[-1].content else BROKEN


def _planner_echoing_the_template(model, messages) -> str:
    """The LLM planner answers the template plan it was shown (a valid plan); others code."""
    if messages[0].content == PLANNER_SYSTEM_PROMPT:
        return messages[-1].content.split("A template plan to improve on:\n", 1)[1].split("\n\nAnswer", 1)[0]
    return _coder(model, messages)


def test_every_step_of_a_decomposed_run_is_timed_stored_and_on_its_timeline(make_glm, settings):
    settings.validation.render_seconds = 0.0
    glm = make_glm(FakeBackend(_coder, token_delay_s=0.002), make_plan("Write two FAUST sines", TWO_STEPS),
                   retriever=OnePassage(), validator=CodeValidator(settings))
    events = []
    result = glm.chat_with_model_enhanced("Write two FAUST sines", on_event=events.append)
    assert result.status == "complete", result.error

    steps = glm.get_run(result.run_id).steps
    assert [(s["kind"], s["subtask_id"], s["status"]) for s in steps] == [
        ("plan", None, "complete"),
        ("retrieval", "s1", "complete"), ("validation", "s1", "failed"), ("repair", "s1", "complete"),
        ("retrieval", "s2", "complete"), ("validation", "s2", "failed"), ("repair", "s2", "complete")]
    assert all(s["start"] <= s["end"] for s in steps)
    assert len([e for e in events if e.kind == EventKind.STEP_TIMED]) == len(steps)
    stored = {s.subtask_id: s for s in glm.list_subtasks(result.run_id)}
    for step in steps[1:]:  # retrieval precedes the model call; validation and repair follow it
        subtask = stored[step["subtask_id"]]
        if step["kind"] == "retrieval":
            assert step["end"] <= subtask.started_at
        else:
            assert subtask.started_at <= step["start"] <= step["end"] <= subtask.finished_at

    spans = run_spans(glm.get_run(result.run_id), glm.list_subtasks(result.run_id))
    assert [s.name for s in spans] == [
        "whole run", "analysis and template plan",
        "s1 · Step s1", "s1 · retrieval", "s1 · validation", "s1 · repair round 1 (faust)",
        "s2 · Step s2", "s2 · retrieval", "s2 · validation", "s2 · repair round 1 (faust)",
        "overview (placed at the run's end)"]
    exported = json.loads(glm.export_run(result.run_id))
    assert [s["name"] for s in exported["timeline"]] == [s.name for s in spans]
    repair = next(s for s in exported["timeline"] if s["kind"] == "repair")
    assert repair["seconds"] > 0 and repair["status"] == "complete"

    imported = glm.import_run(glm.export_run(result.run_id), project="copy")
    assert glm.get_run(imported).steps == steps


def test_the_llm_planner_is_timed_after_the_analysis_and_a_rejected_plan_is_a_failed_step(make_glm, settings):
    settings.execution.llm_planner = "on"
    hard = make_plan("Design a FAUST synth", TWO_STEPS, complexity=9)
    glm = make_glm(FakeBackend(_planner_echoing_the_template), hard)
    result = glm.chat_with_model_enhanced("Design a FAUST synth")
    assert result.status == "complete" and result.decomposition["method"] == Method.PLANNER.value
    analysis, planner = glm.get_run(result.run_id).steps
    assert (analysis["kind"], planner["kind"], planner["status"]) == ("plan", "planner", "complete")
    assert analysis["end"] <= planner["start"] <= planner["end"]
    first_subtask = min(s.started_at for s in glm.list_subtasks(result.run_id))
    assert planner["end"] <= first_subtask

    no_json = make_glm(FakeBackend("not a plan"), hard)
    refused = no_json.chat_with_model_enhanced("Design a FAUST synth")
    planner = [s for s in no_json.get_run(refused.run_id).steps if s["kind"] == "planner"]
    assert [s["status"] for s in planner] == ["failed"]
    assert refused.decomposition["planner_fallback_reason"]


def test_a_broken_index_is_a_failed_retrieval_step_and_the_subtask_still_answers(make_glm):
    class BrokenIndex:
        def context_for(self, subtask, budget_tokens=None, *, examples=True):
            raise OSError("the index file is unreadable")

    glm = make_glm(FakeBackend("ok"), retriever=BrokenIndex())
    result = glm.chat_with_model_enhanced("What is FAUST?", use_hrm_decomposition=False)
    assert result.status == "complete"
    [step] = glm.get_run(result.run_id).steps
    assert (step["kind"], step["subtask_id"], step["status"]) == ("retrieval", "answer", "failed")
    names = [s.name for s in run_spans(glm.get_run(result.run_id), glm.list_subtasks(result.run_id))]
    assert names == ["whole run", "before the first subtask (analysis, plan)", "answer · Answer",
                     "answer · retrieval"]


def test_a_run_stored_before_steps_were_timed_keeps_the_inferred_planning_span(make_glm, storage):
    glm = make_glm(FakeBackend("ok"), make_plan("q", TWO_STEPS))
    result = glm.chat_with_model_enhanced("q")
    storage.update_run(result.run_id, steps=[])  # what a run of an older version has
    names = [s.name for s in run_spans(glm.get_run(result.run_id), glm.list_subtasks(result.run_id))]
    assert names[:2] == ["whole run", "before the first subtask (analysis, plan)"]
