"""Retrieval benchmark: quality, query latency and full ingest time, BM25 as the baseline.

    .venv/bin/python bench/retrieval.py                   # fresh indexes in a temp folder
    .venv/bin/python bench/retrieval.py --index-dir DIR   # reuse (or build once) a hybrid index

Quality over bench/retrieval_set.jsonl (questions → titles of the entries that answer them):
recall@5 (a right entry among the first five) and MRR (1 / rank of the first right entry,
first 10). Latency: p50/p95 of KnowledgeBase.search over the same questions, query
embedding included. Ingest: all FAUST libraries + examples + all JUCE module headers +
primers, BM25 only and hybrid.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from workbench.config import load_settings  # noqa: E402 - after the offline switch
from workbench.retrieval import KnowledgeBase  # noqa: E402

SET = Path(__file__).with_name("retrieval_set.jsonl")
MODES = ["bm25", "dense", "hybrid"]


def load_set() -> list[dict]:
    return [json.loads(line) for line in SET.read_text().splitlines() if line.strip()]


def ingest(data_dir: Path, embeddings: bool) -> tuple[KnowledgeBase, dict]:
    kb = KnowledgeBase(load_settings(data_dir=data_dir, retrieval={"use_embeddings": embeddings}))
    return kb, kb.ingest(show_progress=True)


def evaluate(kb: KnowledgeBase, questions: list[dict], mode: str) -> dict:
    kb.search("warm up the caches", k=5, mode=mode)
    hits, reciprocal, latencies = 0, 0.0, []
    for q in questions:
        started = time.perf_counter()
        titles = [p.title for p in kb.search(q["question"], k=10, mode=mode)]
        latencies.append((time.perf_counter() - started) * 1000)
        ranks = [i for i, t in enumerate(titles, start=1) if t in q["expected"]]
        hits += bool(ranks and ranks[0] <= 5)
        reciprocal += 1 / ranks[0] if ranks else 0.0
    latencies.sort()
    return {
        "recall@5": hits / len(questions),
        "MRR": reciprocal / len(questions),
        "p50 ms": statistics.median(latencies),
        "p95 ms": latencies[int(0.95 * (len(latencies) - 1))],
    }


def table(rows: list[tuple[str, float, float, str]]) -> str:
    lines = [f"{'figure':34} {'value':>10} {'baseline':>10} {'ratio':>7}  baseline is", "-" * 80]
    for name, value, base, base_name in rows:
        ratio = value / base if base else float("nan")
        lines.append(f"{name:34} {value:10.3f} {base:10.3f} {ratio:7.2f}  {base_name}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-dir", type=Path, help="data dir of a hybrid index to reuse")
    args = parser.parse_args()
    questions = load_set()
    with tempfile.TemporaryDirectory() as tmp:
        _, bm25_summary = ingest(Path(tmp) / "bm25", embeddings=False)
        hybrid_dir = args.index_dir or Path(tmp) / "hybrid"
        kb, hybrid_summary = ingest(hybrid_dir, embeddings=True)
        results = {mode: evaluate(kb, questions, mode) for mode in MODES}

    base = results["bm25"]
    rows = []
    for mode in MODES:
        for metric in ("recall@5", "MRR", "p50 ms", "p95 ms"):
            rows.append((f"{mode} {metric}", results[mode][metric], base[metric], f"bm25 {metric}"))
    rows.append(("full ingest, BM25 only (s)", bm25_summary["seconds"], bm25_summary["seconds"],
                 "BM25-only ingest"))
    rows.append(("full ingest, hybrid (s)" + (" [reused]" if not hybrid_summary["entries_added"] else ""),
                 hybrid_summary["seconds"], bm25_summary["seconds"], "BM25-only ingest"))
    print(f"\n{len(questions)} labelled questions, {hybrid_summary['entries_total']} entries "
          f"from {hybrid_summary['files']} files; targets: hybrid recall@5 >= 0.9, p50 <= 20 ms\n")
    print(table(rows))


if __name__ == "__main__":
    main()
