"""The labelled question corpus the HRM network is trained and measured on.

Two sources, both written by the project: hand-written questions (`data/seeds.txt`, one
section per intent and platform) and systematic variation (templates × components ×
constraints below). Every label follows from the structure of the example — its intent,
its platform, the components and constraints a template slotted in — and never from the
rule engine, so comparing the two is fair. The labels follow the engine's documented
conventions (its complexity points and split bands, FAUST + JUCE as two domains), so both
are measured against the same definition of the task.

Splits are fixed and leak-free: a whole template, or a whole hand-written line, lands in
exactly one of train / val / test (by a stable hash of its group name).
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from workbench.domain import PlanStep, Role, TaskType

SEEDS_FILE = Path(__file__).parent / "data" / "seeds.txt"
SPLITS = ("train", "val", "test")


@dataclass(frozen=True)
class Example:
    """One labelled question; `group` is what the split is decided by."""

    query: str
    domains: tuple[TaskType, ...]
    role: Role
    complexity: int
    steps: tuple[PlanStep, ...]
    group: str
    source: str  # "seed" | "template" | "feedback"

    @property
    def decompose(self) -> bool:
        return self.steps != (PlanStep.ANSWER,)


@dataclass(frozen=True)
class Intent:
    """What a question asks for: its own domains, role, base complexity, plan steps."""

    domains: tuple[TaskType, ...]
    role: Role
    complexity: int
    steps: tuple[PlanStep, ...] | None  # None: the platform's build steps


S = PlanStep
T = TaskType
_ANSWER = (S.ANSWER,)
# Base complexity in the decomposition engine's points (workbench/decompose/analyze.py):
# 1 base, +1 when something is to be built; what a question adds on top comes from its
# platform, its slotted parts and constraints, and its length.
INTENTS: dict[str, Intent] = {
    "chat": Intent((T.GENERAL,), Role.REASONING, 1, _ANSWER),
    "explain": Intent((), Role.REASONING, 2, _ANSWER),
    "mathq": Intent((T.MATH,), Role.MATH, 2, _ANSWER),
    "snippet": Intent((), Role.CODER, 2, _ANSWER),
    "quickfix": Intent((T.DEBUGGING,), Role.CODER, 2, _ANSWER),
    "port": Intent((), Role.CODER, 3, None),
    "debug": Intent((T.DEBUGGING,), Role.REASONING, 2, (S.REPRODUCE, S.HYPOTHESES, S.VERIFY, S.FIX)),
    "derive": Intent((T.MATH,), Role.MATH, 3, (S.MODEL_FORMULATION, S.DERIVATION, S.NUMERICAL_CHECK)),
    "build": Intent((), Role.CODER, 3, None),
    "perf": Intent((T.PERFORMANCE,), Role.CODER, 3, (S.PROFILE, S.BOTTLENECKS, S.CHANGES, S.MEASURE)),
    "arch": Intent((T.ARCHITECTURE,), Role.REASONING, 3, (S.CONSTRAINTS, S.OPTIONS, S.TRADE_OFFS, S.RECOMMENDATION)),
    "plan": Intent((T.PLANNING,), Role.REASONING, 4, (S.CONSTRAINTS, S.OPTIONS, S.TRADE_OFFS, S.RECOMMENDATION)),
    "physics": Intent(
        (T.PHYSICS, T.MATH), Role.MATH, 4, (S.MODEL_FORMULATION, S.DERIVATION, S.NUMERICAL_CHECK, S.IMPLEMENTATION)
    ),
}
# FAUST inside JUCE is labelled as both frameworks, as the engine and the labelled set do.
PLATFORM_DOMAINS: dict[str, tuple[TaskType, ...]] = {
    "faust": (T.FAUST,), "juce": (T.JUCE,), "cpp": (T.CPP,), "python": (T.PYTHON,),
    "faust_juce": (T.FAUST, T.JUCE), "none": (),
}
# The engine's plan skeletons for building on each platform.
BUILD_STEPS: dict[str, tuple[PlanStep, ...]] = {
    "faust": (S.ALGORITHM_DESIGN, S.FAUST_IMPLEMENTATION, S.FAUST_TESTING),
    "juce": (S.PLUGIN_ARCHITECTURE, S.PARAMETERS, S.AUDIO_PROCESSING, S.INTEGRATION),
    "faust_juce": (S.SYSTEM_DESIGN, S.FAUST_DSP, S.JUCE_INTEGRATION, S.OPTIMIZATION),
    "cpp": (S.SYSTEM_DESIGN, S.IMPLEMENTATION, S.TESTING), "python": (S.SYSTEM_DESIGN, S.IMPLEMENTATION, S.TESTING),
    "none": (S.SYSTEM_DESIGN, S.IMPLEMENTATION, S.TESTING),
}
# Two code frameworks meeting is two points in the engine's complexity.
_PLATFORM_BONUS = {"faust_juce": 2}
_CODE_DOMAINS = {T.FAUST, T.JUCE, T.CPP, T.PYTHON}
_INVESTIGATIONS = {"debug", "perf", "arch", "plan"}
_WORD = re.compile(r"\w+")


def length_points(intent_name: str, words: int) -> int:
    """The engine's length points: an investigation of 25+ words, and 40+ / 80+ words."""
    return int(intent_name in _INVESTIGATIONS and words >= 25) + (2 if words > 80 else 1 if words > 40 else 0)


