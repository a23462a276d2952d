"""`hrm-reason train`: train the HRM router from scratch, fine-tune it on feedback, or build
a training corpus from a codebase."""

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
        "train", help="train the HRM network (or fine-tune it on feedback) and print its evaluation",
        description=(
            "Without CODEBASE: train the HRM from scratch on the project's labelled corpus (fixed seed), "
            "write the checkpoint and print the evaluation table against the rule engine and a TF-IDF "
            "baseline. With --feedback: fine-tune the checkpoint on the chat page's verdicts. With "
            "CODEBASE: build a corpus from that code and write it as JSON to --output."
        ),
    )
    parser.add_argument("codebase", nargs="?", type=Path, help="a folder of code to build a corpus from")
    parser.add_argument("--feedback", action="store_true", help="fine-tune the checkpoint on stored feedback")
    parser.add_argument("--epochs", type=int, default=None, help="default: the recipe's from scratch, 6 for --feedback")
    parser.add_argument("--device", choices=["auto", "cpu", "cuda", "mps"], default="auto")
    parser.add_argument("--output", type=Path, help="default: settings.hrm.checkpoint (corpus.json with CODEBASE)")
    parser.add_argument("--seed", type=int, default=0)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.epochs is not None and args.epochs < 1:
        print("--epochs must be at least 1", file=sys.stderr)
        return 2
    if args.codebase is not None:
        return _corpus_from_codebase(args)
    from workbench.hrm.checkpoint import CheckpointError  # torch loads only for this command

    output = args.output or settings.hrm.checkpoint
    bar = TrainingBar()
    try:
        if args.feedback:
            from workbench.hrm.feedback import fine_tune
            from workbench.storage import Storage

            fine_tune(Storage(settings.db_path), settings.hrm.checkpoint, output,
                      epochs=args.epochs or 6, device=args.device, seed=args.seed, log=bar.write, progress=bar)
        else:
            from workbench.hrm.recipe import train_from_scratch

            train_from_scratch(output, epochs=args.epochs, device=args.device, seed=args.seed,
                               log=bar.write, progress=bar)
    except (CheckpointError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    finally:
        bar.close()
    print(f"checkpoint written to {output}")
    return 0


class TrainingBar:
    """A tqdm bar on stderr over every batch of every epoch (training takes minutes); the
    epoch lines and the evaluation go to stdout above it."""

    def __init__(self) -> None:
        from tqdm import tqdm

        self._tqdm = tqdm
        self.bar: tqdm | None = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = self._tqdm(total=total, desc="training", unit="batch", file=sys.stderr, dynamic_ncols=True)
        self.bar.update(done - self.bar.n)
        if done == total:  # the evaluation that follows prints below a finished bar
            self.close()

    def write(self, line: str) -> None:
        self._tqdm.write(line, file=sys.stdout)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def _corpus_from_codebase(args: argparse.Namespace) -> int:
    if args.feedback:
        print("--feedback and CODEBASE do different things: use one of them", file=sys.stderr)
        return 2
    if args.output is None:
        print("building a corpus needs --output FILE.json", file=sys.stderr)
        return 2
    if not args.codebase.is_dir():
        print(f"{args.codebase} is not a folder: pass the root of the codebase to read", file=sys.stderr)
        return 2
    from workbench.analysis.corpus import build_corpus

    try:
        corpus = build_corpus(args.codebase)
    except ValueError as error:  # AnalysisInputError: nothing readable there
        print(f"error: {error}", file=sys.stderr)
        return 2
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(corpus, indent=2, default=str), encoding="utf-8")
    print(f"corpus written to {args.output}")
    return 0
