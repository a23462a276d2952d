"""The recalibrated rules on the way developers really ask (phrasings of the real-question
corpus' kinds, written for this test, not copied from its rows), and their figures on the
real validation split."""

from __future__ import annotations

import statistics

import pytest

from workbench.decompose.analyze import RuleAnalyzer, split_steps
from workbench.domain import PlanStep, Role, TaskType
from workbench.hrm.real_questions import load_real_questions

RULES = RuleAnalyzer()

LONG_BUG_REPORT = (
    "My JUCE delay plugin restores every parameter from the session except the per-tap input channel choice: "
    "delay time, pan and feedback come back, but the L/R/stereo selector is always stereo after reopening the "
    "project in REAPER 7 on Windows 11 and in Live 12. I save state with copyState and replaceState, the selector "
    "is a ComboBox with a ComboBoxAttachment, and it worked in the previous release. I already tried bumping the "
    "plugin version hint and clearing the plugin cache. Why would only this one parameter get lost?"
)


def test_a_long_bug_report_is_answered_directly_by_the_reasoning_model():
    a = RULES.analyze(LONG_BUG_REPORT, {})
    assert (a.decompose, a.primary_role) == (False, Role.REASONING)
    assert 4 <= a.complexity <= 6 and TaskType.DEBUGGING in a.domains


def test_one_faust_program_with_many_features_is_one_direct_coder_answer():
    a = RULES.analyze("Write a FAUST synth: a sine oscillator whose frequency comes from a slider (default 660 Hz) "
                      "and whose gain comes from a slider (default 0.2)", {})
    assert (a.decompose, a.primary_role, a.steps) == (False, Role.CODER, [PlanStep.ANSWER])
    assert TaskType.JUCE not in a.domains and a.complexity <= 5


@pytest.mark.parametrize("question", [
    LONG_BUG_REPORT,
    "Why does my JUCE plugin crash when I build it in Release and then load it in Live 12 on macOS? Debug builds "
    "load fine, the stack trace ends in processBlock after prepareToPlay, and it only happens at 44.1 kHz with a "
    "buffer of 64 samples. I already rebuilt JUCE and cleared the plugin cache.",
    "My Faust reverb built with faust2juce starts to crackle after a few minutes: first it is fine, then the tail "
    "gets grainy and the CPU meter in Reaper climbs. I tried -double, a bigger buffer and turning the damping down. "
    "What could cause it?",
])
def test_a_bug_report_with_its_history_is_one_answer_for_the_reasoning_model(question):
    a = RULES.analyze(question, {})
    assert (a.decompose, a.primary_role, a.steps) == (False, Role.REASONING, [PlanStep.ANSWER])


@pytest.mark.parametrize("question, gui, presets", [
    ("Build a polyphonic synth in FAUST with a JUCE GUI and presets", True, True),
    ("Write the DSP of a tape echo in Faust and a JUCE plugin around it with an editor and preset browser", True, True),
    ("I want a tape delay whose DSP is written in Faust and hosted in a JUCE plugin with a custom editor and a "
     "preset menu.", True, True),
    ("Build a JUCE audio plugin with FAUST reverb processing", False, False),
])
def test_a_system_across_faust_and_juce_is_split_into_only_the_parts_it_asks_for(question, gui, presets):
    a = RULES.analyze(question, {})
    assert a.decompose and a.primary_role is Role.CODER and a.complexity >= 7
    assert a.steps[0] is PlanStep.SYSTEM_DESIGN and a.steps[-1] is PlanStep.JUCE_INTEGRATION
    assert PlanStep.FAUST_DSP in a.steps and PlanStep.OPTIMIZATION not in a.steps  # nobody asked for speed
    assert (PlanStep.GUI in a.steps, PlanStep.PARAMETERS in a.steps) == (gui, presets)


