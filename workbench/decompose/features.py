"""Measurable features of a question: the evidence every rule-based decision cites.

`extract_features` is pure and fast (a fixed set of precompiled patterns over the text),
so the analyzer and the plan builder can both call it without caching.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from workbench.decompose.lexicon import (
    ASK_CODE,
    ASK_CODER,
    ASK_DECISION,
    ASK_GENERIC_FIX,
    ASK_COMPUTATION,
    ASK_MATH,
    ASK_REASONING,
    ASK_WHOLE_BUILD,
    GOAL_STATEMENT,
    SEQUENCED_WORK,
    SUB_QUESTION,
    BUILD_VERBS,
    CODE_VERBS,
    COMPONENTS,
    CONSTRAINT_TERMS,
    DOMAIN_TERMS,
    DSP_TERMS,
    EXPLAIN_PHRASES,
    FORMULA,
    IMPLIED_COMPONENTS,
    MATH_VERBS,
    NOMINAL_WORK,
    SCOPE_TERMS,
    SIMPLICITY_TERMS,
    TermSet,
    word_pattern,
)
from workbench.domain import TaskType

_DOMAIN_TERMS = {domain: TermSet(terms) for domain, terms in DOMAIN_TERMS.items()}
_DSP_TERMS = TermSet(DSP_TERMS)
_SCOPE_TERMS = TermSet(SCOPE_TERMS)
_COMPONENT_TERMS = TermSet({c.pattern: 1 for c in COMPONENTS})
_IMPLIED_TERMS = TermSet({p: 1 for p, _ in IMPLIED_COMPONENTS})
_CONSTRAINTS = word_pattern("|".join(CONSTRAINT_TERMS))
_SIMPLICITY = word_pattern(SIMPLICITY_TERMS)
_BUILD = word_pattern(BUILD_VERBS)
_EXPLAIN = word_pattern(EXPLAIN_PHRASES)
_HOW_TO = word_pattern(r"how (?:do|can) (?:i|we|you)|how to")
_MATH_VERB = word_pattern(MATH_VERBS)
_ASK_REASONING = word_pattern(ASK_REASONING)
_ASK_CODER = word_pattern(ASK_CODER)
_ASK_MATH = word_pattern(ASK_MATH)
_ASK_COMPUTATION = word_pattern(ASK_COMPUTATION)
_CODE_VERB = word_pattern(CODE_VERBS)  # the ask wants code written: a computation it names is part of it
_ASK_GENERIC_FIX = word_pattern(ASK_GENERIC_FIX)
_SUB_QUESTION = re.compile(SUB_QUESTION, re.IGNORECASE)
_SEQUENCED = word_pattern(SEQUENCED_WORK)
_GOAL = word_pattern(GOAL_STATEMENT)
_ASK_WHOLE_BUILD = word_pattern(ASK_WHOLE_BUILD)
_ASK_DECISION = word_pattern(ASK_DECISION)
_NOMINAL_WORK = word_pattern(NOMINAL_WORK)
_ASK_CODE = word_pattern(ASK_CODE)
_FORMULA = re.compile(FORMULA, re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+")
_ABBREVIATION_END = re.compile(r"(?:\b(?:e\.g|i\.e|etc|vs|cf|approx)|\.\.)\.$", re.IGNORECASE)  # "(e.g. a zoom)", "f(...)"
_LIST_SEPARATOR = re.compile(r",|;|\band\b|(?<=\s)\+(?=\s)", re.IGNORECASE)
_WORD = re.compile(r"\w+")
SCAN_CHARS = 8_000

# Code frameworks that claim generic DSP vocabulary before FAUST does.
_CODE_FRAMEWORKS = (TaskType.JUCE, TaskType.CPP, TaskType.PYTHON)


@dataclass(frozen=True)
class QueryFeatures:
    """What the rules measured in one question (and its context)."""

    domain_scores: dict[TaskType, int]
    domain_hits: dict[TaskType, list[str]]
    strongest_term: dict[TaskType, int]  # the weight of the strongest term found per domain (3: says it alone)
    dsp_score: int
    components: list[str]
    implied_components: list[str]
    scope: int
    simple: bool
    constraints: list[str]
    build_intent: bool
    explain_intent: bool
    how_to: bool
    math_intent: bool
    formula: bool  # a formula written out in the question ("left = sqrt(1-p)")
    listed_items: int
    words: int
    ask: str  # the sentences that ask (with a question mark), else the last sentence
    ask_reasoning: bool
    ask_coder: bool
    ask_math: bool
    ask_computation_only: bool  # the ask's maths is only a computation word ("how do I compute X"), no formula
    ask_build: bool  # a build verb in the ask itself ("can you write it?")
    asks: bool  # the question has a question mark (else it is an imperative)
    questions_asked: int  # questions in the ask: "why X, and how should Y?" is 2
    ask_generic_fix: bool  # "how do I fix it / get it to build": the fix is the diagnosis
    sequenced: str  # the ask's "design X, then implement Y" (or "write X, then Y"); "" without one
    code_part: str  # what the code is asked for in: the ask after its "then", else the question
    asked_components: list[str]  # the components named (or implied) in `code_part`: the modules to write
    goal: bool  # the body states something new to build ("I want a modulation matrix: ...")
    goal_items: int  # the parts listed where that goal is stated
    ask_whole_build: bool  # "how should this be built / structured", "how would you implement it"
    decision_then_code: bool  # one question of the ask decides, another asks for the code
    context_constraints: list[str] = field(default_factory=list)

    @property
    def all_components(self) -> list[str]:
        return self.components + [c for c in self.implied_components if c not in self.components]

    @property
    def parts(self) -> int:
        """How many things were asked for: named components or an enumerated list."""
        return max(len(self.all_components), self.listed_items)


def components_of(text: str) -> tuple[list[str], list[str]]:
    """Components named in `text` (in lexicon order) and those implied by bigger words."""
    found = _COMPONENT_TERMS.present(text)
    named = [c.name for n, c in enumerate(COMPONENTS) if n in found]
    implied: list[str] = []
    for n in sorted(_IMPLIED_TERMS.present(text)):
        parts = IMPLIED_COMPONENTS[n][1]
        if not any(p in named for p in parts):
            implied.extend(p for p in parts if p not in implied)
    return named, implied


def named_and_implied(text: str) -> list[str]:
    """Components named in `text`, then those its bigger words imply ("a synth": oscillator, ...)."""
    named, implied = components_of(text)
    return named + [c for c in implied if c not in named]


def _listed_items(text: str) -> int:
    """Items of an enumeration ("record, overdub, undo and a click" → 4); 1 without one."""
    separators = len(_LIST_SEPARATOR.findall(text))
    return separators + 1 if separators >= 2 else 1


def sentences_of(text: str) -> list[str]:
    """The sentences of `text`; an abbreviation's full stop ("e.g.", "etc.") ends none."""
    sentences: list[str] = []
    for piece in _SENTENCE_END.split(text.strip()):
        if sentences and _ABBREVIATION_END.search(sentences[-1]):
            sentences[-1] += " " + piece
        elif piece:
            sentences.append(piece)
    return sentences


