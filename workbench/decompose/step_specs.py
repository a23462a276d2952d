"""What each plan step means: its role, output, documentation, prerequisites and wording.

Prerequisites name steps, not positions: a step waits only for the prerequisite steps
present in the plan (an absent one is replaced by its own prerequisites), so parts that do
not depend on each other get no false dependency and run side by side. Wording templates
are filled with the question's own subject and components (see `templates.py`).
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.domain import DocSource, ExpectedOutput, PlanStep, Role, TaskType

S = PlanStep
_FAUST_DOCS = (DocSource.FAUST_LIBRARIES, DocSource.FAUST_EXAMPLES)
_JUCE_DOCS = (DocSource.JUCE_HEADERS,)
_BOTH_DOCS = (DocSource.FAUST_LIBRARIES, DocSource.JUCE_HEADERS)


@dataclass(frozen=True)
class StepSpec:
    title: str  # may use {subject}, {component}
    description: str  # may use {subject}, {component}, {hint}, {query}, {platform}, {target}, {constraints}
    role: Role | None  # None: the question's primary role
    task_type: TaskType | None  # None: the question's first domain
    output: ExpectedOutput | None  # None: the code of the question's first domain
    docs: tuple[DocSource, ...] = ()
    after: tuple[PlanStep, ...] = ()
    per_component: bool = False  # one subtask per component, side by side


SPECS: dict[PlanStep, StepSpec] = {
    S.ANSWER: StepSpec(
        "Answer: {subject}", "Answer directly and completely: \"{query}\".{constraints}",
        None, None, None),
    # FAUST
    S.ALGORITHM_DESIGN: StepSpec(
        "Design the DSP algorithm for {subject}",
        "Choose the signal flow and algorithms for {subject} ({components}): block diagram, "
        "parameters with ranges and units, and which stdfaust.lib functions to build on.{constraints}",
        Role.REASONING, TaskType.FAUST, ExpectedOutput.TEXT, _FAUST_DOCS,
        (S.MODEL_FORMULATION, S.DERIVATION, S.CONSTRAINTS)),
    S.FAUST_IMPLEMENTATION: StepSpec(
        "Implement the {component} in FAUST",
        "Write the {component} of {subject} as FAUST code (start from {hint}), with its "
        "parameters as hslider/nentry controls and a `process` line that compiles on its own.",
        Role.CODER, TaskType.FAUST, ExpectedOutput.FAUST_CODE, _FAUST_DOCS,
        (S.ALGORITHM_DESIGN, S.DERIVATION), per_component=True),
    S.FAUST_TESTING: StepSpec(
        "Test the FAUST code of {subject}",
        "Compile the FAUST code for {subject} and check it by ear and by numbers: impulse and "
        "sine responses, parameter extremes, no NaN, no DC, no clipping.",
        Role.CODER, TaskType.FAUST, ExpectedOutput.FAUST_CODE, _FAUST_DOCS,
        (S.FAUST_IMPLEMENTATION,)),
    # JUCE
    S.PLUGIN_ARCHITECTURE: StepSpec(
        "Plan the JUCE plugin architecture for {subject}",
        "Lay out the AudioProcessor / AudioProcessorEditor split for {subject} ({components}): "
        "which classes, which parameters live in the AudioProcessorValueTreeState, and what "
        "runs on the audio thread versus the message thread.{constraints}",
        Role.REASONING, TaskType.JUCE, ExpectedOutput.TEXT, _JUCE_DOCS, (S.CONSTRAINTS,)),
    S.PARAMETERS: StepSpec(
        "Define the parameters of {subject}",
        "Write createParameterLayout() for {subject}: one AudioParameterFloat/Choice/Bool per "
        "control of {components}, with ranges, skew and units, plus state save and restore.",
        Role.CODER, TaskType.JUCE, ExpectedOutput.CPP_CODE, _JUCE_DOCS,
        (S.PLUGIN_ARCHITECTURE, S.SYSTEM_DESIGN)),
    S.AUDIO_PROCESSING: StepSpec(
        "Implement the {component} processing in JUCE",
        "Write the {component} of {subject} in prepareToPlay/processBlock with juce::dsp, "
        "reading parameters through the AudioProcessorValueTreeState atomics and smoothing them.",
        Role.CODER, TaskType.JUCE, ExpectedOutput.CPP_CODE, _JUCE_DOCS,
        (S.PARAMETERS, S.PLUGIN_ARCHITECTURE, S.SYSTEM_DESIGN), per_component=True),
    S.GUI: StepSpec(
        "Build the GUI of {subject}",
        "Write the AudioProcessorEditor for {subject}: controls for {components} attached with "
        "SliderAttachment/ButtonAttachment, layout in resized(), drawing in paint().",
        Role.CODER, TaskType.JUCE, ExpectedOutput.CPP_CODE, _JUCE_DOCS,
        (S.PARAMETERS, S.PLUGIN_ARCHITECTURE, S.SYSTEM_DESIGN)),
    S.INTEGRATION: StepSpec(
        "Integrate {subject}",
        "Connect the processing and the editor of {subject} into one plugin that builds: "
        "processor chain order, parameter wiring, state save/restore, latency reporting.",
        Role.CODER, TaskType.JUCE, ExpectedOutput.CPP_CODE, _JUCE_DOCS,
        (S.AUDIO_PROCESSING, S.GUI, S.FAUST_IMPLEMENTATION, S.IMPLEMENTATION, S.PARAMETERS)),
    S.BUILD_CONFIGURATION: StepSpec(
        "Configure the {target} build",
        "Set up the build of {subject} for {platform}: the CMake juce_add_plugin call with "
        "the right FORMATS, plugin codes and bundle ids, and how to validate the result.",
        Role.CODER, TaskType.JUCE, ExpectedOutput.TEXT, _JUCE_DOCS,
        (S.INTEGRATION, S.JUCE_INTEGRATION, S.FAUST_TESTING, S.TESTING, S.FIX, S.CHANGES)),
    # combined FAUST + JUCE
    S.SYSTEM_DESIGN: StepSpec(
        "Design the architecture of {subject}",
        "Design {subject}: split it into modules ({components}), decide what each is written in (FAUST DSP, "
        "JUCE C++ or the question's own language), and fix the interfaces (parameters, buffers, voices) "
        "between them.{constraints}",
        Role.REASONING, TaskType.ARCHITECTURE, ExpectedOutput.TEXT, _BOTH_DOCS,
        (S.CONSTRAINTS, S.DERIVATION)),
    S.FAUST_DSP: StepSpec(
        "Write the {component} module in FAUST",
        "Implement the {component} module of {subject} in FAUST (start from {hint}), exposing "
        "its parameters as UI controls so the JUCE side can bind them by name.",
        Role.CODER, TaskType.FAUST, ExpectedOutput.FAUST_CODE, _FAUST_DOCS,
        (S.SYSTEM_DESIGN, S.DERIVATION), per_component=True),
    S.JUCE_INTEGRATION: StepSpec(
        "Integrate the FAUST DSP into JUCE",
        "Generate C++ from the FAUST modules of {subject} (faust -lang cpp or faust2juce), "
        "wrap them in the AudioProcessor, map their controls to AudioProcessorValueTreeState "
        "parameters and connect the GUI.",
        Role.CODER, TaskType.FAUST_JUCE, ExpectedOutput.CPP_CODE, _BOTH_DOCS,
        (S.FAUST_DSP, S.GUI, S.PARAMETERS)),
    S.OPTIMIZATION: StepSpec(
        "Optimize {subject} for real time",
        "Make {subject} real-time safe and cheap: no allocation or locks in processBlock, "
        "denormals flushed, FAUST compiled with -vec where it helps, CPU measured per buffer.{constraints}",
        Role.CODER, TaskType.PERFORMANCE, ExpectedOutput.CPP_CODE, _BOTH_DOCS,
        (S.JUCE_INTEGRATION, S.INTEGRATION, S.FAUST_TESTING, S.TESTING, S.FIX, S.NUMERICAL_CHECK)),
    # general code
    S.IMPLEMENTATION: StepSpec(
        "Implement {subject}",
        "Write {subject} in the language the question uses, following the design, with a small "
        "API that tests can call and no allocation or locking where audio code calls it.",
        Role.CODER, None, None, (DocSource.PROJECT_FILES,),
        (S.SYSTEM_DESIGN, S.PLUGIN_ARCHITECTURE, S.ALGORITHM_DESIGN, S.DERIVATION)),
    S.TESTING: StepSpec(
        "Test {subject}",
        "Write tests for {subject} that run it with real inputs and edge cases (empty, full, "
        "concurrent use, extreme parameter values).",
        Role.CODER, None, None, (DocSource.PROJECT_FILES,), (S.IMPLEMENTATION,)),
    # math / physics
    S.MODEL_FORMULATION: StepSpec(
        "Formulate the model of {subject}",
        "State the mathematical or physical model behind {subject}: variables, units, "
        "assumptions and the equations to solve.",
        Role.MATH, TaskType.MATH, ExpectedOutput.MATH, (DocSource.PRIMERS,)),
    S.DERIVATION: StepSpec(
        "Derive the equations for {subject}",
        "Derive, step by step, what {subject} needs (transfer function, difference equation or "
        "coefficients), ending in formulas ready to implement.",
        Role.MATH, TaskType.MATH, ExpectedOutput.MATH, (DocSource.PRIMERS,), (S.MODEL_FORMULATION,)),
    S.NUMERICAL_CHECK: StepSpec(
        "Check the result for {subject} numerically",
        "Check the derivation for {subject} with numbers: evaluate the formulas at a few sample "
        "rates and parameter values and compare against the expected response.",
        Role.MATH, TaskType.MATH, ExpectedOutput.PYTHON_CODE, (DocSource.PRIMERS,), (S.DERIVATION,)),
    # debugging
    S.REPRODUCE: StepSpec(
        "Reproduce: {subject}",
        "Pin down the smallest setup that shows \"{query}\": inputs, host, buffer size, "
        "parameter moves, and what is observed versus expected.",
        Role.REASONING, TaskType.DEBUGGING, ExpectedOutput.TEXT, (DocSource.PROJECT_FILES,)),
    S.HYPOTHESES: StepSpec(
        "Likely causes: {subject}",
        "List the plausible causes of \"{query}\", most likely first, each with the evidence "
        "that would confirm or rule it out.",
        Role.REASONING, TaskType.DEBUGGING, ExpectedOutput.TEXT, (DocSource.PROJECT_FILES,), (S.REPRODUCE,)),
    S.VERIFY: StepSpec(
        "Verify the causes: {subject}",
        "Check each suspected cause of \"{query}\" against the code and the documentation, "
        "with the assertion, log line or test that decides it.",
        Role.REASONING, TaskType.DEBUGGING, ExpectedOutput.TEXT, (DocSource.PROJECT_FILES,), (S.HYPOTHESES,)),
    S.FIX: StepSpec(
        "Fix: {subject}",
        "Write the fix for the confirmed cause of \"{query}\" and a check that shows the problem is gone.",
        Role.CODER, None, None, (DocSource.PROJECT_FILES,), (S.VERIFY,)),
    # performance
    S.PROFILE: StepSpec(
        "Profile {subject}",
        "Measure where the time goes in {subject}: per-buffer CPU at the buffer sizes in use, "
        "with the profiler or timing harness to reproduce the numbers.{constraints}",
        Role.CODER, TaskType.PERFORMANCE, ExpectedOutput.TEXT, (DocSource.PROJECT_FILES,)),
    S.BOTTLENECKS: StepSpec(
        "Find the bottlenecks in {subject}",
        "From the measurements, name the few hot spots in {subject} (allocation, locks, "
        "denormals, per-sample branches, cache misses) and what each costs.",
        Role.REASONING, TaskType.PERFORMANCE, ExpectedOutput.TEXT, (DocSource.PRIMERS,), (S.PROFILE,)),
    S.CHANGES: StepSpec(
        "Change the hot paths of {subject}",
        "Rewrite the hot spots of {subject}, keeping the output identical (or within a stated "
        "tolerance).{constraints}",
        Role.CODER, None, None, (DocSource.PROJECT_FILES,), (S.BOTTLENECKS,)),
    S.MEASURE: StepSpec(
        "Measure the gain for {subject}",
        "Measure {subject} again the same way and report before/after CPU and latency in a table.",
        Role.CODER, TaskType.PERFORMANCE, ExpectedOutput.TEXT, (DocSource.PROJECT_FILES,), (S.CHANGES,)),
    # architecture / planning
    S.CONSTRAINTS: StepSpec(
        "Collect the constraints of {subject}",
        "List the requirements and constraints that decide {subject}: formats, platforms, "
        "latency, CPU, team skills, licences.{constraints}",
        Role.REASONING, TaskType.ARCHITECTURE, ExpectedOutput.TEXT, (DocSource.PRIMERS,)),
    S.OPTIONS: StepSpec(
        "Lay out the options for {subject}",
        "Describe the realistic options for {subject}, each with how it would be built.",
        Role.REASONING, TaskType.ARCHITECTURE, ExpectedOutput.TEXT, (DocSource.PRIMERS,), (S.CONSTRAINTS,)),
    S.TRADE_OFFS: StepSpec(
        "Weigh the trade-offs for {subject}",
        "Compare the options for {subject} against the constraints: cost, risk, performance, "
        "maintenance.",
        Role.REASONING, TaskType.ARCHITECTURE, ExpectedOutput.TEXT, (DocSource.PRIMERS,), (S.OPTIONS,)),
    S.RECOMMENDATION: StepSpec(
        "Recommend an approach for {subject}",
        "Recommend one approach for {subject}, why, and the first concrete steps.",
        Role.REASONING, TaskType.ARCHITECTURE, ExpectedOutput.TEXT, (DocSource.PRIMERS,), (S.TRADE_OFFS,)),
}
