"""Training the HRM: deep supervision over ACT segments with a Q-learned halting head.

For every batch the carry starts fresh and segments run until every sequence halts (or
halt_max_steps). Each segment is its own supervised step — loss, backward, optimizer step —
and the carry is detached between segments (deep supervision). The Q-head learns Q(halt)
against "this segment's answer is fully right" and Q(continue) against the next segment's
best Q value, as in the paper. Everything is seeded, so a run on CPU is reproducible.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from tokenizers import Tokenizer

from workbench.hrm.corpus import Example
from workbench.hrm.device import single_thread_on_cpu
from workbench.hrm.model import HRM, HeadOutputs
from workbench.hrm.tokenizer import UNK_ID, encode_batch


@dataclass
class TrainConfig:
    epochs: int = 25  # the shipped checkpoint's (GPU sweep on the real validation split); 8 fit a 27-minute CPU run
    batch_size: int = 64
    lr: float = 3e-3
    weight_decay: float = 0.05
    q_weight: float = 0.5
    token_dropout: float = 0.1  # share of words replaced by [UNK] in training, against memorized phrasings
    # No epoch of the first half is kept: at the peak of the one-cycle rate a high validation
    # score on ~200 questions is mostly luck (one template flipping), not a better network.
    keep_from: float = 0.5
    seed: int = 0


@dataclass
class Labels:
    """Targets of a batch, one tensor per head."""

    domains: torch.Tensor  # (B, n_domains) float multi-hot
    role: torch.Tensor  # (B,) long
    complexity: torch.Tensor  # (B,) long, 0..9
    decompose: torch.Tensor  # (B,) float
    steps: torch.Tensor  # (B, n_steps) float multi-hot

    def to(self, device: torch.device) -> Labels:
        return Labels(*(getattr(self, f).to(device) for f in self.__dataclass_fields__))


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def encode_labels(model: HRM, examples: Sequence[Example]) -> Labels:
    cfg = model.config
    domains = torch.zeros(len(examples), len(cfg.domains))
    steps = torch.zeros(len(examples), len(cfg.steps))
    for i, ex in enumerate(examples):
        for d in ex.domains:
            domains[i, cfg.domains.index(d.value)] = 1.0
        for s in ex.steps:
            steps[i, cfg.steps.index(s.value)] = 1.0
    return Labels(
        domains=domains,
        role=torch.tensor([cfg.roles.index(ex.role.value) for ex in examples]),
        complexity=torch.tensor([ex.complexity - 1 for ex in examples]),
        decompose=torch.tensor([float(ex.decompose) for ex in examples]),
        steps=steps,
    )


def task_loss(out: HeadOutputs, labels: Labels) -> torch.Tensor:
    """Per-sequence loss of the five task heads, (B,)."""
    return (
        F.binary_cross_entropy_with_logits(out.domains, labels.domains, reduction="none").mean(-1) * 4
        + F.cross_entropy(out.role, labels.role, reduction="none")
        + F.cross_entropy(out.complexity, labels.complexity, reduction="none")
        + F.binary_cross_entropy_with_logits(out.decompose, labels.decompose, reduction="none")
        + F.binary_cross_entropy_with_logits(out.steps, labels.steps, reduction="none").mean(-1) * 4
    )


def fully_correct(out: HeadOutputs, labels: Labels) -> torch.Tensor:
    """The Q(halt) target: every head right (complexity within one band step), (B,) float."""
    ok = (out.role.argmax(-1) == labels.role)
    ok &= ((out.domains > 0).float() == labels.domains).all(-1)
    ok &= ((out.decompose > 0).float() == labels.decompose)
    ok &= (out.complexity.argmax(-1) - labels.complexity).abs() <= 1
    return ok.float()


def train_batch(
    model: HRM, optimizer: torch.optim.Optimizer, ids: torch.Tensor, mask: torch.Tensor, labels: Labels,
    q_weight: float,
) -> tuple[float, int]:
    """Deep supervision over the ACT segments of one batch; returns (mean loss, segments run)."""
    carry = model.initial_carry(ids.shape[0], ids.shape[1], ids.device)
    losses: list[float] = []
    while not bool(carry.halted.all()):
        carry, out = model.segment(carry, ids, mask)
        active = (~carry.halted).float()
        halt_target = fully_correct(out, labels)
        continue_target = model.q_continue_target(carry, ids, mask)
        per_seq = task_loss(out, labels) + q_weight * (
            F.binary_cross_entropy_with_logits(out.q_halt, halt_target, reduction="none")
            + F.binary_cross_entropy_with_logits(out.q_continue, continue_target, reduction="none")
        )
        loss = (per_seq * active).sum() / active.sum()
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        losses.append(float(loss.detach()))
        carry.halted = carry.halted | model.halting(carry, out).detach()
    return sum(losses) / len(losses), len(losses)


def _length_bucketed_batches(lengths: list[int], batch_size: int, rng: random.Random) -> list[torch.Tensor]:
    """Shuffled batches of similar length: padding costs compute on a 2-core CPU."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    pool = batch_size * 8
    batches = []
    for start in range(0, len(order), pool):
        chunk = sorted(order[start : start + pool], key=lengths.__getitem__)
        batches += [torch.tensor(chunk[i : i + batch_size]) for i in range(0, len(chunk), batch_size)]
    rng.shuffle(batches)
    return batches


