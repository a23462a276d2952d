"""Measuring analyzers on held-out questions: the rule engine, a TF-IDF + logistic
regression baseline, and the HRM, on the same examples with the same metrics.

Metrics: role accuracy, domain micro-F1, decompose-or-not F1 (positive class: split),
complexity MAE, plan-step micro-F1, and the share of one-answer questions that were split
("wrongly split", the cost a user feels most: minutes of subtask runs for a short answer).
Complexity on an external set labelled with a band
(lo, hi) counts the distance to the band.
"""

from __future__ import annotations

import json
import random
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from workbench.domain import PlanStep, Role, TaskType
from workbench.hrm.corpus import Example
from workbench.hrm.evaluation_record import ROUTING_FIGURES

_BANDS = {"low": (1, 3), "simple": (1, 3), "medium": (4, 6), "moderate": (4, 6), "high": (7, 10), "complex": (7, 10)}


@dataclass(frozen=True)
class Guess:
    """What any analyzer said about one question, in the form the metrics compare."""

    domains: frozenset[TaskType]
    role: Role
    complexity: int
    decompose: bool
    steps: frozenset[PlanStep] | None  # None: this analyzer does not predict steps


@dataclass(frozen=True)
class Target:
    domains: frozenset[TaskType]
    role: Role
    complexity: tuple[int, int]  # a band; (c, c) for an exact label
    decompose: bool
    steps: frozenset[PlanStep] | None

    @classmethod
    def of(cls, example: Example) -> Target:
        return cls(frozenset(example.domains), example.role, (example.complexity,) * 2, example.decompose,
                   frozenset(example.steps))


def _micro_f1(pairs: Sequence[tuple[frozenset, frozenset]]) -> float:
    tp = sum(len(g & t) for g, t in pairs)
    fp = sum(len(g - t) for g, t in pairs)
    fn = sum(len(t - g) for g, t in pairs)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def _binary_f1(guesses: Sequence[bool], truth: Sequence[bool]) -> float:
    tp = sum(g and t for g, t in zip(guesses, truth))
    fp = sum(g and not t for g, t in zip(guesses, truth))
    fn = sum(t and not g for g, t in zip(guesses, truth))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def metrics(guesses: Sequence[Guess], targets: Sequence[Target]) -> dict[str, float | None]:
    """The figures; steps F1 is None when the analyzer or the labels have no steps, and
    `wrongly_split` (the share of one-answer questions that were split) when no question
    needs one answer."""
    single = [g for g, t in zip(guesses, targets) if not t.decompose]
    with_steps = [(g.steps, t.steps) for g, t in zip(guesses, targets) if g.steps is not None and t.steps is not None]
    return {
        "role_accuracy": statistics.fmean(g.role == t.role for g, t in zip(guesses, targets)),
        "domain_f1": _micro_f1([(g.domains, t.domains) for g, t in zip(guesses, targets)]),
        "decompose_f1": _binary_f1([g.decompose for g in guesses], [t.decompose for t in targets]),
        "complexity_mae": statistics.fmean(
            max(t.complexity[0] - g.complexity, 0, g.complexity - t.complexity[1]) for g, t in zip(guesses, targets)
        ),
        "steps_f1": _micro_f1(with_steps) if with_steps else None,
        "wrongly_split": statistics.fmean(g.decompose for g in single) if single else None,
    }


# ------------------------------------------------------------------ the three analyzers


def analysis_guesser(analyze: Callable) -> Callable[[Sequence[str]], list[Guess]]:
    """Guesses from anything with `analyze(query, context) -> QueryAnalysis` (the rules)."""

    def guess(queries: Sequence[str]) -> list[Guess]:
        out = []
        for q in queries:
            a = analyze(q, {})
            out.append(Guess(frozenset(a.domains), a.primary_role, a.complexity, a.decompose, frozenset(a.steps)))
        return out

    return guess


def rule_engine() -> Callable | None:
    """The decomposition engine's RuleAnalyzer.analyze, or None when that room is absent."""
    try:
        from workbench.decompose.analyze import RuleAnalyzer
    except ImportError:
        return None
    return RuleAnalyzer().analyze


class TfidfBaseline:
    """Word and character n-gram TF-IDF with one logistic regression per head."""

    def __init__(self, train: Sequence[Example], seed: int = 0) -> None:
        # scikit-learn loads only for this baseline: training the network does not need it
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.multiclass import OneVsRestClassifier
        from sklearn.preprocessing import MultiLabelBinarizer

        texts = [e.query for e in train]
        self.vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)
        x = self.vectorizer.fit_transform(texts)
        self.domain_bin = MultiLabelBinarizer().fit([list(TaskType)])
        self.step_bin = MultiLabelBinarizer().fit([list(PlanStep)])

        def lr() -> LogisticRegression:
            return LogisticRegression(max_iter=2000, C=10.0, random_state=seed)

        self.domains = OneVsRestClassifier(lr()).fit(x, self.domain_bin.transform([e.domains for e in train]))
        self.steps = OneVsRestClassifier(lr()).fit(x, self.step_bin.transform([e.steps for e in train]))
        self.role = lr().fit(x, [e.role.value for e in train])
        self.complexity = lr().fit(x, [e.complexity for e in train])
        self.decompose = lr().fit(x, [e.decompose for e in train])

    def __call__(self, queries: Sequence[str]) -> list[Guess]:
        x = self.vectorizer.transform(list(queries))
        domains = self.domain_bin.inverse_transform(self.domains.predict(x))
        steps = self.step_bin.inverse_transform(self.steps.predict(x))
        roles, levels, splits = self.role.predict(x), self.complexity.predict(x), self.decompose.predict(x)
        return [
            Guess(frozenset(domains[i]) or frozenset({TaskType.GENERAL}), Role(roles[i]), int(levels[i]),
                  bool(splits[i]), frozenset(steps[i]))
            for i in range(len(queries))
        ]


