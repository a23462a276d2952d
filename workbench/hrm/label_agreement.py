"""How far two labelling passes over the real-question corpus agree (the datasheet's check).

A later pass (`data/real_questions/checks/*.jsonl`: id, primary_role, decompose and, where it was
labelled, complexity) is labelled from the question text alone, by `LABELLING.md`, without
seeing the first labels or the router's output. The first pass is the corpus as gathered: where
a disagreement was later settled by the guideline, `checks/adjudication.jsonl` records the
first label, the settled one and why, so the first pass can be read back and the agreement a
pass had before settling stays reproducible. `python -m workbench.hrm.label_agreement` prints
the figures the datasheet quotes.
"""

from __future__ import annotations

import json
import statistics
from collections import Counter
from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import Any

from workbench.hrm.real_questions import DATA_DIR, SPLITS, load_real_questions

CHECKS = DATA_DIR / "checks"
SECOND_PASS = CHECKS / "second_pass.jsonl"  # 64 validation/test rows, with complexity
BLIND_PASS_ALL = CHECKS / "blind_pass_all.jsonl"  # every row: role and split
ADJUDICATION = CHECKS / "adjudication.jsonl"
SETTLED_FIELDS = ("primary_role", "decompose")


def cohen_kappa(first: Sequence[Hashable], second: Sequence[Hashable]) -> float:
    """Agreement beyond chance: (observed - expected) / (1 - expected); 1.0 when both passes
    use one single label everywhere and agree."""
    n = len(first)
    observed = sum(a == b for a, b in zip(first, second)) / n
    a_counts, b_counts = Counter(first), Counter(second)
    expected = sum(a_counts[label] * b_counts[label] for label in a_counts) / (n * n)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def _read_rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def corpus_labels(directory: Path = DATA_DIR, settled: bool = True,
                  adjudication: Path = ADJUDICATION) -> dict[str, dict[str, Any]]:
    """Labels per id: the corpus as it stands (`settled`), or the first pass, with every settled
    disagreement put back to its first label."""
    labels = {q.id: {"primary_role": q.role.value, "decompose": q.decompose, "complexity": q.complexity,
                     "split": q.split} for q in load_real_questions(None, directory)}
    if not settled and adjudication.exists():
        for change in _read_rows(adjudication):
            if change["id"] not in labels or change["field"] not in SETTLED_FIELDS:
                raise ValueError(f"{adjudication.name}: cannot undo {change.get('field')!r} of {change.get('id')!r}")
            labels[change["id"]][change["field"]] = change["first_pass"]
    return labels


def agreement(other_pass: Path = SECOND_PASS, directory: Path = DATA_DIR, settled: bool = False,
              split: str | None = None) -> dict[str, float | int]:
    """Role and split agreement (and complexity where the pass has it) between `other_pass` and the
    first pass (or the settled corpus), over the pass's rows of one split or of all."""
    labels = corpus_labels(directory, settled)
    rows = _read_rows(other_pass)
    missing = [r["id"] for r in rows if r["id"] not in labels]
    if missing:
        raise ValueError(f"{other_pass.name}: ids not in the corpus: {', '.join(missing[:5])}")
    pairs = [(labels[r["id"]], r) for r in rows if split is None or labels[r["id"]]["split"] == split]
    roles = ([a["primary_role"] for a, _ in pairs], [b["primary_role"] for _, b in pairs])
    splits = ([a["decompose"] for a, _ in pairs], [b["decompose"] for _, b in pairs])
    figures: dict[str, float | int] = {
        "questions": len(pairs),
        "role_agreement": statistics.fmean(a == b for a, b in zip(*roles)),
        "role_kappa": cohen_kappa(*roles),
        "split_agreement": statistics.fmean(a == b for a, b in zip(*splits)),
        "split_kappa": cohen_kappa(*splits),
        "first_pass_splits": sum(splits[0]),
        "other_pass_splits": sum(splits[1]),
    }
    if all("complexity" in b for _, b in pairs):
        gaps = [abs(a["complexity"] - b["complexity"]) for a, b in pairs]
        figures["complexity_mae"] = statistics.fmean(gaps)
        figures["complexity_within_one"] = statistics.fmean(g <= 1 for g in gaps)
    return figures


def _print(title: str, figures: dict[str, float | int]) -> None:
    print(title)
    for key, value in figures.items():
        print(f"  {key:22} {value:.3f}" if isinstance(value, float) else f"  {key:22} {value}")


if __name__ == "__main__":
    _print("second pass (64 validation/test rows) against the first pass", agreement(SECOND_PASS))
    for name in (*SPLITS, None):
        _print(f"blind pass over {name or 'all'} rows against the first pass", agreement(BLIND_PASS_ALL, split=name))
    _print("blind pass over all rows against the settled corpus", agreement(BLIND_PASS_ALL, settled=True))
