"""The advisor modes through the real execution engine: a scripted backend for the
orchestration (which plan ran, which output becomes which section, how the confidence
moves with what happened), and the real embedded model end to end, once per mode."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from multi_model_system import MultiModelGLMSystem
from tests.fakes import FakeBackend, use_backend
from workbench.advisors.assistants import ArchitectureAdvisor, CodeAnalyzer, DebugAssistant, PerformanceOptimizer
from workbench.analysis.errors import AnalysisInputError
from workbench.domain import EventKind, GenerationOptions
from workbench.llm.base import BackendError

_TASK = re.compile(r"Your task — (.+?):\n")


def _task(messages) -> str:
    found = _TASK.search(messages[-1].content)
    return found[1] if found else "direct answer"


def scripted(model, messages) -> str:
    task = _task(messages)
    return f"Findings for {task}.\n1. First action of {task}\n2. Second action of {task}"


def fake_glm(settings, **backend_options) -> MultiModelGLMSystem:
    return MultiModelGLMSystem(use_backend(settings, FakeBackend(scripted, **backend_options)),
                               retriever=None, validator=None)


@pytest.mark.parametrize(("advisor", "call", "steps", "recommendation_from"), [
    (ArchitectureAdvisor, "get_advice", ["constraints", "options", "trade_offs", "recommendation"], "recommendation"),
    (DebugAssistant, "debug_problem", ["reproduce", "hypotheses", "verify", "fix"], "fix"),
    (PerformanceOptimizer, "optimize", ["profile", "bottlenecks", "changes", "measure"], "changes"),
])
def test_each_mode_runs_its_plan_and_fills_the_seed_sections(
        settings, fixture_project: Path, advisor, call, steps, recommendation_from) -> None:
    glm = fake_glm(settings)
    events = []
    report = getattr(advisor(glm=glm), call)("The plugin crackles when the gain moves", fixture_project,
                                            on_event=events.append)
    assert report.status == "complete", report.error
    assert [s.step for s in report.analysis + report.recommendation_steps] == steps
    first_recommending = report.recommendation_steps[0]
    assert first_recommending.step == recommendation_from
    assert report.recommendations.startswith(f"Findings for {first_recommending.title}.")
    assert report.implementation_steps[0] == f"First action of {first_recommending.title}"
    text = report.to_markdown()
    for heading in ("## Analysis", "## Recommendations", "## Implementation Steps", "**Confidence Level**"):
        assert heading in text
    assert any(e.kind == EventKind.PLAN for e in events)
    # the context folder's measured analysis and most relevant files reached the models
    prompts = " ".join(r["messages"][-1].content for r in glm.backend.requests)
    assert "rt-lock" in prompts and "Source/PluginProcessor.cpp" in prompts
    assert "Source/PluginProcessor.cpp" in report.context_files
    assert report.confidence.subtasks_succeeded == 1.0 and report.confidence.mode_coverage == 1.0
    assert 0 < report.confidence.value == pytest.approx(report.confidence.plan, abs=1e-3)


def test_confidence_falls_when_a_step_fails(settings) -> None:
    def fail_verify(model, messages):
        return BackendError("model crashed") if _task(messages).startswith("Verify") else None

    settings.execution.retries = 0
    good = DebugAssistant(glm=fake_glm(settings)).debug_problem("Output goes silent after a preset change")
    bad = DebugAssistant(glm=fake_glm(settings, fail_when=fail_verify)).debug_problem(
        "Output goes silent after a preset change")
    assert good.status == "complete" and bad.status != "complete"
    assert bad.confidence.subtasks_succeeded < 1.0
    assert bad.confidence.value < good.confidence.value
    assert "model crashed" in bad.to_markdown() or bad.error


def test_empty_question_and_missing_context_are_clear_errors(settings, tmp_path: Path) -> None:
    advisor = ArchitectureAdvisor(glm=fake_glm(settings))
    with pytest.raises(AnalysisInputError, match="Describe the architecture question first"):
        advisor.get_advice("   ")
    with pytest.raises(AnalysisInputError, match="No such file or folder"):
        advisor.get_advice("Where should presets live?", tmp_path / "missing")


def test_model_written_recommendations_rest_on_the_findings(settings, fixture_project: Path) -> None:
    glm = fake_glm(settings)
    report = CodeAnalyzer(glm=glm).analyze_directory(fixture_project)
    assert report.recommendations_by.startswith("model")
    assert report.recommendations == ["Findings for direct answer.", "First action of direct answer",
                                      "Second action of direct answer"]
    prompt = glm.backend.requests[-1]["messages"][-1].content
    assert "rt-allocation" in prompt and "route_message" in prompt


# ------------------------------------------------------------------ the real embedded model


@pytest.fixture(scope="module")
def embedded_glm(tmp_path_factory) -> MultiModelGLMSystem:
    from workbench.config import load_settings

    # Small prompts and answers keep three real runs near a minute on two shared cores. The
    # LLM planner stays off: its JSON-schema sampling crashes llama.cpp on this model (reported
    # to the execution room); the template plans are what these tests are about.
    settings = load_settings(
        data_dir=tmp_path_factory.mktemp("embedded"),
        llm={"backend": "embedded", "ollama_host": "http://127.0.0.1:9"},
        execution={"planner_complexity_threshold": 11, "planner_confidence_threshold": 0.0,
                   "project_context_token_budget": 200, "dependency_token_budget": 200})
    return MultiModelGLMSystem(settings, retriever=None,
                               options=GenerationOptions(max_tokens=24, temperature=0.0, seed=7))


@pytest.mark.parametrize(("advisor", "call", "question"), [
    (ArchitectureAdvisor, "get_advice", "Should the filter be written in FAUST or in C++?"),
    (DebugAssistant, "debug_problem", "The plugin crackles when I move the gain slider"),
    (PerformanceOptimizer, "optimize", "processBlock takes too much CPU at 48 kHz"),
])
def test_mode_end_to_end_on_the_embedded_model(embedded_glm, fixture_project: Path, advisor, call, question) -> None:
    report = getattr(advisor(glm=embedded_glm), call)(question, fixture_project)
    assert embedded_glm.backend_name == "embedded"
    assert report.status == "complete", report.error
    assert len(report.analysis) >= 2 and all(s.output.strip() for s in report.analysis)
    assert report.recommendations.strip()
    assert 0 < report.confidence.value <= 1
    stored = embedded_glm.list_subtasks(report.run_id)
    assert len(stored) == len(report.analysis) + len(report.recommendation_steps)
    assert all(s.status == "complete" for s in stored)
