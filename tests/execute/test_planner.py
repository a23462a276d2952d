"""The LLM planner: a valid answer replaces the template plan; anything else falls back."""

from __future__ import annotations

import json

import pytest

from tests.execute.conftest import make_plan
from tests.fakes import FakeBackend
from workbench.domain import Method, Role, TaskType
from workbench.execute.caller import ModelCaller
from workbench.execute.planner import PLAN_SCHEMA, needs_planner, one_subtask_plan, plan_with_llm
from workbench.llm.base import BackendUnavailable

TEMPLATE = make_plan("Build a JUCE reverb plugin with a FAUST core",
                     [("s1", Role.REASONING, []), ("s2", Role.CODER, ["s1"])], complexity=9)


def step(sid: str, role: str, deps: list[str]) -> dict:
    return {"id": sid, "title": f"Step {sid}", "description": "do it", "task_type": "faust",
            "role": role, "dependencies": deps}


def plan_from(settings, answer: str, **backend_args):
    backend = FakeBackend(answer, **backend_args)
    result = plan_with_llm(TEMPLATE, ModelCaller(settings, backend), settings)
    return result, backend


def test_a_valid_plan_replaces_the_template_and_was_asked_for_with_the_schema(settings):
    answer = json.dumps({"subtasks": [step("a", "math", []), step("b", "coder", ["a"]),
                                      step("c", "reasoning", ["a", "b"])]})
    plan, backend = plan_from(settings, answer)
    assert plan.method == Method.PLANNER and plan.planner_fallback_reason is None
    assert [s.id for s in plan.subtasks] == ["a", "b", "c"]
    assert backend.requests[0]["json_schema"] == PLAN_SCHEMA
    assert backend.requests[0]["model"] == "scripted-model"  # the reasoning tag resolved on the backend


@pytest.mark.parametrize(("answer", "reason"), [
    ("Sure! Here is the plan: first design, then code.", "not valid json"),
    (json.dumps({"subtasks": [step("a", "coder", ["b"]), step("b", "coder", ["a"])]}), "cycl"),
    (json.dumps({"subtasks": [step("a", "composer", [])]}), "role"),
    (json.dumps({"subtasks": [step("a", "coder", ["zz"])]}), "zz"),
])
def test_a_bad_answer_keeps_the_template_plan_and_records_why(settings, answer, reason):
    plan, _ = plan_from(settings, answer)
    assert plan.method == Method.RULES
    assert plan.subtasks == TEMPLATE.subtasks
    assert reason in plan.planner_fallback_reason.lower()


def test_a_backend_failure_keeps_the_template_plan(settings):
    error = BackendUnavailable("Ollama is not reachable at http://127.0.0.1:9")
    plan, _ = plan_from(settings, "{}", fail_when=lambda m, msgs: error)
    assert plan.subtasks == TEMPLATE.subtasks
    assert "not reachable" in plan.planner_fallback_reason


def test_the_planner_is_asked_only_for_hard_or_uncertain_questions(settings):
    assert needs_planner(TEMPLATE, settings, "ollama")
    assert not needs_planner(TEMPLATE.model_copy(update={"complexity": 5}), settings, "ollama")
    assert needs_planner(TEMPLATE.model_copy(update={"complexity": 5, "confidence": 0.3}), settings, "ollama")


@pytest.mark.parametrize(("mode", "backend", "asked"), [
    ("auto", "ollama", True), ("auto", "embedded", False), ("on", "embedded", True), ("off", "ollama", False)])
def test_the_planner_setting_skips_it_on_the_embedded_backend_by_default(settings, mode, backend, asked):
    settings.execution.llm_planner = mode
    assert needs_planner(TEMPLATE, settings, backend) is asked


@pytest.mark.parametrize(("question", "task_type"), [
    ("Write a FAUST program that outputs a 440 Hz sine wave.", TaskType.FAUST),
    ("Write a JUCE AudioProcessor whose processBlock halves the gain.", TaskType.JUCE),
    ("What should I eat tonight?", TaskType.GENERAL),
])
def test_a_question_answered_without_decomposition_keeps_its_language(question, task_type):
    """Decomposition off still reads which language is asked, for its docs and its rules."""
    [subtask] = one_subtask_plan(question, Role.CODER).subtasks
    assert subtask.task_type == task_type and subtask.role == Role.CODER
