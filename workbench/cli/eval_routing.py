"""`hrm-reason eval-routing [--split test] [--set real|project] [--json]`: how well the rules,
a TF-IDF baseline and the HRM route the questions developers really asked."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.config import Settings


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "eval-routing", help="rules / TF-IDF / HRM side by side on the real-question corpus, with intervals",
        description=(
            "Scores the three analyzers on one split of data/real_questions (default: test, the split nothing "
            "is tuned on) or on the project's hand-labelled set (--set project): role accuracy, domain F1, "
            "split F1, complexity MAE and the share of one-answer questions that were split, each with a 95%% "
            "bootstrap interval over threads. Exit 0, or 2 when the data or the checkpoint cannot be read."
        ),
    )
    parser.add_argument("--split", choices=["train", "validation", "test"], default="test")
    parser.add_argument("--set", dest="labelled_set", choices=["real", "project"], default="real")
    parser.add_argument("--checkpoint", type=Path, default=None, help="default: settings.hrm.checkpoint")
    parser.add_argument("--resamples", type=int, default=1000, help="bootstrap resamples (default 1000)")
    parser.add_argument("--json", action="store_true", help="print the figures and intervals as JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.resamples < 10:
        print("--resamples must be at least 10", file=sys.stderr)
        return 2
    from workbench.hrm.checkpoint import CheckpointError
    from workbench.hrm.recipe import EXTERNAL_SET
    from workbench.hrm.routing_eval import analyzers_for, compare, format_comparison, project_set, real_set

    checkpoint = args.checkpoint or settings.hrm.checkpoint
    if args.checkpoint is not None and not checkpoint.is_file():
        print(f"error: no checkpoint at {checkpoint}", file=sys.stderr)
        return 2
    try:
        labelled = real_set(args.split) if args.labelled_set == "real" else project_set(EXTERNAL_SET)
        results = compare(labelled, analyzers_for(checkpoint), resamples=args.resamples)
    except (CheckpointError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps({"set": labelled.name, "questions": len(labelled.queries), "analyzers": results}, indent=1))
    else:
        print(format_comparison(labelled, results))
    return 0
