"""How far two labelling passes over the real-question corpus agree (the datasheet's check).

The second pass (`data/real_questions/checks/second_pass.jsonl`: id, primary_role, complexity,
decompose) was labelled from the question text alone, by `LABELLING.md`, without seeing the
first labels. `python -m workbench.hrm.label_agreement` prints the figures the datasheet
quotes.
"""

from __future__ import annotations

import json
import statistics
from collections import Counter
from collections.abc import Hashable, Sequence
from pathlib import Path

from workbench.hrm.real_questions import DATA_DIR, load_real_questions

SECOND_PASS = DATA_DIR / "checks" / "second_pass.jsonl"


def cohen_kappa(first: Sequence[Hashable], second: Sequence[Hashable]) -> float:
    """Agreement beyond chance: (observed - expected) / (1 - expected); 1.0 when both passes
    use one single label everywhere and agree."""
    n = len(first)
    observed = sum(a == b for a, b in zip(first, second)) / n
    a_counts, b_counts = Counter(first), Counter(second)
    expected = sum(a_counts[label] * b_counts[label] for label in a_counts) / (n * n)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def agreement(second_pass: Path = SECOND_PASS, directory: Path = DATA_DIR) -> dict[str, float | int]:
    first = {q.id: q for q in load_real_questions(None, directory)}
    rows = [json.loads(line) for line in second_pass.read_text(encoding="utf-8").splitlines() if line.strip()]
    missing = [r["id"] for r in rows if r["id"] not in first]
    if missing:
        raise ValueError(f"{second_pass.name}: ids not in the corpus: {', '.join(missing[:5])}")
    pairs = [(first[r["id"]], r) for r in rows]
    roles = ([q.role.value for q, _ in pairs], [r["primary_role"] for _, r in pairs])
    splits = ([q.decompose for q, _ in pairs], [r["decompose"] for _, r in pairs])
    return {
        "questions": len(pairs),
        "role_agreement": statistics.fmean(a == b for a, b in zip(*roles)),
        "role_kappa": cohen_kappa(*roles),
        "split_agreement": statistics.fmean(a == b for a, b in zip(*splits)),
        "split_kappa": cohen_kappa(*splits),
        "complexity_mae": statistics.fmean(abs(q.complexity - r["complexity"]) for q, r in pairs),
        "complexity_within_one": statistics.fmean(abs(q.complexity - r["complexity"]) <= 1 for q, r in pairs),
        "first_pass_splits": sum(splits[0]),
        "second_pass_splits": sum(splits[1]),
    }


if __name__ == "__main__":
    for key, value in agreement().items():
        print(f"{key:22} {value:.3f}" if isinstance(value, float) else f"{key:22} {value}")
