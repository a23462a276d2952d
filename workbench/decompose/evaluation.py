"""Scores an analyzer against labelled questions (`tests/decompose/labelled_queries.jsonl`).

One scorer for the rules and the HRM network, so their figures are comparable. A row
holds query, domains, role, band ("1-3" | "4-5" | "6-7" | "8-10"), decompose and an
optional context.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from workbench.decompose.analyzer import Analyzer

BANDS = ("1-3", "4-5", "6-7", "8-10")


def band_of(complexity: int) -> str:
    return "1-3" if complexity <= 3 else "4-5" if complexity <= 5 else "6-7" if complexity <= 7 else "8-10"


def read_labelled(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def evaluate(analyzer: Analyzer, rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Accuracy per label (fractions 0-1) and the rows each label got wrong."""
    totals = {"decompose": 0, "role": 0, "band": 0, "band_within_one": 0, "primary_domain": 0, "domain_jaccard": 0.0}
    misses: dict[str, list[str]] = {k: [] for k in ("decompose", "role", "band", "primary_domain")}
    n = 0
    for row in rows:
        n += 1
        a = analyzer.analyze(row["query"], row.get("context", {}))
        got_domains = {d.value for d in a.domains}
        want_domains = set(row["domains"])
        band = band_of(a.complexity)
        checks = {
            "decompose": a.decompose == row["decompose"],
            "role": a.primary_role.value == row["role"],
            "band": band == row["band"],
            "primary_domain": row["domains"][0] in got_domains,
        }
        for key, ok in checks.items():
            totals[key] += ok
            if not ok:
                misses[key].append(f"{row['query'][:70]!r}: got {_got(key, a, band, got_domains)}")
        totals["band_within_one"] += abs(BANDS.index(band) - BANDS.index(row["band"])) <= 1
        totals["domain_jaccard"] += len(got_domains & want_domains) / len(got_domains | want_domains)
    if not n:
        raise ValueError("No labelled rows to evaluate.")
    return {"n": n, **{k: round(v / n, 3) for k, v in totals.items()}, "misses": misses}


def _got(key: str, analysis: Any, band: str, domains: set[str]) -> str:
    return {
        "decompose": str(analysis.decompose),
        "role": analysis.primary_role.value,
        "band": f"{band} ({analysis.complexity})",
        "primary_domain": ",".join(sorted(domains)),
    }[key]