def should_split(intent_name: str, domains: tuple[TaskType, ...], complexity: int, parts: int, words: int) -> bool:
    """The engine's documented bands: 1-3 direct; 4-5 split only with several parts, several
    code domains (or code and maths) or a long investigation; 6 and up split."""
    if complexity >= 6:
        return True
    if complexity <= 3:
        return False
    code = [d for d in domains if d in _CODE_DOMAINS]
    several = len(code) >= 2 or (bool(code) and bool({T.MATH, T.PHYSICS} & set(domains)))
    return parts >= 2 or several or (intent_name in _INVESTIGATIONS and words >= 25)


def label(
    intent_name: str, platform: str, *, extra_domains: tuple[TaskType, ...] = (),
    add_steps: tuple[PlanStep, ...] = (), drop_steps: tuple[PlanStep, ...] = (), complexity_delta: int = 0,
    parts: int = 0, words: int = 0, fixed_complexity: int | None = None,
) -> tuple[tuple[TaskType, ...], Role, int, tuple[PlanStep, ...]]:
    """The labels of an example from its structure: (domains, role, complexity, steps).

    `parts` counts the things asked for (a slotted effect, a GUI, presets...), `words` the
    question's length; a question that is not split gets the single step ANSWER.
    """
    if intent_name not in INTENTS:
        raise ValueError(f"unknown intent {intent_name!r}: use one of {', '.join(INTENTS)}")
    if platform not in PLATFORM_DOMAINS:
        raise ValueError(f"unknown platform {platform!r}: use one of {', '.join(PLATFORM_DOMAINS)}")
    intent = INTENTS[intent_name]
    domains = _unique(intent.domains + PLATFORM_DOMAINS[platform] + extra_domains) or (T.GENERAL,)
    complexity = fixed_complexity or (
        intent.complexity + _PLATFORM_BONUS.get(platform, 0) + complexity_delta + length_points(intent_name, words)
    )
    complexity = max(1, min(10, complexity))
    if not should_split(intent_name, domains, complexity, parts, words):
        return domains, intent.role, complexity, _ANSWER
    steps = intent.steps if intent.steps is not None else BUILD_STEPS[platform]
    steps = tuple(s for s in _unique(steps + add_steps) if s not in drop_steps and s is not S.ANSWER)
    return domains, intent.role, complexity, steps or BUILD_STEPS[platform]


def _unique(items: tuple) -> tuple:
    return tuple(dict.fromkeys(items))


# ------------------------------------------------------------------ hand-written seeds


