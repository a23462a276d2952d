"""`HRMAnalyzer`: the trained network behind the decomposition engine's `Analyzer` seam.

It turns one question into a `QueryAnalysis` (method "hrm", with the ACT steps the network
used). Loading fails loudly with a `CheckpointError`, so the caller can fall back to the
rules and say why.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from workbench.domain import Method, PlanStep, QueryAnalysis, Role, Strategy, TaskType
from workbench.hrm.checkpoint import CheckpointError, LoadedCheckpoint, load_checkpoint
from workbench.hrm.model import HeadOutputs
from workbench.hrm.tokenizer import encode_batch
from workbench.hrm.device import resolve_device, single_thread_on_cpu

__all__ = ["CheckpointError", "HRMAnalyzer", "Prediction"]

_PLATFORMS = (TaskType.FAUST, TaskType.JUCE, TaskType.CPP, TaskType.PYTHON, TaskType.MATH)


@dataclass(frozen=True)
class Prediction:
    """The decoded heads for one question, with the probabilities behind them."""

    domains: tuple[TaskType, ...]
    role: Role
    complexity: int
    decompose: bool
    steps: tuple[PlanStep, ...]
    act_steps: int
    role_probability: float
    decompose_probability: float
    confidence: float


class HRMAnalyzer:
    def __init__(self, checkpoint: LoadedCheckpoint, path: Path, device: torch.device) -> None:
        self.model = checkpoint.model
        self.tokenizer = checkpoint.tokenizer
        self.sha256 = checkpoint.sha256
        self.meta = checkpoint.meta
        self.path = path
        self.device = device
        cfg = self.model.config
        self._domains = [TaskType(d) for d in cfg.domains]
        self._roles = [Role(r) for r in cfg.roles]
        self._steps = [PlanStep(s) for s in cfg.steps]

    @classmethod
    def load(cls, path: Path | str, device: str = "auto") -> HRMAnalyzer:
        """Load a checkpoint; raises CheckpointError (missing, corrupt, mismatched) or
        ValueError (a device this machine does not have)."""
        resolved = resolve_device(device)
        return cls(load_checkpoint(Path(path), resolved), Path(path), resolved)

    def _infer(self, queries: Sequence[str]) -> tuple[HeadOutputs, torch.Tensor]:
        ids, mask = encode_batch(self.tokenizer, list(queries), self.model.config.max_len)
        pad_mask = None if bool(mask.all()) else mask.to(self.device)
        with single_thread_on_cpu(self.device):
            return self.model.infer(ids.to(self.device), pad_mask)

    def predict(self, queries: Sequence[str]) -> list[Prediction]:
        """Batched inference; each question halts after its own number of ACT segments."""
        out, used = self._infer(queries)
        # decoded from Python lists: element-wise tensor comparisons would cost a dispatch each
        domains = torch.sigmoid(out.domains.float()).tolist()
        roles = torch.softmax(out.role.float(), -1).tolist()
        complexity = torch.softmax(out.complexity.float(), -1).tolist()
        decompose = torch.sigmoid(out.decompose.float()).tolist()
        steps = torch.sigmoid(out.steps.float()).tolist()
        used = used.tolist()
        return [
            self._decode(domains[i], roles[i], complexity[i], decompose[i], steps[i], used[i])
            for i in range(len(queries))
        ]

    def _decode(
        self, domains: list[float], roles: list[float], complexity: list[float], decompose: float,
        steps: list[float], act_steps: int,
    ) -> Prediction:
        chosen = [d for d, p in zip(self._domains, domains) if p > 0.5] or [self._domains[_argmax(domains)]]
        # the median level: least absolute error
        level = 1 + next((i for i, total in enumerate(itertools.accumulate(complexity)) if total >= 0.5),
                         len(complexity) - 1)
        split = decompose > 0.5
        plan = [s for s, p in zip(self._steps, steps) if p > 0.5 and s is not PlanStep.ANSWER]
        if split and not plan:  # the split head and the step head disagree: take the two likeliest steps
            ranked = sorted(zip(steps, self._steps), key=lambda t: t[0], reverse=True)
            plan = sorted([s for _, s in ranked if s is not PlanStep.ANSWER][:2], key=self._steps.index)
        role_p = max(roles)
        decide_p = decompose if split else 1.0 - decompose
        domain_p = min(max(p, 1 - p) for p in domains)
        confidence = (role_p * decide_p * domain_p) ** (1 / 3)
        return Prediction(
            domains=tuple(chosen), role=self._roles[_argmax(roles)], complexity=level, decompose=split,
            steps=tuple(plan) if split else (PlanStep.ANSWER,), act_steps=act_steps,
            role_probability=role_p, decompose_probability=decompose, confidence=round(confidence, 4),
        )

    def likely_steps(self, query: str, count: int = 3) -> tuple[PlanStep, ...]:
        """The `count` likeliest plan steps other than a direct answer, in plan order (for a
        question a user said should have been split)."""
        probabilities = torch.sigmoid(self._infer([query])[0].steps[0].float()).tolist()
        ranked = sorted((p, s) for p, s in zip(probabilities, self._steps) if s is not PlanStep.ANSWER)[::-1]
        return tuple(sorted((s for _, s in ranked[:count]), key=self._steps.index))

    def analyze(self, query: str, context: Mapping[str, Any] | None = None) -> QueryAnalysis:
        """The network's analysis of one question (context is accepted for the Analyzer
        protocol; the network reads the question only)."""
        if not query or not query.strip():
            raise ValueError("Type a question first: the HRM cannot analyze an empty question")
        p = self.predict([query])[0]
        strategy = strategy_for(p)
        return QueryAnalysis(
            domains=list(p.domains), complexity=p.complexity, primary_role=p.role, strategy=strategy,
            confidence=p.confidence, decompose=p.decompose, steps=list(p.steps), method=Method.HRM,
            act_steps=p.act_steps,
            reasoning=[
                f"HRM network ({self.sha256[:12]}) halted after {p.act_steps} ACT step(s)",
                f"domains {', '.join(d.value for d in p.domains)}",
                f"role {p.role.value} (p={p.role_probability:.2f})",
                f"complexity {p.complexity}/10",
                f"decompose: {'yes' if p.decompose else 'no'} (p={p.decompose_probability:.2f})",
                f"steps {', '.join(s.value for s in p.steps)}",
                f"strategy {strategy.value}",
            ],
        )

    def status(self) -> dict[str, Any]:
        return {
            "method": Method.HRM.value, "model_loaded": True, "device": self.device.type,
            "checkpoint": str(self.path), "checkpoint_hash": self.sha256, "sha256": self.sha256,
            "params": self.model.num_parameters(), "trained_at": self.meta.get("trained_at"),
        }


def _argmax(values: list[float]) -> int:
    return max(range(len(values)), key=values.__getitem__)


def strategy_for(p: Prediction) -> Strategy:
    """Direct when not split; hierarchical for the hardest band (8-10), as the rule engine;
    parallel when the plan spans independent platforms; otherwise one step after another."""
    if not p.decompose:
        return Strategy.DIRECT
    if p.complexity >= 8:
        return Strategy.HIERARCHICAL
    if sum(d in _PLATFORMS for d in p.domains) >= 2:
        return Strategy.PARALLEL
    return Strategy.SEQUENTIAL
