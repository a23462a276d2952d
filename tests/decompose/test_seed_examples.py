"""The seed's own examples, and how context changes a plan."""

from __future__ import annotations

from hrm_local_wrapper import HRMLocalWrapper
from workbench.decompose.analyze import split_steps
from workbench.domain import ExpectedOutput, PlanStep, Role, Strategy, TaskType


def _phases(hrm: HRMLocalWrapper, plan) -> list[list[str]]:
    return [[s.id for s in phase] for phase in hrm.get_execution_order(plan)]


def test_basic_sine_oscillator_is_one_direct_coder_subtask(hrm: HRMLocalWrapper) -> None:
    plan = hrm.decompose_task("Create a basic sine oscillator in FAUST")
    assert plan.strategy is Strategy.DIRECT and plan.complexity <= 3
    assert plan.domains == [TaskType.FAUST]
    [only] = plan.subtasks
    assert only.role is Role.CODER and only.task_type is TaskType.FAUST
    assert only.expected_output is ExpectedOutput.FAUST_CODE
    assert only.model_preference == hrm.settings.roles[Role.CODER].display_name
    assert "sine oscillator" in only.description


def test_modular_synth_puts_independent_modules_side_by_side(hrm: HRMLocalWrapper) -> None:
    plan = hrm.decompose_task("Build a modular synthesis engine with FAUST and JUCE GUI")
    assert {TaskType.FAUST, TaskType.JUCE} <= set(plan.domains)
    assert plan.complexity >= 8 and plan.strategy is Strategy.HIERARCHICAL
    phases = _phases(hrm, plan)
    assert phases[0] == ["system_design"]
    assert {"faust_dsp.oscillator", "faust_dsp.filter", "gui"} <= set(phases[1])
    assert phases[2] == ["juce_integration"]
    oscillator = plan.subtask("faust_dsp.oscillator")
    assert oscillator.dependencies == ["system_design"]  # no false dependency on the filter
    assert "oscillator" in oscillator.description and "modular synthesis engine" in oscillator.description
    assert plan.subtask("system_design").role is Role.REASONING


def test_juce_plugin_with_faust_reverb_follows_the_combined_template(hrm: HRMLocalWrapper) -> None:
    plan = hrm.decompose_task("Build a JUCE audio plugin with FAUST reverb processing")
    steps = [s.step for s in plan.subtasks]
    assert steps == [PlanStep.SYSTEM_DESIGN, PlanStep.FAUST_DSP, PlanStep.JUCE_INTEGRATION]  # no GUI or speed asked
    reverb = plan.subtask("faust_dsp.reverb")
    assert "re.*" in reverb.description and reverb.expected_output is ExpectedOutput.FAUST_CODE
    assert plan.subtask("juce_integration").task_type is TaskType.FAUST_JUCE
    assert plan.strategy is not Strategy.DIRECT


def test_complete_guitar_effects_processor_builds_effect_modules_in_parallel(hrm: HRMLocalWrapper) -> None:
    plan = hrm.decompose_task("Create a complete guitar effects processor with the DSP in FAUST and a JUCE plugin GUI")
    assert plan.complexity >= 7 and plan.strategy is not Strategy.DIRECT
    phases = _phases(hrm, plan)
    assert {"faust_dsp.distortion", "faust_dsp.delay", "faust_dsp.reverb"} <= set(phases[1])  # side by side
    assert all("guitar effects processor" in s.description for s in plan.subtasks)


def test_one_artifact_in_one_language_is_answered_directly_however_much_it_lists(hrm: HRMLocalWrapper) -> None:
    for question in ("Create a complete guitar effects processor",
                     "Write a Schroeder reverb in FAUST with four comb filters and a tone control, and test it"):
        plan = hrm.decompose_task(question)
        assert plan.strategy is Strategy.DIRECT and len(plan.subtasks) == 1 and plan.primary_role is Role.CODER


def test_context_adds_build_and_real_time_steps(hrm: HRMLocalWrapper) -> None:
    query = "Build a JUCE audio plugin with FAUST reverb processing"
    plain = hrm.decompose_task(query)
    mac = hrm.decompose_task(query, {"target_platform": "mac_vst", "project_type": "plugin", "team": "two people"})
    build = mac.subtask("build_configuration")
    assert "AU" in build.description and "VST3" in build.description
    assert "build_configuration" not in [s.id for s in plain.subtasks]
    assert mac.context["team"] == "two people"  # other keys are carried through

    wanted = {"plan_steps": ["algorithm_design", "faust_implementation", "faust_testing"]}
    faust_only = "Write a Schroeder reverb in FAUST with four comb filters and a tone control, and test it"
    without = hrm.decompose_task(faust_only, wanted)
    with_latency = hrm.decompose_task(faust_only, {**wanted, "performance_requirements": "low_latency"})
    assert "optimization" not in [s.id for s in without.subtasks]
    optimization = with_latency.subtask("optimization")
    assert "no allocation" in optimization.description and "low latency" in optimization.description


def test_bug_reports_are_answered_directly_and_split_into_their_own_plan_on_request(hrm: HRMLocalWrapper) -> None:
    report = ("The AU version of my JUCE plugin fails auval validation on macOS but the VST3 loads fine in "
              "Ableton, the error says the plugin took too long to instantiate. Where should I look and how do I fix it?")
    direct = hrm.decompose_task(report)
    assert direct.strategy is Strategy.DIRECT and direct.primary_role is Role.REASONING
    bug = hrm.decompose_task(report, {"plan_steps": [s.value for s in split_steps(report, {})]})
    assert [s.step for s in bug.subtasks] == [PlanStep.REPRODUCE, PlanStep.HYPOTHESES, PlanStep.VERIFY, PlanStep.FIX]
    assert bug.subtask("fix").role is Role.CODER
    slow = ("Profile and optimize the processBlock of my JUCE convolution reverb: CPU spikes and xruns at 32 "
            "samples, I suspect allocations and denormals in the FFT code.")
    assert split_steps(slow, {})[:2] == [PlanStep.PROFILE, PlanStep.BOTTLENECKS]


def test_confidence_follows_the_evidence(hrm: HRMLocalWrapper) -> None:
    clear = hrm.decompose_task("Write a JUCE AudioProcessor with an AudioProcessorValueTreeState gain parameter")
    vague = hrm.decompose_task("make it better")
    assert clear.confidence > vague.confidence + 0.3
    assert vague.domains == [TaskType.GENERAL]