@pytest.mark.parametrize("question, steps", [
    ("Design the architecture of a JUCE synth, then implement the voice class",
     [PlanStep.PLUGIN_ARCHITECTURE, PlanStep.AUDIO_PROCESSING]),
    ("First design the signal flow of a Faust shimmer reverb, then write the pitch shifter in Faust",
     [PlanStep.ALGORITHM_DESIGN, PlanStep.FAUST_IMPLEMENTATION]),
    ("My JUCE synth has hardwired LFO routing. How should a modulation matrix be designed, and then implemented "
     "in processBlock?", [PlanStep.PLUGIN_ARCHITECTURE, PlanStep.IMPLEMENTATION]),
    ("Can you derive the loss filter coefficients for my waveguide string and then add the filter to the C++ "
     "string class?", [PlanStep.DERIVATION, PlanStep.IMPLEMENTATION]),
])
def test_design_then_implement_is_split_into_the_design_and_the_code_asked_for(question, steps):
    a = RULES.analyze(question, {})
    assert a.decompose and a.steps == steps
    assert any(line.startswith("split: work in sequence") for line in a.reasoning)


@pytest.mark.parametrize("question", [
    "We'd like synth modules written in Faust. What are the trade-offs between compiling the .dsp files at build "
    "time and JIT with libfaust, and how would the build-time route be wired into CMake?",
    "We need a spectral freeze effect in our C++ host: STFT framing, a freeze buffer, crossfades between frames, "
    "a dry/wet control and latency reporting. How should this be built?",
])
def test_a_decision_and_its_code_or_a_build_to_plan_as_a_whole_is_split(question):
    a = RULES.analyze(question, {})
    assert a.decompose and a.complexity >= 6 and len(a.steps) >= 2
    assert PlanStep.OPTIMIZATION not in a.steps and PlanStep.GUI not in a.steps


@pytest.mark.parametrize("question, role", [
    ("I'd like to build modal models of bells and gongs in Faust. Where would I start with the physical modelling "
     "libraries, and how would you approach the striker and the damping?", Role.REASONING),
    ("We want host-side ARA in our Tracktion-based DAW so pitch editors can read whole clips: document model, audio "
     "source readers, playback regions and saving with the project. What's the work breakdown and how should the "
     "document map onto our tracks?", Role.REASONING),
    ("I want a spectral delay in my web app: a delay per bin, feedback, freeze and a drawable mask, all in an "
     "AudioWorklet with 2048-point frames. How should I build the STFT framing in the worklet?", Role.CODER),
    ("I exported a Faust DSP as a JUCE project. What's the workflow for drafting the DSP and a plain UI in Faust and "
     "then building a styled editor in JUCE?", Role.REASONING),
])
def test_an_ask_for_a_start_a_plan_a_workflow_or_one_part_of_a_build_is_answered_directly(question, role):
    a = RULES.analyze(question, {})
    assert (a.decompose, a.primary_role, a.steps) == (False, role, [PlanStep.ANSWER])


@pytest.mark.parametrize("question", [
    "Add a spectrum analyzer and an oscilloscope to my JUCE app as pass-through processors: a lock-free FIFO from the "
    "audio thread, a 60 fps timer in the UI, an FFT with a Hann window for the analyzer and a triggered waveform for "
    "the scope.",
    "Write a real-time spectrum analyzer class for my amp app (2048-point FFT, log frequency axis, peak hold) "
    "plus an RMS VU meter with a clip light.",
    "My Python library hosts VST3 plugins through a JUCE wrapper. How would I add a tempo_bpm property to the wrapper "
    "class, pass it to the plugin through the playhead, and bind it to Python?",
])
def test_two_things_side_by_side_or_a_python_binding_are_one_coder_answer(question):
    a = RULES.analyze(question, {})
    assert (a.decompose, a.primary_role, a.steps) == (False, Role.CODER, [PlanStep.ANSWER])


def test_a_stated_build_across_faust_and_juce_is_a_system_though_it_names_errors():
    a = RULES.analyze("I want Faust devices in my JUCE DAW: runtime compilation with libfaust, an auto-generated "
                      "parameter UI, a code editor with compile-error display, hot reload and presets per program.", {})
    assert a.decompose and a.primary_role is Role.CODER and a.steps[0] is PlanStep.SYSTEM_DESIGN


@pytest.mark.parametrize("question", [
    "Write a chorus effect in C++ for my pedal: three delay lines modulated by LFOs at slightly different rates, "
    "pots for rate, depth and mix, and a bypass switch.",
    "Add input and output gain parameters to my JUCE effect, -inf to +18 dB, automatable, with knobs in the footer "
    "and saved in the state.",
    "I want an ADSR envelope on each voice of my JUCE Synthesiser. How do I add it to the SynthesiserVoice?",
])
def test_one_artifact_with_many_features_is_still_answered_directly(question):
    a = RULES.analyze(question, {})
    assert (a.decompose, a.primary_role, a.steps) == (False, Role.CODER, [PlanStep.ANSWER])


