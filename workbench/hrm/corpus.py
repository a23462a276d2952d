"""The labelled question corpus the HRM network is trained and measured on.

Two sources, both written by the project: hand-written questions (`data/seeds.txt`, one
section per intent and platform) and systematic variation (templates × components ×
constraints below). Every label follows from the structure of the example — its intent,
its platform, the components and constraints a template slotted in — and never from the
rule engine, so comparing the two is fair. The labels follow `../shared/LABELLING.md` as
the engine reads it (complexity from the kind of work, only a system across FAUST and JUCE
split, FAUST + JUCE as two domains), the definition the real-question corpus is labelled by.

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
    """What a question asks for: its own domains, role and base complexity."""

    domains: tuple[TaskType, ...]
    role: Role
    complexity: int


S = PlanStep
T = TaskType
_ANSWER = (S.ANSWER,)
# Base complexity by the work a good answer takes (`../shared/LABELLING.md`, and the rule
# engine's table in workbench/decompose/analyze.py): 2-3 one fact, call or snippet; 4 one
# artifact; 5 a diagnosis, a decision or a derivation; a system (build across FAUST and JUCE) 7.
INTENTS: dict[str, Intent] = {
    "chat": Intent((T.GENERAL,), Role.REASONING, 2),
    "explain": Intent((), Role.REASONING, 3),
    "mathq": Intent((T.MATH,), Role.MATH, 3),
    "snippet": Intent((), Role.CODER, 3),
    "quickfix": Intent((T.DEBUGGING,), Role.CODER, 3),
    "port": Intent((), Role.CODER, 4),
    "debug": Intent((T.DEBUGGING,), Role.REASONING, 5),
    "derive": Intent((T.MATH,), Role.MATH, 5),
    "build": Intent((), Role.CODER, 4),
    "perf": Intent((T.PERFORMANCE,), Role.REASONING, 5),
    "arch": Intent((T.ARCHITECTURE,), Role.REASONING, 5),
    "plan": Intent((T.PLANNING,), Role.REASONING, 5),
    "physics": Intent((T.PHYSICS, T.MATH), Role.MATH, 5),
}
# FAUST inside JUCE is labelled as both frameworks, as the engine and the labelled set do.
PLATFORM_DOMAINS: dict[str, tuple[TaskType, ...]] = {
    "faust": (T.FAUST,), "juce": (T.JUCE,), "cpp": (T.CPP,), "python": (T.PYTHON,),
    "faust_juce": (T.FAUST, T.JUCE), "none": (),
}
# The plan of a system: FAUST DSP and its JUCE host, designed together; a GUI, presets or an
# optimization only where the question asks for them (its extras add those steps), as the rules plan it.
SYSTEM_STEPS = (S.SYSTEM_DESIGN, S.FAUST_DSP, S.JUCE_INTEGRATION)
_BUILDS = {"build", "port"}
_SHORTENED = {"chat", "explain", "mathq", "snippet", "quickfix", "debug", "perf", "arch", "plan"}
SHORT_WORDS = 15
_WORD = re.compile(r"\w+")


def is_system(intent_name: str, platform: str) -> bool:
    """Something to build across two code frameworks: the only questions that are split."""
    return intent_name in _BUILDS and platform == "faust_juce"


def label(
    intent_name: str, platform: str, *, extra_domains: tuple[TaskType, ...] = (),
    add_steps: tuple[PlanStep, ...] = (), drop_steps: tuple[PlanStep, ...] = (), parts: int = 0,
    constraints: int = 0, scope: int = 0, words: int = 0, fixed_complexity: int | None = None,
) -> tuple[tuple[TaskType, ...], Role, int, tuple[PlanStep, ...]]:
    """The labels of an example from its structure: (domains, role, complexity, steps).

    `parts` counts the things asked for (a slotted effect, a GUI, presets...), `constraints`
    the clauses that make one artifact harder (no allocations, any sample rate), `scope` the
    template's scope words, `words` the question's length (only a short question of a few
    words is easier; length is not complexity). Only a system is split; every other question
    gets the single step ANSWER, however many parts it lists.
    """
    if intent_name not in INTENTS:
        raise ValueError(f"unknown intent {intent_name!r}: use one of {', '.join(INTENTS)}")
    if platform not in PLATFORM_DOMAINS:
        raise ValueError(f"unknown platform {platform!r}: use one of {', '.join(PLATFORM_DOMAINS)}")
    intent = INTENTS[intent_name]
    domains = _unique(intent.domains + PLATFORM_DOMAINS[platform] + extra_domains) or (T.GENERAL,)
    system = is_system(intent_name, platform)
    if system:
        complexity = 7 + int(scope > 0) + int(parts >= 3)
    elif intent_name in _BUILDS:
        complexity = intent.complexity + int(constraints > 0 or parts >= 4)
    else:
        complexity = intent.complexity - int(intent_name in _SHORTENED and 0 < words <= SHORT_WORDS)
    complexity = max(1, min(10, fixed_complexity or complexity))
    if not system:
        return domains, intent.role, complexity, _ANSWER
    steps = tuple(s for s in _unique(SYSTEM_STEPS + add_steps) if s not in drop_steps and s is not S.ANSWER)
    return domains, intent.role, complexity, steps or SYSTEM_STEPS


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
            intent, platform, **kwargs, parts=len(kwargs["add_steps"]) + 1, words=len(_WORD.findall(query)),
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
    parts = (count if template.items > 1 else int(template.slot is EFFECTS)) + sum(e.part for e in chosen)
    domains, role, complexity, steps = label(
        template.intent, platform,
        extra_domains=tuple(d for e in chosen for d in e.domains),
        add_steps=tuple(s for e in chosen for s in e.steps),
        parts=parts, constraints=sum(not e.part for e in chosen), scope=template.scope,
        words=len(_WORD.findall(text)),
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