Progress = Callable[[int, int], None]  # (batches done, batches in all epochs), after each batch


def train_model(
    model: HRM, tokenizer: Tokenizer, train: Sequence[Example], config: TrainConfig, device: torch.device,
    *, val: Sequence[Example] = (), score: Callable[[HRM], float] | None = None, log: Callable[[str], None] = print,
    progress: Progress | None = None,
) -> list[float]:
    """Train in place; keep the weights of the epoch with the best `score` (on validation
    data, never the test split) when one is given. Returns the mean loss of every epoch.
    `progress` hears of every batch (a bar in the CLI: an epoch takes minutes on 2 cores)."""
    with single_thread_on_cpu(device):
        return _train(model, tokenizer, train, config, device, val, score, log, progress)


def _train(
    model: HRM, tokenizer: Tokenizer, train: Sequence[Example], config: TrainConfig, device: torch.device,
    val: Sequence[Example], score: Callable[[HRM], float] | None, log: Callable[[str], None],
    progress: Progress | None,
) -> list[float]:
    seed_everything(config.seed)
    model.to(device).train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=config.lr, weight_decay=config.weight_decay)
    batches_per_epoch = max(1, -(-len(train) // config.batch_size))
    scheduler = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=config.lr, total_steps=config.epochs * batches_per_epoch * model.config.halt_max_steps,
        pct_start=0.1,
    )
    ids_all, mask_all = encode_batch(tokenizer, [e.query for e in train], model.config.max_len)
    labels_all = encode_labels(model, train)
    order_rng = random.Random(config.seed)
    lengths = mask_all.sum(-1).tolist()
    history: list[float] = []
    best: tuple[float, dict] | None = None
    done = 0
    for epoch in range(config.epochs):
        epoch_losses = []
        for idx in _length_bucketed_batches(lengths, config.batch_size, order_rng):
            length = int(mask_all[idx].sum(-1).max())
            labels = Labels(*(getattr(labels_all, f)[idx] for f in Labels.__dataclass_fields__)).to(device)
            ids, mask = ids_all[idx, :length], mask_all[idx, :length]
            dropped = (torch.rand(ids.shape) < config.token_dropout) & mask
            dropped[:, 0] = False  # keep [CLS], where the heads read
            ids = ids.masked_fill(dropped, UNK_ID)
            loss, segments = train_batch(model, optimizer, ids.to(device), mask.to(device), labels, config.q_weight)
            for _ in range(segments):  # the schedule counts optimizer steps
                if scheduler.last_epoch < scheduler.total_steps - 1:
                    scheduler.step()
            epoch_losses.append(loss)
            done += 1
            if progress is not None:
                progress(done, config.epochs * batches_per_epoch)
        history.append(sum(epoch_losses) / len(epoch_losses))
        message = f"epoch {epoch + 1}/{config.epochs}: loss {history[-1]:.4f}"
        if score is not None and val:
            model.eval()
            value = score(model)
            model.train()
            message += f", validation score {value:.4f}"
            if epoch + 1 >= config.epochs * config.keep_from and (best is None or value > best[0]):
                best = (value, copy.deepcopy(model.state_dict()))
        log(message)
    if best is not None:
        model.load_state_dict(best[1])
    model.eval()
    return history