def hrm_guesser(analyzer) -> Callable[[Sequence[str]], list[Guess]]:  # analyzer: HRMAnalyzer
    def guess(queries: Sequence[str]) -> list[Guess]:
        return [
            Guess(frozenset(p.domains), p.role, p.complexity, p.decompose, frozenset(p.steps))
            for start in range(0, len(queries), 256)
            for p in analyzer.predict(queries[start : start + 256])
        ]

    return guess


def paired_bootstrap(
    first: Sequence[Guess], second: Sequence[Guess], targets: Sequence[Target], groups: Sequence[str],
    *, resamples: int = 1000, seed: int = 0,
) -> dict[str, tuple[float, float]]:
    """95% interval of `metrics(first) - metrics(second)` for each figure.

    Whole groups are resampled, not single questions: the questions of one template share
    their phrasing, so they stand or fall together, and counting them as independent would
    make the interval far too narrow.
    """
    members: dict[str, list[int]] = {}
    for index, group in enumerate(groups):
        members.setdefault(group, []).append(index)
    names = list(members)
    rng = random.Random(seed)
    differences: dict[str, list[float]] = {figure: [] for figure in ROUTING_FIGURES}
    for _ in range(resamples):
        rows = [i for name in rng.choices(names, k=len(names)) for i in members[name]]
        chosen = [targets[i] for i in rows]
        a = metrics([first[i] for i in rows], chosen)
        b = metrics([second[i] for i in rows], chosen)
        for figure in ROUTING_FIGURES:
            differences[figure].append(a[figure] - b[figure])
    return {figure: (percentile(v, 2.5), percentile(v, 97.5)) for figure, v in differences.items()}


def format_intervals(intervals: dict[str, tuple[float, float]], title: str) -> str:
    """One line per figure: the interval, and whether it excludes zero in the HRM's favour."""
    lines = [title]
    for figure, (low, high) in intervals.items():
        higher_is_better = ROUTING_FIGURES[figure][1]
        better = low > 0 if higher_is_better else high < 0
        worse = high < 0 if higher_is_better else low > 0
        verdict = "HRM better" if better else "rules better" if worse else "not separable"
        lines.append(f"  {figure:<16} [{low:+.3f}, {high:+.3f}]  {verdict}")
    return "\n".join(lines)


def latency_ms(call: Callable[[str], object], queries: Sequence[str], repeats: int = 1) -> list[float]:
    """Wall time of one call per query, in milliseconds, after one warm-up call."""
    call(queries[0])
    out = []
    for _ in range(repeats):
        for q in queries:
            start = time.perf_counter()
            call(q)
            out.append((time.perf_counter() - start) * 1000)
    return out


def percentile(values: Sequence[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


# ------------------------------------------------------------------ the external set


def load_external(path: Path) -> tuple[list[str], list[Target]]:
    """The decomposition room's hand-labelled queries (query, domains, role, complexity band,
    decompose). Returns (queries, targets); a malformed line is an error naming the line."""
    queries, targets = [], []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            queries.append(row["query"])
            targets.append(Target(
                frozenset(TaskType(d) for d in row["domains"]), Role(row["role"]), _band(row),
                bool(row["decompose"]), None,
            ))
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(f"{path}:{number}: cannot read labelled query ({error!r})") from error
    return queries, targets


def _band(row: dict) -> tuple[int, int]:
    for key in ("complexity_band", "band", "complexity"):
        value = row.get(key)
        if value is None:
            continue
        if isinstance(value, int):
            return value, value
        if isinstance(value, list | tuple) and len(value) == 2:
            return int(value[0]), int(value[1])
        if isinstance(value, str):
            if value.lower() in _BANDS:
                return _BANDS[value.lower()]
            lo, _, hi = value.partition("-")
            return int(lo), int(hi or lo)
    raise KeyError("complexity_band")


# ------------------------------------------------------------------ the table


def format_table(rows: dict[str, dict[str, float | None]], title: str) -> str:
    columns = [("role acc", "role_accuracy", "{:.3f}"), ("domain F1", "domain_f1", "{:.3f}"),
               ("split F1", "decompose_f1", "{:.3f}"), ("complexity MAE", "complexity_mae", "{:.2f}"),
               ("steps F1", "steps_f1", "{:.3f}"), ("wrongly split", "wrongly_split", "{:.3f}")]
    width = max(len(name) for name in rows) + 2
    lines = [title, "analyzer".ljust(width) + "".join(c[0].rjust(16) for c in columns)]
    for name, values in rows.items():
        cells = ["-" if values.get(key) is None else fmt.format(values[key]) for _, key, fmt in columns]
        lines.append(name.ljust(width) + "".join(c.rjust(16) for c in cells))
    return "\n".join(lines)
