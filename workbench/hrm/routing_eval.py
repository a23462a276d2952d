"""Rules, TF-IDF and the HRM side by side on the real-question corpus (or the project's
hand-labelled set), each figure with a 95% bootstrap interval.

Intervals resample whole threads (sources), not questions: the questions of one thread share
their wording and their labeller's reading, so they stand or fall together. The targets are
the ones issue 13 set for the shipped router on the real test split.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from workbench.domain import PlanStep
from workbench.hrm.corpus import Example
from workbench.hrm.evaluate import (
    Guess, Target, TfidfBaseline, analysis_guesser, hrm_guesser, load_external, metrics, percentile, rule_engine,
)
from workbench.hrm.real_questions import RealQuestion, load_real_questions

FIGURES = ("role_accuracy", "domain_f1", "decompose_f1", "complexity_mae", "wrongly_split")
# figure -> (target, higher is better), on the real test split
TARGETS = {"role_accuracy": (0.85, True), "decompose_f1": (0.80, True), "complexity_mae": (1.2, False),
           "wrongly_split": (0.10, False)}
LABELS = {"role_accuracy": "role acc", "domain_f1": "domain F1", "decompose_f1": "split F1",
          "complexity_mae": "complexity MAE", "wrongly_split": "wrongly split"}


@dataclass(frozen=True)
class LabelledSet:
    """Questions, their targets and the group each is resampled with."""

    name: str
    queries: list[str]
    targets: list[Target]
    groups: list[str]


def target_of(question: RealQuestion) -> Target:
    return Target(question.engine_domains, question.role, (question.complexity,) * 2, question.decompose, None)


def real_set(split: str) -> LabelledSet:
    rows = load_real_questions(split)
    if not rows:
        raise ValueError(f"the real-question corpus has no {split} rows (data/real_questions/*.jsonl)")
    return LabelledSet(f"real {split} split", [q.question for q in rows], [target_of(q) for q in rows],
                       [q.thread for q in rows])


def project_set(path: Path) -> LabelledSet:
    queries, targets = load_external(path)
    return LabelledSet(f"project set {path.name}", queries, targets, queries)


def real_example(question: RealQuestion, steps_of: Callable[[str], Sequence[PlanStep]]) -> Example:
    """A real question as a training example; a split one gets the plan steps `steps_of` names
    (the rules' skeleton for it: the corpus labels subtasks in words, not in plan steps)."""
    steps = tuple(steps_of(question.question)) if question.decompose else (PlanStep.ANSWER,)
    return Example(question.question, tuple(sorted(question.engine_domains)), question.role, question.complexity,
                   steps or (PlanStep.IMPLEMENTATION,), f"real:{question.thread}", "real")


def bootstrap_intervals(
    guesses: Sequence[Guess], targets: Sequence[Target], groups: Sequence[str], *, resamples: int = 1000, seed: int = 0,
) -> dict[str, tuple[float, float]]:
    """95% interval of each figure, resampling whole groups; a figure a resample cannot
    compute (no one-answer question drawn) is left out of that figure's resamples."""
    members: dict[str, list[int]] = {}
    for index, group in enumerate(groups):
        members.setdefault(group, []).append(index)
    names = list(members)
    rng = random.Random(seed)
    values: dict[str, list[float]] = {f: [] for f in FIGURES}
    for _ in range(resamples):
        rows = [i for name in rng.choices(names, k=len(names)) for i in members[name]]
        m = metrics([guesses[i] for i in rows], [targets[i] for i in rows])
        for figure in FIGURES:
            if m[figure] is not None:
                values[figure].append(m[figure])
    return {f: (percentile(v, 2.5), percentile(v, 97.5)) for f, v in values.items() if v}


def meets_targets(figures: dict[str, float | None]) -> dict[str, bool]:
    return {f: figures[f] is not None and (figures[f] >= goal if up else figures[f] <= goal)
            for f, (goal, up) in TARGETS.items()}


def analyzers_for(checkpoint: Path | None, seed: int = 0) -> dict[str, Callable[[Sequence[str]], list[Guess]]]:
    """The rules, TF-IDF trained on exactly what the HRM is trained on (synthetic and real
    train questions), and the HRM of `checkpoint` when there is one (regardless of the gate)."""
    from workbench.hrm.recipe import train_set, training_splits

    found: dict[str, Callable[[Sequence[str]], list[Guess]]] = {}
    if (rules := rule_engine()) is not None:
        found["rules"] = analysis_guesser(rules)
    found["tfidf+logreg"] = TfidfBaseline(train_set(training_splits(seed)), seed=seed)
    if checkpoint is not None and checkpoint.is_file():
        from workbench.hrm.analyzer import HRMAnalyzer

        found["hrm"] = hrm_guesser(HRMAnalyzer.load(checkpoint, "cpu"))
    return found


def compare(labelled: LabelledSet, analyzers: dict[str, Callable], *, resamples: int = 1000) -> dict[str, dict]:
    """analyzer -> {"figures", "intervals", "targets_met"} on one labelled set."""
    out = {}
    for name, guess in analyzers.items():
        guesses = guess(labelled.queries)
        figures = metrics(guesses, labelled.targets)
        out[name] = {
            "figures": {f: figures[f] for f in FIGURES},
            "intervals": bootstrap_intervals(guesses, labelled.targets, labelled.groups, resamples=resamples),
            "targets_met": meets_targets(figures),
        }
    return out


def format_comparison(labelled: LabelledSet, results: dict[str, dict]) -> str:
    threads = len(set(labelled.groups))
    lines = [f"{labelled.name}: {len(labelled.queries)} questions from {threads} threads; "
             "95% intervals resample whole threads",
             "analyzer".ljust(14) + "".join(LABELS[f].rjust(24) for f in FIGURES)]
    for name, result in results.items():
        cells = []
        for f in FIGURES:
            value, interval = result["figures"][f], result["intervals"].get(f)
            mark = "*" if result["targets_met"].get(f) else " "
            cells.append("-" if value is None else f"{value:.2f} [{interval[0]:.2f},{interval[1]:.2f}]{mark}")
        lines.append(name.ljust(14) + "".join(c.rjust(24) for c in cells))
    goals = ", ".join(f"{LABELS[f]} {'>=' if up else '<='} {goal}" for f, (goal, up) in TARGETS.items())
    lines.append(f"* meets the target ({goals})")
    return "\n".join(lines)
