"""Decomposition latency: uncached, cached in memory and cached on disk, over the 72
labelled questions, beside the seed's own (never measured) figures.

Baseline, measured in the same run: a JSON round trip of each plan (what any cache that
stores serialized plans would pay at least), so the uncached ratio says how many such
round trips one full analysis + plan costs, and the cached ratios what a hit costs beside it.
Targets on 2 CPU cores: ≤ 2 ms uncached, ≤ 0.1 ms cached in memory.

    .venv/bin/python bench/decomposition.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hrm_local_wrapper import HRMLocalWrapper  # noqa: E402
from workbench.config import load_settings  # noqa: E402
from workbench.decompose.evaluation import read_labelled  # noqa: E402
from workbench.domain import TaskDecomposition  # noqa: E402

ROUNDS = 15
CONTEXT = {"target_platform": "mac_vst", "performance_requirements": "low_latency"}
QUERIES = [r["query"] for r in read_labelled(Path(__file__).resolve().parent.parent / "tests/decompose/labelled_queries.jsonl")]
SEED_CLAIMS = {"uncached": (50.0, 100.0), "uncached, CPU time": (50.0, 100.0),
               "cached in memory": (5.0, 10.0), "cached on disk": (5.0, 10.0)}
TARGETS = {"uncached": 2.0, "uncached, CPU time": 2.0, "cached in memory": 0.1}


def samples(fn: Callable[[str], object], rounds: int, clock: Callable[[], float] = time.perf_counter) -> list[float]:
    """Milliseconds per call over every question, `rounds` times (rounds interleaved)."""
    out = []
    for _ in range(rounds):
        for query in QUERIES:
            started = clock()
            fn(query)
            out.append((clock() - started) * 1000)
    return out


def percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(data_dir=Path(tmp))
        fresh = HRMLocalWrapper(device="cpu", enable_caching=False, settings=settings)
        plans = {q: fresh.decompose_task(q, CONTEXT) for q in QUERIES}  # warm-up

        def round_trip(q: str) -> TaskDecomposition:
            return TaskDecomposition.model_validate_json(plans[q].model_dump_json())

        cached = HRMLocalWrapper(device="cpu", settings=settings)
        for q in QUERIES:
            cached.decompose_task(q, CONTEXT)
        rows = {
            "baseline: JSON round trip of the plan": samples(round_trip, ROUNDS),
            "uncached": samples(lambda q: fresh.decompose_task(q, CONTEXT), ROUNDS),
            # CPU time leaves out the slices the scheduler gave other processes on a shared machine
            "uncached, CPU time": samples(lambda q: fresh.decompose_task(q, CONTEXT), ROUNDS, time.process_time),
            "cached in memory": samples(lambda q: cached.decompose_task(q, CONTEXT), ROUNDS),
            # a new wrapper has an empty memory: each first call is a disk hit
            "cached on disk": [t for _ in range(3) for t in samples(_disk_hits(settings), 1)],
        }
    baseline = statistics.median(rows["baseline: JSON round trip of the plan"])
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{len(QUERIES)} labelled questions × {ROUNDS} rounds, context {CONTEXT}")
    print(f"{os.cpu_count()} cores, load average {load} (wall-clock p95 includes time the scheduler gave to others)\n")
    header = f"{'path':<40} {'p50 ms':>8} {'p95 ms':>8} {'× baseline':>10} {'seed claim (unmeasured)':>24} {'p95 / claim low':>15} {'target':>9}"
    print(header)
    print("-" * len(header))
    for name, values in rows.items():
        p50, p95 = statistics.median(values), percentile(values, 95)
        claim = SEED_CLAIMS.get(name)
        claim_text = f"{claim[0]:g}-{claim[1]:g} ms" if claim else ""
        ratio = f"{p95 / claim[0]:.4f}" if claim else ""
        target = TARGETS.get(name)
        target_text = (f"≤{target:g} {'ok' if p95 <= target else 'MISS'}") if target else ""
        print(f"{name:<40} {p50:>8.4f} {p95:>8.4f} {p50 / baseline:>10.2f} {claim_text:>24} {ratio:>15} {target_text:>9}")


def _disk_hits(settings) -> Callable[[str], object]:
    """A fresh wrapper's decompose: its first call per question is served from disk."""
    return lambda q, hrm=HRMLocalWrapper(device="cpu", settings=settings): hrm.decompose_task(q, CONTEXT)


if __name__ == "__main__":
    main()