def load_seeds(path: Path = SEEDS_FILE) -> list[Example]:
    """Parse `seeds.txt`: `[intent platform]` headers, one question a line, ` ||` modifiers."""
    examples: list[Example] = []
    intent = platform = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            intent, platform = line.strip("[]").split()
            continue
        if intent is None:
            raise ValueError(f"{path}:{number}: a question before any [intent platform] header")
        query, _, modifiers = line.partition(" ||")
        kwargs = _parse_modifiers(modifiers.split(), f"{path}:{number}")
        fixed = kwargs.pop("complexity", None)
        query = query.strip()
        domains, role, complexity, steps = label(
            intent, platform, **kwargs, parts=len(kwargs["add_steps"]), words=len(_WORD.findall(query)),
            fixed_complexity=fixed,
        )
        examples.append(Example(query, domains, role, complexity, steps, f"seed:{query}", "seed"))
    return examples


def _parse_modifiers(tokens: list[str], where: str) -> dict:
    add, drop, extra, fixed = [], [], [], None
    for token in tokens:
        try:
            if token.startswith("c"):
                fixed = int(token[1:])
            elif token.startswith("+domain:"):
                extra.append(TaskType(token.removeprefix("+domain:")))
            elif token.startswith("+"):
                add.append(PlanStep(token[1:]))
            elif token.startswith("-"):
                drop.append(PlanStep(token[1:]))
            else:
                raise ValueError(token)
        except ValueError as error:
            raise ValueError(f"{where}: bad modifier {token!r} ({error}); use cN, +step, -step or +domain:NAME") from None
    return {"add_steps": tuple(add), "drop_steps": tuple(drop), "extra_domains": tuple(extra), "complexity": fixed}


# ------------------------------------------------------------------ systematic variation

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


def _render(template: Template, rng: random.Random) -> Example:
    platform = rng.choice(list(PLATFORM_WORDS)) if template.platform == ANY_PLATFORM else template.platform
    x = rng.choice(template.slot)
    symptom = rng.choice(SYMPTOMS)
    chosen = rng.sample(template.extras, rng.randint(0 if "{extras}" in template.text else 1, template.max_extras)) \
        if template.extras else []
    text = template.text.format(
        x=x, X=x.capitalize(), p=rng.choice(PLATFORM_WORDS.get(platform, [""])), y=symptom, y_base=_base_form(symptom), host=rng.choice(HOSTS),
        extras="".join(" " + e.text for e in chosen),
        parts=", ".join(e.text for e in chosen[:-1]) + (" and " if len(chosen) > 1 else "") + (chosen[-1].text if chosen else ""),
    )
    domains, role, complexity, steps = label(
        template.intent, platform,
        extra_domains=tuple(d for e in chosen for d in e.domains),
        add_steps=tuple(s for e in chosen for s in e.steps),
        complexity_delta=sum(e.complexity for e in chosen) + template.scope,
        parts=int(template.slot is EFFECTS) + sum(e.part for e in chosen), words=len(_WORD.findall(text)),
    )
    return Example(text, domains, role, complexity, steps, f"template:{template.name}", "template")


def _base_form(symptom: str) -> str:
    """'blows up' -> 'blow up', 'has a ...' -> 'have a ...' (after 'why does ... ')."""
    verb, _, rest = symptom.partition(" ")
    verb = {"has": "have", "goes": "go", "aliases": "alias"}.get(verb, verb[:-1] if verb.endswith("s") else verb)
    return f"{verb} {rest}".strip()


def generate(per_template: int = 40, seed: int = 0) -> list[Example]:
    """The templated examples: `per_template` distinct renderings of each template."""
    rng = random.Random(seed)
    out: list[Example] = []
    for template in TEMPLATES:
        seen: set[str] = set()
        for _ in range(per_template * 5):
            example = _render(template, rng)
            if example.query not in seen:
                seen.add(example.query)
                out.append(example)
            if len(seen) == per_template:
                break
    return out


def split_of(group: str) -> str:
    """A stable 70/15/15 split by group name (template or seed line)."""
    bucket = int(hashlib.sha256(group.encode()).hexdigest(), 16) % 100
    return "train" if bucket < 70 else "val" if bucket < 85 else "test"


def build_corpus(per_template: int = 40, seed: int = 0) -> dict[str, list[Example]]:
    """The whole corpus in its fixed splits."""
    splits: dict[str, list[Example]] = {name: [] for name in SPLITS}
    for example in load_seeds() + generate(per_template, seed):
        splits[split_of(example.group)].append(example)
    return splits
