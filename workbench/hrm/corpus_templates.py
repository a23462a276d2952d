"""The phrasings and vocabulary the HRM corpus is rendered from (`corpus.py` renders and
labels them).

Every template is one phrasing of one intent on one platform (or on a random one, `any`),
with slots for the thing asked about, the clauses that add parts or constraints, and — for
the long ones — the context a real question carries (when it happens, what was tried). A
template is also the unit of the train/validation/test split, so each one must be a
genuinely different way of asking, not a reworded copy of another.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from workbench.domain import PlanStep, TaskType

S = PlanStep
T = TaskType

EFFECTS = [
    "biquad lowpass", "state variable filter", "moog ladder filter", "compressor", "brickwall limiter",
    "noise gate", "schroeder reverb", "fdn reverb", "plate reverb", "stereo delay", "ping-pong delay",
    "chorus", "flanger", "phaser", "tremolo", "ring modulator", "wavefolder", "tube saturator", "bitcrusher",
    "pitch shifter", "granular delay", "wah filter", "parametric eq", "multiband compressor",
    "transient shaper", "de-esser", "karplus-strong string", "fm synth voice", "wavetable oscillator",
    "envelope follower", "vocoder", "auto-pan", "tape echo", "spring reverb", "overdrive",
]
FAUST_THINGS = [
    "si.smoo", "fi.lowpass", "re.mono_freeverb", "os.osc", "ba.db2linear", "de.fdelay", "en.adsr",
    "an.amp_follower", "co.compressor_mono", "ef.echo", "fi.resonlp", "hslider", "ma.SR", "ba.sAndH",
    "ro.interleave", "rdtable", "the ~ operator", "the <: split operator", "fi.tf2", "os.lf_saw",
]
JUCE_THINGS = [
    "AudioProcessorValueTreeState", "SliderAttachment", "processBlock", "prepareToPlay", "AudioParameterFloat",
    "MidiBuffer", "dsp::ProcessorChain", "dsp::Oscillator", "AudioFormatReader", "LookAndFeel_V4",
    "AudioProcessorEditor", "dsp::IIR::Filter", "SmoothedValue", "AbstractFifo", "dsp::Convolution",
    "AudioPluginHost", "dsp::Oversampling", "ValueTree", "Synthesiser", "AudioDeviceManager",
]
SYMPTOMS = [
    "blows up", "goes silent", "crackles", "clicks on parameter changes", "outputs nan",
    "has a growing dc offset", "distorts at low volume", "drifts out of tune", "sounds metallic",
    "pumps", "aliases badly", "produces zipper noise",
]
HOSTS = ["ableton", "logic", "reaper", "bitwig", "cubase", "fl studio", "pro tools"]
MATH_TOPICS = [
    "the bilinear transform of a one-pole lowpass", "the frequency response of a feedback comb filter",
    "the impulse response of a biquad", "the pole radius for a given decay time",
    "the cutoff warping of the bilinear transform", "the group delay of a first order allpass",
    "the energy decay of a feedback delay network", "the stability region of a biquad",
    "the z-transform of a leaky integrator", "the aliasing of a naive sawtooth",
    "the coefficients of a butterworth lowpass", "the step response of a one-pole smoother",
]
PHYSICAL = [
    "a plucked string", "a struck membrane", "a mass-spring-damper", "a tube resonator", "a bowed string",
    "a spring reverb tank", "a metal plate", "a marimba bar", "a clarinet bore", "a room with parallel walls",
]


@dataclass(frozen=True)
class Extra:
    """An optional clause a template can add, and what it changes in the labels."""

    text: str
    complexity: int = 1
    domains: tuple[TaskType, ...] = ()
    steps: tuple[PlanStep, ...] = ()
    part: bool = False  # a thing asked for (the engine counts parts), not a constraint


CONSTRAINTS = [
    Extra("that stays under 2% cpu", 1, (T.PERFORMANCE,)),
    Extra("with no allocations on the audio thread", 1, (T.PERFORMANCE,)),
    Extra("and explain the math behind it", 1, (T.MATH,)),
    Extra("with sample accurate automation", 1),
    Extra("that works at any sample rate", 1),
    Extra("with zero added latency", 1, (T.PERFORMANCE,)),
]
JUCE_PARTS = [
    Extra("a custom gui", 1, (), (S.GUI,), True),
    Extra("a resizable editor", 1, (), (S.GUI,), True),
    Extra("presets", 1, (), (), True),
    Extra("a cmake build for vst3 and au", 1, (), (S.BUILD_CONFIGURATION,), True),
    Extra("midi input", 1, (), (), True),
    Extra("sidechain input", 1, (), (), True),
    Extra("a level meter", 1, (), (S.GUI,), True),
    Extra("oversampling", 1, (), (), True),
]


ANY_PLATFORM = "any"  # a template rendered on a random code platform, named by one of its words
PLATFORM_WORDS = {
    "faust": ["faust", "FAUST", "Faust", "faust .dsp"], "juce": ["juce", "JUCE", "JUCE plugin", "Juce"],
    "cpp": ["c++", "C++", "cpp", "modern C++"], "python": ["python", "Python", "numpy", "python/scipy"],
}


@dataclass(frozen=True)
class Template:
    """A phrasing with slots; `{x}` is filled from `slot`, `{extras}` from `extras`."""

    name: str
    intent: str
    platform: str
    text: str
    slot: list[str]
    extras: list[Extra] = field(default_factory=list)
    max_extras: int = 0
    scope: int = 0  # the engine's scope words ("complete", "from scratch") when building
    items: int = 1  # above 1: `{x}` is an enumeration of 2..items entries of `slot`, each a part


TEMPLATES = [
    Template("faust-write-simple", "snippet", "faust", "write a faust {x}", EFFECTS),
    Template("faust-give-code", "snippet", "faust", "give me faust code for a {x} with a few sliders", EFFECTS),
    Template("faust-quick", "snippet", "faust", "quick faust {x} please, nothing fancy", EFFECTS),
    Template("faust-design", "build", "faust", "design and implement a {x} in faust{extras}", EFFECTS, CONSTRAINTS, 2),
    Template("faust-full", "build", "faust", "i need a complete, tested faust {x}{extras}", EFFECTS, CONSTRAINTS, 2, 2),
    Template("faust-explain", "explain", "faust", "what does {x} do in faust", FAUST_THINGS),
    Template("faust-explain2", "explain", "faust", "can you explain how {x} works in faust", FAUST_THINGS),
    Template("faust-port", "port", "faust", "port this c++ {x} to faust{extras}", EFFECTS, CONSTRAINTS, 1),
    Template("faust-port2", "port", "faust", "translate my matlab {x} into faust{extras}", EFFECTS, CONSTRAINTS, 1),
    Template("faust-debug", "debug", "faust", "my faust {x} {y}", EFFECTS),
    Template("faust-debug2", "debug", "faust", "why does the {x} i wrote in faust {y_base}", EFFECTS),
    Template("faust-perf", "perf", "faust", "make my faust {x} use less cpu{extras}", EFFECTS, CONSTRAINTS[:2], 1),
    Template("juce-explain", "explain", "juce", "what is {x} for in juce", JUCE_THINGS),
    Template("juce-explain2", "explain", "juce", "how does juce's {x} work", JUCE_THINGS),
    Template("juce-snippet", "snippet", "juce", "show me a short juce example using {x}", JUCE_THINGS),
    Template("juce-snippet2", "snippet", "juce", "juce code snippet for {x}", JUCE_THINGS),
    Template("juce-plugin", "build", "juce", "build a juce {x} plugin with {parts}", EFFECTS, JUCE_PARTS, 3),
    Template("juce-plugin2", "build", "juce", "create a complete juce {x} plugin that has {parts}", EFFECTS, JUCE_PARTS, 3, 1),
    Template("juce-debug", "debug", "juce", "my juce {x} plugin {y} in {host}", EFFECTS),
    Template("juce-debug2", "debug", "juce", "processBlock in my {x} plugin {y_base} when the editor is open", EFFECTS),
    Template("juce-perf", "perf", "juce", "optimize the processBlock of my juce {x}{extras}", EFFECTS, CONSTRAINTS[:2], 1),
    Template("juce-arch", "arch", "juce", "how should i structure a juce {x} plugin{extras}", EFFECTS, CONSTRAINTS, 1),
    Template("fj-wrap", "build", "faust_juce", "wrap my faust {x} in a juce plugin{extras}", EFFECTS, CONSTRAINTS, 1),
    Template("fj-embed", "build", "faust_juce", "embed the faust generated {x} in a juce plugin with {parts}", EFFECTS, JUCE_PARTS, 2),
    Template("fj-arch", "arch", "faust_juce", "should the {x} in my juce plugin be written in faust or c++", EFFECTS),
    Template("fj-debug", "debug", "faust_juce", "my faust {x} inside a juce plugin {y}", EFFECTS),
    Template("cpp-impl", "build", "cpp", "implement a real time c++ {x} class{extras}", EFFECTS, CONSTRAINTS, 2),
    Template("cpp-snippet", "snippet", "cpp", "small c++ function for a {x}", EFFECTS),
    Template("py-plot", "snippet", "python", "python script to plot the response of a {x}", EFFECTS),
    Template("py-tool", "build", "python", "write a python tool that renders a {x} and checks it against a reference{extras}", EFFECTS, CONSTRAINTS[2:3], 1),
    Template("py-analyze", "snippet", "python", "python code with numpy to analyze the output of my {x}", EFFECTS),
    Template("py-prototype", "build", "python", "prototype a {x} in python before porting it{extras}", EFFECTS, CONSTRAINTS, 1),
    Template("py-notebook", "snippet", "python", "a python notebook cell that plots the {x} test render", EFFECTS),
    Template("math-derive", "derive", "none", "derive {x}", MATH_TOPICS),
    Template("math-derive2", "derive", "none", "walk me through the derivation of {x} step by step", MATH_TOPICS),
    Template("math-quick", "mathq", "none", "what is the formula for {x}", MATH_TOPICS),
    Template("physics-model", "physics", "none", "model {x} physically for a synth", PHYSICAL),
    Template("physics-faust", "physics", "faust", "build a physical model of {x} in faust", PHYSICAL),
    Template("plan-project", "plan", "none", "plan a project to build a {x} from scratch", EFFECTS),
    Template("plan-juce", "plan", "juce", "plan the development and release of a juce {x} plugin", EFFECTS),
    Template("arch-general", "arch", "none", "architecture advice for a {x} that must run on plugin and hardware targets", EFFECTS),
    # other phrasings of the same intents, so the network learns words rather than templates
    Template("faust-howto", "snippet", "faust", "How do I make a {x} in FAUST?", EFFECTS),
    Template("faust-simple", "snippet", "faust", "simple {x} in Faust, just the process line", EFFECTS),
    Template("faust-lib", "explain", "faust", "which faust library function should i use for {x}?", FAUST_THINGS),
    Template("faust-use", "snippet", "faust", "example of using {x} in a FAUST program", FAUST_THINGS),
    Template("faust-engine", "build", "faust", "Write a production-ready {x} engine in FAUST{extras}", EFFECTS, CONSTRAINTS, 2, 2),
    Template("faust-nan", "debug", "faust", "{X} in FAUST {y} when i push the feedback, any idea why?", EFFECTS),
    Template("juce-howto", "snippet", "juce", "How can I use {x} in my JUCE plugin?", JUCE_THINGS),
    Template("juce-what", "explain", "juce", "Whats the point of {x} in JUCE, when do i need it", JUCE_THINGS),
    Template("juce-crash", "debug", "juce", "my plugin crashes in {host} after i added {x}", JUCE_THINGS),
    Template("juce-make", "build", "juce", "Make a {x} VST3 plugin in JUCE with {parts}", EFFECTS, JUCE_PARTS, 3),
    Template("juce-cpu", "perf", "juce", "processBlock of my JUCE {x} takes too much CPU{extras}", EFFECTS, CONSTRAINTS[:2], 1),
    Template("fj-faust2juce", "build", "faust_juce", "turn my FAUST {x} into a JUCE plugin with {parts}", EFFECTS, JUCE_PARTS, 2),
    Template("fj-combine", "build", "faust_juce", "combine a faust {x} dsp with a JUCE editor{extras}", EFFECTS, CONSTRAINTS, 1),
    Template("cpp-class", "snippet", "cpp", "C++ class for a {x}, header only", EFFECTS),
    Template("cpp-bug", "debug", "cpp", "my c++ {x} {y} after i moved it to a std::vector", EFFECTS),
    Template("cpp-fast", "perf", "cpp", "speed up my c++ {x} inner loop with SIMD{extras}", EFFECTS, CONSTRAINTS[:2], 1),
    Template("py-scipy", "snippet", "python", "use scipy.signal to design a {x} and plot it", EFFECTS),
    Template("py-test", "snippet", "python", "pytest for the output of my {x} render", EFFECTS),
    Template("math-calc", "mathq", "none", "calculate {x} for me", MATH_TOPICS),
    Template("math-prove", "derive", "none", "prove {x} mathematically", MATH_TOPICS),
    Template("physics-eq", "physics", "none", "what are the physics equations behind {x}", PHYSICAL),
    Template("physics-juce", "physics", "juce", "a physical model of {x} as a JUCE synth", PHYSICAL),
    Template("plan-roadmap", "plan", "none", "roadmap for shipping a {x} product, what order should we do things", EFFECTS),
    Template("arch-choice", "arch", "none", "what architecture would you pick for a {x} engine shared by desktop and embedded", EFFECTS),
    Template("general-chat", "chat", "none", "thanks, and what do you think about {x} in general", EFFECTS),
    # one phrasing on every platform: the platform word, not the phrasing, must decide the domain
    Template("any-write", "snippet", ANY_PLATFORM, "write a {p} {x} for me", EFFECTS),
    Template("any-should", "snippet", ANY_PLATFORM, "which {p} code should i use for a {x}?", EFFECTS),
    Template("any-howdo", "snippet", ANY_PLATFORM, "how do i do a {x} in {p}", EFFECTS),
    Template("any-whatis", "explain", ANY_PLATFORM, "is a {x} hard to get right in {p}? what matters", EFFECTS),
    Template("any-broken", "debug", ANY_PLATFORM, "the {x} i wrote in {p} {y}", EFFECTS),
    Template("any-fix", "quickfix", ANY_PLATFORM, "quick fix: {p} {x} {y}", EFFECTS),
    Template("any-build", "build", ANY_PLATFORM, "implement a full {x} in {p}{extras}", EFFECTS, CONSTRAINTS, 2, 1),
    Template("any-faster", "perf", ANY_PLATFORM, "my {p} {x} is too slow{extras}", EFFECTS, CONSTRAINTS[:2], 1),
    Template("any-design", "arch", ANY_PLATFORM, "how would you structure the code of a {p} {x}{extras}", EFFECTS, CONSTRAINTS, 1),
    Template("any-derive", "derive", ANY_PLATFORM, "derive the math of a {x} before i code it in {p}", EFFECTS),
]


# ------------------------------------------------------------------ long and enumerated questions

# Things a request can list ("with an eq, a compressor and a gate"): each one is a part.
MODULES = [
    "an eq", "a compressor", "a noise gate", "a limiter", "a de-esser", "a reverb", "a stereo delay", "a chorus",
    "an lfo", "an adsr envelope", "two detuned saw oscillators", "a resonant lowpass filter", "a level meter",
    "a tuner", "a looper", "a spectrum analyzer", "tempo sync", "a pitch shifter", "a transient shaper",
    "a saturation stage", "a sub oscillator", "a noise generator", "a wavefolder", "a phaser",
]
MEASUREMENTS = [
    "the thd", "the noise floor", "the frequency response", "the latency", "the phase response",
    "the crest factor", "the dc offset", "the loudness in lufs",
]
# Openers that carry no task information; they only make a question longer, as real ones are.
OPENERS = [
    "Hi!", "Quick question.", "I'm fairly new to audio programming.", "Sorry if this is obvious.",
    "I've been stuck on this all afternoon.", "This is for a university project.", "Hello, long time lurker here.",
    "Beginner here, please be patient.", "I hope this is the right place to ask.", "Thanks in advance for any help.",
]
WHEN = [
    "only at 96 kHz", "when the buffer size is 32 samples", "after about ten seconds of playback",
    "only in the release build", "when I automate the cutoff quickly", "as soon as two instances are loaded",
    "only on the first note", "when the input has been silent for a while",
]
TRIED = [
    "clamping the feedback gain", "adding a dc blocker", "smoothing every parameter", "a bigger buffer size",
    "another host", "flushing denormals to zero", "rebuilding everything from scratch",
]
ASK = [
    "What could cause this?", "How do I track it down?", "Where should I look first?", "Any idea what is going on?",
    "How would you debug this?",
]
ASK_PERF = ["How do I make it faster?", "What should I optimize first?", "Where is the time going and how do I fix it?"]
HOT = [
    "the filter coefficient updates", "the delay line interpolation", "std::sin calls", "the parameter smoothing",
    "memory allocation", "the oversampling filters",
]

TEMPLATES += [
    # enumerations: the number of things listed is what the labels follow
    Template("faust-strip", "build", "faust", "build a faust channel strip with {x}", MODULES, items=5),
    Template("faust-voice", "build", "faust", "write a FAUST synth voice with {x}{extras}", MODULES, CONSTRAINTS, 1, items=4),
    Template("faust-oneliners", "snippet", "faust", "give me short faust examples of {x}", MODULES, items=3),
    Template("juce-combo", "build", "juce", "Create a JUCE plugin that combines {x}", MODULES, items=5),
    Template("juce-vst-list", "build", "juce", "I need a VST3 plugin in JUCE with {x}, plus {parts}", MODULES, JUCE_PARTS, 2, items=3),
    Template("fj-multi", "build", "faust_juce", "Build a multi-effect with FAUST for the DSP ({x}) and JUCE for the GUI", MODULES, items=4),
    Template("any-rack", "build", ANY_PLATFORM, "an effect rack in {p}: {x}", MODULES, items=5),
    Template("cpp-engine", "build", "cpp", "design a c++ audio engine with {x}", MODULES, items=4),
    Template("py-measure", "build", "python", "write a python script that measures {x} of my dsp's output", MEASUREMENTS, items=4),
    Template("math-several", "derive", "none", "derive {x}", MATH_TOPICS, items=3),
    # long questions with the context real ones carry
    Template("long-debug", "debug", ANY_PLATFORM, "My {p} {x} {y}. It happens {when}. I already tried {tried}. {ask}", EFFECTS),
    Template("long-debug2", "debug", ANY_PLATFORM, "the {x} I wrote in {p} {y} {when}, even though I tried {tried}. {ask}", EFFECTS),
    Template("long-debug-juce", "debug", "juce", "My JUCE {x} plugin {y} {when} in {host}, but only after loading a preset. I tried {tried} and it still happens. {ask}", EFFECTS),
    Template("long-debug-fj", "debug", "faust_juce", "I compiled my faust {x} with faust2juce and the plugin {y} {when}. The same dsp sounds fine in faustide. {ask}", EFFECTS),
    Template("long-perf", "perf", ANY_PLATFORM, "My {p} {x} uses {cpu}% CPU at {buf} samples on my laptop and I need it much lower{extras}. Profiling shows most of the time in {hot}. {ask_perf}", EFFECTS, CONSTRAINTS[:2], 1),
    Template("long-arch", "arch", ANY_PLATFORM, "We are starting a {x} product that has to run as a desktop plugin and on an embedded board{extras}. The team knows {p} well. How should we structure the code so the dsp is shared?", EFFECTS, CONSTRAINTS, 1),
    Template("long-plan", "plan", "juce", "We have three months and two developers to ship a JUCE {x} plugin for mac and windows. What should the plan look like, and what should we cut if we run late?", EFFECTS),
    Template("long-explain", "explain", "faust", "I read the faust manual twice but I still don't get how {x} works, especially when it is combined with recursion. Can you explain it?", FAUST_THINGS),
    Template("long-snippet-juce", "snippet", "juce", "In my JUCE plugin I keep a gain parameter in the value tree state and I want to read it safely on the audio thread. Show me a short example using {x}.", JUCE_THINGS),
    # FAUST and JUCE together, said the way people say it
    Template("fj-split-roles", "build", "faust_juce", "use FAUST for the {x} dsp and JUCE for the editor with {parts}", EFFECTS, JUCE_PARTS, 2),
    Template("fj-generated", "build", "faust_juce", "a JUCE plugin whose {x} processing is generated by faust2juce{extras}", EFFECTS, CONSTRAINTS, 1),
    Template("fj-map", "snippet", "faust_juce", "how do i map the hsliders of my faust {x} to apvts parameters in juce", EFFECTS),
]
