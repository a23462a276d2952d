"""Decomposed runs through the facade: synthesis with attribution, storage, crash survival."""

from __future__ import annotations

import json

import pytest

from tests.execute.conftest import DIAMOND, make_plan
from tests.fakes import FakeBackend, use_backend
from workbench.domain import EventKind, Method, Role
from workbench.llm.base import BackendError

TAGS = ["deepseek-r1:70b", "qwen2.5-coder:32b", "qwen2.5:32b"]


def by_step(outputs: dict[str, str]):
    def script(model, messages):
        text = messages[-1].content
        return next(out for sid, out in outputs.items() if f"Your task — Step {sid}:" in text)
    return script


CODE = "```faust\nimport(\"stdfaust.lib\");\nprocess = fi.lowpass(2, 1000);\n```"


def test_a_plan_runs_to_one_attributed_answer_and_every_subtask_is_stored(make_glm):
    outputs = {"s1": "Design: a 2-pole low-pass.", "s2": CODE, "s3": "fc = 1000 Hz", "s4": "Wire it up."}
    events = []
    glm = make_glm(FakeBackend(by_step(outputs), models=TAGS), make_plan("Build a filter", DIAMOND))
    result = glm.chat_with_model_enhanced("Build a filter", on_event=events.append)
    assert result.status == "complete" and result.error is None
    assert "### Step s1 (s1 — deepseek-r1:70b)" in result.answer
    assert "### Step s2 (s2 — qwen2.5-coder:32b)" in result.answer
    assert CODE in result.answer  # code blocks reach the answer untouched
    assert result.answer.index("Step s1") < result.answer.index("Step s4")
    plan_event = next(e for e in events if e.kind == EventKind.PLAN)
    assert plan_event.data.phases == [["s1"], ["s2", "s3"], ["s4"]]
    stored = {s.subtask_id: s for s in glm.list_subtasks(result.run_id)}
    assert set(stored) == {"s1", "s2", "s3", "s4"}
    assert stored["s2"].model == "qwen2.5-coder:32b" and stored["s2"].output == CODE
    assert stored["s2"].status == "complete" and stored["s2"].prompt_chars > 0
    run = glm.get_run(result.run_id)
    assert run.decomposition["subtasks"][3]["dependencies"] == ["s2", "s3"]
    assert run.events_summary["subtask_done"] == 4
    answer = glm.get_messages(result.conversation_id)[1]
    assert answer.content == result.answer and answer.status == "complete"


def test_a_failed_branch_gives_a_partial_answer_that_says_what_is_missing(make_glm, settings):
    settings.execution.retry_backoff_s = 0.0
    fail = lambda m, msgs: BackendError("model crashed") if "Step s3:" in msgs[-1].content else None  # noqa: E731
    glm = make_glm(FakeBackend("fine", models=TAGS, fail_when=fail), make_plan("q", DIAMOND))
    result = glm.chat_with_model_enhanced("q")
    assert result.status == "partial"
    assert "s3 failed (model crashed)" in result.error and "s4 skipped" in result.error
    assert "### Not answered" in result.answer and "(s2 — qwen2.5-coder:32b)" in result.answer
    assert glm.get_messages(result.conversation_id)[1].status == "partial"


def test_the_planner_is_used_for_a_hard_question(make_glm):
    planned = json.dumps({"subtasks": [
        {"id": "p1", "title": "Step p1", "description": "d", "task_type": "math", "role": "math"},
        {"id": "p2", "title": "Step p2", "description": "d", "task_type": "faust", "role": "coder",
         "dependencies": ["p1"]}]})

    def script(model, messages):
        return planned if "Answer with the JSON object" in messages[-1].content else "part"

    glm = make_glm(FakeBackend(script), make_plan("hard", DIAMOND, complexity=9))
    result = glm.chat_with_model_enhanced("hard")
    assert result.decomposition["method"] == Method.PLANNER.value
    assert [s.id for s in result.subtasks] == ["p1", "p2"]


def test_the_users_message_and_finished_subtasks_survive_a_crash_mid_run(make_glm, storage):
    def crash_when_s3_finishes(event):
        if event.kind == EventKind.SUBTASK_DONE and event.subtask_id == "s3":
            raise RuntimeError("power cut")

    settings_plan = make_plan("q", [("s1", Role.REASONING, []), ("s2", Role.CODER, ["s1"]),
                                    ("s3", Role.MATH, ["s2"]), ("s4", Role.CODER, ["s3"])])
    glm = make_glm(FakeBackend("done", models=TAGS), settings_plan)
    with pytest.raises(RuntimeError, match="power cut"):
        glm.chat_with_model_enhanced("keep my question", on_event=crash_when_s3_finishes)
    conversation = storage.list_conversations(storage.list_projects()[0].id)[0]
    user, answer = storage.list_messages(conversation.id)
    assert user.content == "keep my question"
    assert answer.status == "error" and "power cut" in answer.error
    run = storage.get_run(answer.run_id)
    assert run.status == "error"
    stored = {s.subtask_id: s.status for s in storage.list_subtasks(run.id)}
    assert stored == {"s1": "complete", "s2": "complete", "s3": "complete"}


def test_the_real_decomposers_plan_runs_and_a_failed_planner_is_recorded(settings, storage):
    from hrm_local_wrapper import HRMLocalWrapper

    from multi_model_system import MultiModelGLMSystem

    glm = MultiModelGLMSystem(use_backend(settings, FakeBackend("no JSON here")), storage=storage,
                              hrm=HRMLocalWrapper(settings=settings), retriever=None, validator=None)
    result = glm.chat_with_model_enhanced(
        "Create a complete guitar effects processor as a JUCE plugin with a FAUST DSP core")
    plan = result.decomposition
    assert plan["complexity"] >= settings.execution.planner_complexity_threshold
    assert plan["method"] != "planner" and "not valid JSON" in plan["planner_fallback_reason"]
    assert result.status == "complete" and len(result.subtasks) == len(plan["subtasks"]) > 3
    assert glm.get_run(result.run_id).decomposition["planner_fallback_reason"] == plan["planner_fallback_reason"]