def test_a_build_named_as_a_noun_is_a_usage_question_not_a_system_to_build():
    a = RULES.analyze("I exported my Faust synth as a JUCE project from the online editor. What do I need to "
                      "change in the .jucer file to get a VST3 build?", {})
    assert (a.decompose, a.primary_role) == (False, Role.CODER) and a.complexity <= 5


@pytest.mark.parametrize("question, role", [
    ("How do I tell the faust2max6 script where the Max SDK lives? It fails with 'ext.h' file not found.", Role.CODER),
    ("What do I need to change in the Projucer file to get a VST3 build?", Role.CODER),
    ("Is this a JUCE bug with choice parameters in VST3, or am I saving the state wrong?", Role.REASONING),
    ("Should I cache the APVTS state in the constructor or queue the changes for the audio thread?", Role.REASONING),
    ("How do I derive the one-pole coefficient for a given time constant at any sample rate?", Role.MATH),
    ("My filter cutoff slider skews wrongly: what are the exact convertTo0to1 formulas for a log mapping?", Role.MATH),
    ("My granular engine pops when I move the position. How should the grain windows be overlapped and normalised "
     "so the summed output stays smooth?", Role.MATH),
    ("Write a real compressor in C++: detect the level, compute the gain from the existing knee curve, and smooth it "
     "with separate attack and release coefficients.", Role.CODER),
    ("My sampler keeps a raw pointer to the sample for the audio thread and a shared_ptr for ownership. Is this "
     "pattern safe, and how do I make sure a sample isn't freed while a voice still reads it?", Role.REASONING),
    ("My harmonizer clicks when its interval is automated in steps. Should the plugin itself handle stepped interval "
     "automation, and how would I make those jumps inaudible?", Role.REASONING),
    ("My synth's LFO routing lives in the PluginEditor and the voices read flags from it once per block. How should "
     "I restructure it so the processor owns the routing?", Role.REASONING),
    ("What's the simplest way to get tooltips working in my JUCE plugin editor?", Role.CODER),
    ("Is there a C++ API to list the functions the Faust libraries provide, or do I parse the .lib files myself?",
     Role.CODER),
    ("In my FM synth the fourth operator's feedback phase is scaled by the first operator's table length. How should "
     "the feedback phase scaling be fixed so it doesn't depend on other tables?", Role.CODER),
])
def test_the_ask_decides_the_role(question, role):
    assert RULES.analyze(question, {}).primary_role is role


def test_a_split_the_user_asks_for_gets_the_rules_skeleton():
    assert split_steps(LONG_BUG_REPORT, {}) == [PlanStep.REPRODUCE, PlanStep.HYPOTHESES, PlanStep.VERIFY, PlanStep.FIX]
    assert split_steps("Write a FAUST lowpass", {}) == [PlanStep.ALGORITHM_DESIGN, PlanStep.FAUST_IMPLEMENTATION]


def test_figures_on_the_real_validation_split_stay_where_they_were_tuned():
    """Floors a little under what the rules score on the validation split with its settled labels
    (role 0.85, MAE 0.94, split F1 0.75 on 5 split questions, none of the one-answer questions
    split), so losing a whole kind of question, or splitting the questions one answer settles,
    fails."""
    rows = load_real_questions("validation")
    analyses = [RULES.analyze(q.question, {}) for q in rows]
    role = statistics.fmean(a.primary_role is q.role for a, q in zip(analyses, rows))
    mae = statistics.fmean(abs(a.complexity - q.complexity) for a, q in zip(analyses, rows))
    single = [a.decompose for a, q in zip(analyses, rows) if not q.decompose]
    found = sum(a.decompose and q.decompose for a, q in zip(analyses, rows))
    split_f1 = 2 * found / (sum(a.decompose for a in analyses) + sum(q.decompose for q in rows))
    assert role >= 0.8 and mae <= 1.1 and split_f1 >= 0.5 and statistics.fmean(single) <= 0.03


