"""HRM bench: what analysing one question with the shipped network costs on this CPU, next
to the two other analyzers measured in the same run.

    .venv/bin/python bench/hrm_inference.py [--queries 200] [--checkpoint models/hrm.pt]
        [--against OTHER.pt] [--questions synthetic|real]

- rule engine (`workbench.decompose` RuleAnalyzer.analyze): the baseline every ratio uses;
- TF-IDF + logistic regression (trained on the corpus' train split), one question at a time;
- HRM `analyze` on one question (batch 1, CPU, one intra-op thread), p50 / p95, ACT steps;
- `--against`: a second checkpoint (e.g. the previous one) measured in the same run, and the
  p50 ratio of the two, so a retrain's speed is judged against its predecessor on one load;
- memory: resident set size added by loading the network, and its peak during the run;
- parameters and checkpoint size.
Questions are the synthetic corpus' held-out test split, or with `--questions real` the
real-question test split (longer, as developers write: what the router really reads and what
the evaluation record's p50 is taken on), each analysed once after a warm-up.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbench.hrm.analyzer import HRMAnalyzer  # noqa: E402
from workbench.hrm.corpus import build_corpus  # noqa: E402
from workbench.hrm.evaluate import TfidfBaseline, latency_ms, percentile, rule_engine  # noqa: E402
from workbench.hrm.real_questions import load_real_questions  # noqa: E402


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--checkpoint", type=Path, default=ROOT / "models" / "hrm.pt")
    parser.add_argument("--against", type=Path, help="another checkpoint to measure in the same run")
    parser.add_argument("--questions", choices=["synthetic", "real"], default="synthetic")
    args = parser.parse_args()

    corpus = build_corpus()
    pool = ([e.query for e in corpus["test"]] if args.questions == "synthetic"
            else [q.question for q in load_real_questions("test")])
    queries = pool[: args.queries]
    rules = rule_engine()
    if rules is None:
        print("the rule engine (workbench.decompose) is not importable: it is this bench's baseline", file=sys.stderr)
        return 2
    tfidf = TfidfBaseline(corpus["train"])
    before = _rss_mb()
    started = time.perf_counter()
    analyzer = HRMAnalyzer.load(args.checkpoint, "cpu")
    load_ms = (time.perf_counter() - started) * 1000
    loaded = _rss_mb()

    rule_ms = latency_ms(lambda q: rules(q, {}), queries)
    tfidf_ms = latency_ms(lambda q: tfidf([q]), queries)
    hrm_ms = latency_ms(analyzer.analyze, queries)
    act = [analyzer.analyze(q).act_steps for q in queries]
    other = HRMAnalyzer.load(args.against, "cpu") if args.against else None
    other_ms = latency_ms(other.analyze, queries) if other else []
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    base = percentile(rule_ms, 50)
    rows = [
        ("rule engine analyze (baseline)", rule_ms),
        ("tf-idf + logreg, one question", tfidf_ms),
        ("hrm analyze, one question", hrm_ms),
    ]
    if other:
        rows.append((f"hrm {args.against.name} (--against)", other_ms))
    print(f"{len(queries)} questions from the {args.questions} test split, CPU, batch 1")
    print(f"{'analyzer':34}{'p50 ms':>10}{'p95 ms':>10}{'p50 / rules':>14}")
    for name, values in rows:
        p50 = percentile(values, 50)
        print(f"{name:34}{p50:>10.3f}{percentile(values, 95):>10.3f}{p50 / base:>13.1f}x")
    print()
    print(f"hrm parameters            {analyzer.model.num_parameters():,}")
    print(f"hrm checkpoint            {args.checkpoint.stat().st_size / 2**20:.2f} MiB, load {load_ms:.0f} ms")
    print(f"hrm ACT steps             mean {sum(act) / len(act):.2f}, max {max(act)} of {analyzer.model.config.halt_max_steps}")
    print(f"memory                    +{loaded - before:.1f} MiB RSS for the network; process peak {peak:.0f} MiB")
    if other:
        print(f"hrm vs --against          p50 {percentile(hrm_ms, 50) / percentile(other_ms, 50):.2f}x "
              f"({other.model.num_parameters():,} parameters there)")
    print(f"target p50 <= 5 ms        {'met' if percentile(hrm_ms, 50) <= 5 else 'NOT met'} on this machine")
    return 0


if __name__ == "__main__":
    sys.exit(main())