def _goal_items(text: str) -> int:
    """Items listed where the question states something new to build: the sentence of its goal
    ("I want a modulation matrix: any source, any destination, ...") and the statements after
    it; 0 without a goal. Commas elsewhere (a bug report's history) list no parts of a build."""
    sentences = sentences_of(text)
    first = next((n for n, s in enumerate(sentences) if _GOAL.search(s)), None)
    if first is None:
        return 0
    return _listed_items(" ".join(s for s in sentences[first:] if not s.rstrip().endswith("?")))


def ask_of(text: str) -> str:
    """The sentences of a question that ask something: those ending in "?", else the last
    one (an imperative: "Write a chorus in C ...")."""
    sentences = sentences_of(text)
    asking = [s for s in sentences if s.rstrip().endswith("?")]
    return " ".join(asking or sentences[-1:])


def _sequenced_work(ask: str, text: str) -> tuple[str, str]:
    """The ask's "design X, then implement Y" and the part after its "then", where the code is
    asked for; ("", the whole question) without one. A sequence of gerunds names a process the
    question asks about ("the workflow for drafting X and then building Y"), not work it asks for."""
    match = next((m for m in _SEQUENCED.finditer(ask) if not m.group(0).split()[0].lower().endswith("ing")), None)
    if match is None:
        return "", text
    then = "after_design" if match.group("after_design") else "after_code"
    return match.group(0), ask[match.start(then):]