@pytest.mark.parametrize("question", [
    "Automating the cutoff of my C++ filter plugin gives zipper noise. What's a good way to smooth the parameter per "
    "sample in the processor?",
    "How can faust2lv2 produce plugins whose URIs don't carry the default prefix?",
    "My delay recomputes its coefficients in the GUI callback and clicks. Should I move that into the audio callback "
    "and ramp the changes, and how?",
    "I'm building a mixer view on top of my JUCE engine. How do I read the current peak level of a channel from a "
    "timer callback to drive a meter?",
    "In my AUv3 extension, how do I find out the host's maximum frame count from inside the render block?",
    "The soundfile player in my sampler, so.sound(kit, 0).play(gain, gate), holds its last value once the sample "
    "ends. How should the player be changed to output silence after the end?",
])
def test_a_request_to_change_code_asked_as_a_good_way_or_a_how_is_for_the_coder(question):
    """Asked as "what's a good way to", "how can <the tool> do X", "should I ..., and how?": the
    answer is the code (issue 13, kind 1)."""
    assert RULES.analyze(question, {}).primary_role is Role.CODER


@pytest.mark.parametrize("question", [
    "My JUCE sampler drops notes when I switch presets while holding keys, in Bitwig and in Reaper. What in the voice "
    "handling or the preset/program loading could cause this?",
    "When I close and reopen my plugin's window in the host, only the generic editor comes back; the debugger shows a "
    "stale pointer to the old editor. Where is that pointer failing to be reset, and how should it be fixed?",
    "Standalone builds of my JUCE synth on Linux get prepareToPlay with zero output channels before the real layout "
    "arrives, which trips an assertion in my code. How should my processor cope with this, and what should the ALSA "
    "device code do?",
    "My plugin's web view stays blank on users' Linux machines but works on mine; I suspect a library that is only "
    "installed with the dev packages. How can I confirm this and ship something that works?",
    "Live can't MIDI-map any control of my JUCE effect, though automation works. Is MIDI learn something the plugin "
    "has to implement, or does the host limit it by plugin type?",
    "Would calling prepareToPlay again from the host's connection callback be safe, and how else can I detect that no "
    "key input is connected?",
    "Extra output buses of my VST3 synth only work if the host enables them in one order. How do the wrapper's "
    "layout negotiation and my isBusesLayoutSupported interact here, and how should I write the check?",
])
def test_a_bug_report_or_a_judgement_that_ends_in_how_to_fix_it_is_for_the_reasoning_model(question):
    """The fix follows from the diagnosis or the judgement the ask wants first (issue 13, kind 2)."""
    assert RULES.analyze(question, {}).primary_role is Role.REASONING


@pytest.mark.parametrize("question", [
    "Why do constant-power pan examples use left = sqrt(1 - p) and right = sqrt(p) rather than left = 1 - p?",
    "A comb filter I'm studying scales its feedback as g2 = g * (1 - g*g) before the delay line. Is that correct?",
    "What gain law should a stereo width control use for mid and side so the loudness stays about the same?",
    "What's the conversion from host tempo and a note division such as a dotted eighth to an LFO rate in Hz?",
])
def test_a_why_or_is_it_right_about_a_written_formula_and_a_gain_law_are_for_the_maths_model(question):
    """The answer is a derivation, not a judgement (issue 13, kind 3)."""
    assert RULES.analyze(question, {}).primary_role is Role.MATH


def test_a_faust_definition_is_code_not_a_formula():
    a = RULES.analyze("My Faust table is defined as wt = ba.time * 2.0 * ma.PI / 1024 : sin and is slow to build. "
                      "Can the compiler precompute it, or is there a better way to write the index?", {})
    assert a.primary_role is Role.REASONING


@pytest.mark.parametrize("question, role", [
    ("My JUCE arpeggiator keeps its notes in a MidiBuffer but they land late across processBlock calls. How do I "
     "compute the sample offset of each note inside the current block?", Role.CODER),
    ("My plugin's AudioProcessor exposes only normalized parameter values. Can you sketch getters for the "
     "normalized range and the mapping back to real units in the AU wrapper?", Role.CODER),
    ("How should the pole be computed from the sample rate for a 20 Hz DC blocker corner?", Role.MATH),
])
def test_a_computation_asked_of_a_juce_api_is_code_a_bare_one_is_maths(question, role):
    """"How do I compute X" about a JUCE or C++ API wants the code that computes it (issue 13,
    kind 4); the same words with no API around them want the formula."""
    assert RULES.analyze(question, {}).primary_role is role
