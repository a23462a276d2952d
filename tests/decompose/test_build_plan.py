"""`build_plan` takes an analysis from any analyzer (the HRM network's seam)."""

from __future__ import annotations

from workbench.config import Settings
from workbench.decompose.dag import execution_phases
from workbench.decompose.templates import build_plan, subject_of
from workbench.domain import Method, PlanStep, QueryAnalysis, Role, Strategy, TaskType

QUERY = "Write a FAUST phaser and a flanger for my guitar rig"


def _analysis(steps: list[PlanStep], decompose: bool = True) -> QueryAnalysis:
    return QueryAnalysis(domains=[TaskType.FAUST], complexity=6, primary_role=Role.CODER, strategy=Strategy.DIRECT,
                         confidence=0.7, decompose=decompose, steps=steps, method=Method.HRM, act_steps=3)


def test_steps_in_any_order_become_a_dependency_ordered_plan(settings: Settings) -> None:
    steps = [PlanStep.FAUST_TESTING, PlanStep.ANSWER, PlanStep.FAUST_IMPLEMENTATION, PlanStep.ALGORITHM_DESIGN]
    plan = build_plan(QUERY, _analysis(steps), {}, settings)
    assert plan.method is Method.HRM and plan.act_steps == 3
    assert execution_phases(plan.subtasks) == [
        ["algorithm_design"], ["faust_implementation.flanger", "faust_implementation.phaser"], ["faust_testing"]]
    assert plan.strategy is Strategy.PARALLEL  # the plan's shape corrects the analysis's "direct"
    assert "pf.phaser2_mono" in plan.subtask("faust_implementation.phaser").description


def test_an_analysis_that_does_not_decompose_gives_one_answer(settings: Settings) -> None:
    plan = build_plan(QUERY, _analysis([PlanStep.ALGORITHM_DESIGN], decompose=False), {"target_platform": "mac_vst"}, settings)
    [answer] = plan.subtasks
    assert answer.step is PlanStep.ANSWER and plan.strategy is Strategy.DIRECT
    assert "macOS AU and VST3" in answer.description  # the context still reaches the single answer


def test_subject_keeps_the_users_words() -> None:
    assert subject_of("Can you please build me a stereo chorus in FAUST?") == "a stereo chorus in FAUST"
    assert subject_of("My JUCE plugin crashes") == "my JUCE plugin crashes"
    assert subject_of("Design the architecture of a JUCE synth, then implement the voice class") == (
        "the architecture of a JUCE synth")
    assert subject_of("My plugin loads, then crashes in Live") == "my plugin loads, then crashes in Live"
    assert subject_of("x " * 200).endswith("…") and len(subject_of("x " * 200)) <= 101


def test_design_then_code_writes_only_the_modules_asked_after_the_then(settings: Settings) -> None:
    """The design covers every part the question names; the code is written only for the part
    asked after its "then"."""
    query = "Design a JUCE synth with a filter, an envelope and a reverb, then implement the filter and the reverb"
    steps = [PlanStep.PLUGIN_ARCHITECTURE, PlanStep.AUDIO_PROCESSING]
    analysis = QueryAnalysis(domains=[TaskType.JUCE], complexity=6, primary_role=Role.CODER, strategy=Strategy.PARALLEL,
                             confidence=0.7, decompose=True, steps=steps)
    plan = build_plan(query, analysis, {}, settings)
    assert execution_phases(plan.subtasks) == [
        ["plugin_architecture"], ["audio_processing.filter", "audio_processing.reverb"]]
    assert "(filter, envelope, reverb)" in plan.subtask("plugin_architecture").description