def _decision_then_code(ask: str) -> bool:
    """One question of the ask is a decision and another, not a decision, asks for the code."""
    questions = [q for q in _SUB_QUESTION.split(ask) if q.strip()]
    return (any(_ASK_DECISION.search(q) for q in questions)
            and any(_ASK_CODE.search(q) and not _ASK_DECISION.search(q) for q in questions))


def _context_constraints(context: Mapping[str, Any]) -> list[str]:
    wanted = context.get("performance_requirements")
    values = wanted if isinstance(wanted, list) else [wanted] if wanted else []
    return [str(v) for v in values]


def extract_features(query: str, context: Mapping[str, Any]) -> QueryFeatures:
    """Score `query` (an already normalized question) against the lexicon.

    Only the first SCAN_CHARS characters are read for vocabulary: the question is there,
    and a long paste after it (a log, a whole file) would cost time without changing the
    routing. The word count still covers everything.
    """
    text = query[:SCAN_CHARS]
    scores: dict[TaskType, int] = {}
    hits: dict[TaskType, list[str]] = {}
    strongest: dict[TaskType, int] = {}
    for domain, terms in _DOMAIN_TERMS.items():
        score, found, top = terms.score(text)
        if score:
            scores[domain], hits[domain], strongest[domain] = score, found, top
    dsp_score, dsp_hits, _ = _DSP_TERMS.score(text)
    framework_named = any(scores.get(d, 0) >= 2 for d in _CODE_FRAMEWORKS)
    if dsp_score and (not framework_named or scores.get(TaskType.FAUST, 0) >= 3):
        scores[TaskType.FAUST] = scores.get(TaskType.FAUST, 0) + dsp_score
        hits[TaskType.FAUST] = hits.get(TaskType.FAUST, []) + dsp_hits
    named, implied = components_of(text)
    scope, _, _ = _SCOPE_TERMS.score(text)
    ask = ask_of(text)
    sequenced, code_part = _sequenced_work(ask, text)
    formula_asked = bool(_ASK_MATH.search(ask))
    computation_asked = bool(_ASK_COMPUTATION.search(ask)) and not _CODE_VERB.search(ask)
    return QueryFeatures(
        domain_scores=scores,
        domain_hits=hits,
        strongest_term=strongest,
        dsp_score=dsp_score,
        components=named,
        implied_components=implied,
        scope=scope,
        simple=bool(_SIMPLICITY.search(text)),
        constraints=[m.group(0).lower() for m in _CONSTRAINTS.finditer(text)],
        build_intent=bool(_BUILD.search(text)),
        explain_intent=bool(_EXPLAIN.search(text)),
        how_to=bool(_HOW_TO.search(text)),
        math_intent=bool(_MATH_VERB.search(text)),
        formula=bool(_FORMULA.search(text)),
        listed_items=_listed_items(text),
        words=len(_WORD.findall(query)),
        ask=ask,
        ask_reasoning=bool(_ASK_REASONING.search(ask)),
        ask_coder=bool(_ASK_CODER.search(ask)),
        ask_math=formula_asked or computation_asked,
        ask_computation_only=computation_asked and not formula_asked,
        ask_build=bool(_BUILD.search(_NOMINAL_WORK.sub(" ", ask))),
        asks="?" in ask,
        questions_asked=max(1, len(_SUB_QUESTION.findall(ask))),
        ask_generic_fix=bool(_ASK_GENERIC_FIX.search(ask)),
        sequenced=sequenced,
        code_part=code_part,
        asked_components=named_and_implied(code_part),
        goal=bool(_GOAL.search(text)),
        goal_items=_goal_items(text),
        ask_whole_build=bool(_ASK_WHOLE_BUILD.search(ask)),
        decision_then_code=_decision_then_code(ask),
        context_constraints=_context_constraints(context),
    )
