"""Turning the chat page's verdicts into training examples and fine-tuning on them.

A verdict belongs to an assistant message; its run holds the question and the analysis the
workbench used. Thumbs up confirms that analysis; a correction ("should have gone to role X",
"should (not) have been split") overrides the part it names; a thumbs down without a
correction says only that something was wrong, so it is skipped rather than guessed at.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.domain import PlanStep, QueryAnalysis, Role, TaskType
from workbench.hrm.analyzer import HRMAnalyzer
from workbench.hrm.corpus import Example
from workbench.hrm.recipe import Report, finish, train_set, training_splits
from workbench.hrm.train import Progress, TrainConfig, train_model

REPLAY_PER_FEEDBACK = 8  # corpus examples mixed in per feedback example, so old skills stay
MIN_REPLAY = 200


@dataclass
class FeedbackSummary:
    used: list[Example]
    skipped: list[str]  # why each unusable verdict was left out


def feedback_examples(storage: Any, analyzer: HRMAnalyzer) -> FeedbackSummary:
    """Examples from `storage.list_feedback()` (storage: workbench.storage.Storage)."""
    used: list[Example] = []
    skipped: list[str] = []
    for verdict in storage.list_feedback():
        message = storage.get_message(verdict.message_id)
        run = storage.get_run(message.run_id) if message is not None and message.run_id else None
        if run is None or not run.question.strip():
            skipped.append(f"feedback {verdict.id}: message {verdict.message_id} has no run with a question")
            continue
        corrected = verdict.correct_role is not None or verdict.should_split is not None
        if verdict.rating < 0 and not corrected:
            skipped.append(f"feedback {verdict.id}: thumbs down without a correction says nothing to learn")
            continue
        try:
            used.append(_example(run.question, run.decomposition, verdict, analyzer))
        except ValueError as error:
            skipped.append(f"feedback {verdict.id}: {error}")
    return FeedbackSummary(used, skipped)


def _example(question: str, recorded: dict | None, verdict: Any, analyzer: HRMAnalyzer) -> Example:
    base = _recorded_analysis(recorded) or analyzer.analyze(question)
    role = Role(verdict.correct_role) if verdict.correct_role else base.primary_role
    steps = tuple(base.steps) or (PlanStep.ANSWER,)
    if verdict.should_split is False:
        steps = (PlanStep.ANSWER,)
    elif verdict.should_split is True and steps == (PlanStep.ANSWER,):
        steps = analyzer.likely_steps(question)
    return Example(question, tuple(base.domains) or (TaskType.GENERAL,), role, base.complexity, steps,
                   f"feedback:{verdict.id}", "feedback")


def _recorded_analysis(decomposition: dict | None) -> QueryAnalysis | None:
    """The analysis stored with the run (a TaskDecomposition dump), when it has one."""
    if not decomposition:
        return None
    try:
        steps = [s["step"] for s in decomposition.get("subtasks", []) if s.get("step")]
        return QueryAnalysis(
            domains=decomposition["domains"], complexity=decomposition["complexity"],
            primary_role=decomposition["primary_role"], strategy=decomposition["strategy"],
            confidence=decomposition["confidence"], decompose=len(decomposition.get("subtasks", [])) > 1,
            steps=steps or [PlanStep.ANSWER],
        )
    except (KeyError, TypeError, ValueError):
        return None


def fine_tune(
    storage: Any, checkpoint: Path, output: Path, *, epochs: int = 6, device: str = "auto", seed: int = 0,
    log: Callable[[str], None] = print, progress: Progress | None = None,
) -> Report:
    """Fine-tune the checkpoint on the feedback mixed with a replay sample of the corpus."""
    analyzer = HRMAnalyzer.load(checkpoint, device)
    summary = feedback_examples(storage, analyzer)
    for reason in summary.skipped:
        log("skipped " + reason)
    if not summary.used:
        raise ValueError(
            "no usable feedback in the database: rate answers on the chat page (a thumbs up, or a "
            "correction of the role or the split) and run `hrm-reason train --feedback` again"
        )
    splits = training_splits(seed)
    pool = train_set(splits)
    rng = random.Random(seed)
    replay = rng.sample(pool, min(len(pool), max(MIN_REPLAY, REPLAY_PER_FEEDBACK * len(summary.used))))
    mixed = replay + summary.used * 3  # the few corrections weigh more than one replayed example each
    log(f"fine-tuning on {len(summary.used)} feedback example(s) mixed with {len(replay)} replayed corpus examples")
    model = analyzer.model
    train_model(model, analyzer.tokenizer, mixed, TrainConfig(epochs=epochs, lr=5e-4, seed=seed), analyzer.device,
                log=log, progress=progress)
    meta = {**analyzer.meta, "fine_tuned_from": analyzer.sha256, "feedback_examples": len(summary.used)}
    return finish(output, model, analyzer.tokenizer, meta, splits, device, log)
