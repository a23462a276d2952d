"""The evaluation a checkpoint was shipped with, and whether it earns the routing.

`hrm-reason train` writes `<checkpoint stem>_evaluation.json` beside the checkpoint: the
figures of the rules, the TF-IDF baseline and the HRM on the test split of the real-question
corpus (and on the synthetic test split and the project's hand-labelled set), tied to the
checkpoint by its sha256. The wrapper routes questions with the network only when that record
shows it ahead of the rule engine on every figure of the real test split; otherwise the rules
answer and the status names the figures that fell short. Torch-free, so
the decision costs a file read, not a model load.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

# figure key -> (label, higher is better)
ROUTING_FIGURES = {
    "role_accuracy": ("role accuracy", True),
    "domain_f1": ("domain F1", True),
    "decompose_f1": ("split F1", True),
    "complexity_mae": ("complexity MAE", False),
}


def evaluation_path(checkpoint: Path) -> Path:
    return checkpoint.with_name(checkpoint.stem + "_evaluation.json")


def write_evaluation(checkpoint: Path, sha256: str, figures: dict[str, Any]) -> Path:
    path = evaluation_path(checkpoint)
    path.write_text(json.dumps({"sha256": sha256, "figures": figures}, indent=1, sort_keys=True) + "\n")
    return path


GATE_SPLIT = "real_test"  # the test split of the real-question corpus, which nothing is tuned on


def shortfalls(figures: dict[str, dict[str, Any]]) -> list[str]:
    """Each figure on which the HRM does not beat the rules on the real test split, e.g.
    "real test domain F1 0.650 vs rules 0.814"; a record without that split's figures is a
    shortfall of its own (the synthetic test split and the project's set are reported, not gated)."""
    hrm, rules = figures.get(f"{GATE_SPLIT}/hrm"), figures.get(f"{GATE_SPLIT}/rules")
    if not hrm or not rules:
        return ["no figures on the real-question test split were recorded to compare with the rules"]
    found = []
    for key, (label, higher_is_better) in ROUTING_FIGURES.items():
        mine, theirs = hrm.get(key), rules.get(key)
        if mine is None or theirs is None:
            continue
        if not (mine > theirs if higher_is_better else mine < theirs):
            found.append(f"real test {label} {mine:.3f} vs rules {theirs:.3f}")
    return found


def routing_shortfalls(checkpoint: Path) -> list[str]:
    """[] when the recorded evaluation of this very checkpoint file beats the rules everywhere."""
    path = evaluation_path(checkpoint)
    if not path.is_file():
        return [f"no evaluation is recorded beside it ({path.name}); `hrm-reason train` writes one"]
    try:
        record = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        return [f"its evaluation record {path.name} is unreadable ({exc})"]
    if record.get("sha256") != hashlib.sha256(checkpoint.read_bytes()).hexdigest():
        return [f"{path.name} was written for another checkpoint; retrain or re-evaluate"]
    return shortfalls(record.get("figures") or {})
