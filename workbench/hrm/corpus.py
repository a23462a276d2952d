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
from dataclasses import dataclass
from pathlib import Path

from workbench.domain import PlanStep, Role, TaskType
from workbench.hrm.corpus_templates import (
    ANY_PLATFORM, ASK, ASK_PERF, EFFECTS, HOSTS, HOT, OPENERS, PLATFORM_WORDS, SYMPTOMS, TEMPLATES, TRIED, WHEN,
    Template,
)

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

OPENER_RATE = 0.25  # share of rendered questions that start with an opener sentence


def _render(template: Template, rng: random.Random) -> Example:
    platform = rng.choice(list(PLATFORM_WORDS)) if template.platform == ANY_PLATFORM else template.platform
    count = rng.randint(2, template.items) if template.items > 1 else 1
    x = _enumeration(rng.sample(template.slot, count))
    symptom = rng.choice(SYMPTOMS)
    chosen = rng.sample(template.extras, rng.randint(0 if "{extras}" in template.text else 1, template.max_extras)) \
        if template.extras else []
    text = template.text.format(
        x=x, X=x.capitalize(), p=rng.choice(PLATFORM_WORDS.get(platform, [""])), y=symptom, y_base=_base_form(symptom),
        host=rng.choice(HOSTS), extras="".join(" " + e.text for e in chosen),
        parts=_enumeration([e.text for e in chosen]), when=rng.choice(WHEN), tried=rng.choice(TRIED),
        ask=rng.choice(ASK), ask_perf=rng.choice(ASK_PERF), hot=rng.choice(HOT), cpu=rng.choice(["35", "50", "70", "90"]),
        buf=rng.choice(["32", "64", "128"]),
    )
    if rng.random() < OPENER_RATE:
        text = f"{rng.choice(OPENERS)} {text[0].upper()}{text[1:]}"
    # the engine's points: +1 per part beyond the first (at most 4), plus each constraint's own
    parts = (count if template.items > 1 else int(template.slot is EFFECTS)) + sum(e.part for e in chosen)
    domains, role, complexity, steps = label(
        template.intent, platform,
        extra_domains=tuple(d for e in chosen for d in e.domains),
        add_steps=tuple(s for e in chosen for s in e.steps),
        complexity_delta=min(4, max(0, parts - 1)) + sum(e.complexity for e in chosen if not e.part) + template.scope,
        parts=parts, words=len(_WORD.findall(text)),
    )
    return Example(text, domains, role, complexity, steps, f"template:{template.name}", "template")


def _enumeration(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return ", ".join(items[:-1]) + (" and " if len(items) > 1 else "") + (items[-1] if items else "")


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
