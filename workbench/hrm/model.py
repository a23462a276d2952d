"""The Hierarchical Reasoning Model (Wang et al., arXiv 2506.21734), sized for query routing.

Read top to bottom: the config, the building blocks (RMSNorm, rotary embedding, attention,
SwiGLU, a post-norm transformer block), a reasoning module (a stack of blocks with input
injection), and the HRM itself: a slow H-module and a fast L-module iterated H_cycles ×
L_cycles times per ACT segment, with the one-step gradient approximation (only the final L
and H step build a graph), a Q-head that decides whether to halt after each segment, and
the heads this project reads from the H-state. Pure torch: CPU, CUDA and MPS.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import torch
import torch.nn.functional as F
from torch import nn

from workbench.domain import PlanStep, Role, TaskType


def _names(enum: type) -> list[str]:
    return [member.value for member in enum]


@dataclass
class HRMConfig:
    """Every size of the network in one place; saved inside the checkpoint."""

    vocab_size: int = 2048
    max_len: int = 128  # tokens per query, the [CLS] token included (the corpus' longest is 82)
    hidden: int = 80  # 64 before the real-question corpus; 80 chose best on its validation split
    heads: int = 4
    expansion: float = 2.0  # SwiGLU inner width = expansion * hidden (rounded to 32)
    h_layers: int = 1
    l_layers: int = 1
    h_cycles: int = 2
    l_cycles: int = 2
    halt_max_steps: int = 2
    halt_exploration_prob: float = 0.1
    rope_theta: float = 10000.0
    rms_eps: float = 1e-5
    # label vocabularies, read from the domain enums when the network is built
    domains: list[str] = field(default_factory=lambda: _names(TaskType))
    roles: list[str] = field(default_factory=lambda: _names(Role))
    steps: list[str] = field(default_factory=lambda: _names(PlanStep))
    complexity_levels: int = 10

    def to_dict(self) -> dict:
        return asdict(self)


# ------------------------------------------------------------------ building blocks


def rms_norm(x: torch.Tensor, eps: float) -> torch.Tensor:
    """RMSNorm without a learned scale, as in the reference code (post-norm); one fused op."""
    return F.rms_norm(x, (x.shape[-1],), eps=eps)


class Rotary(nn.Module):
    """Rotary position encoding: cos/sin tables for every position up to max_len.

    The rotation is x·cos + swap_halves(x)·sin', with the sign of the first half folded into
    sin', so applying it is four tensor operations; `tables(t)` slices the tables once per
    forward pass rather than once per attention call.
    """

    def __init__(self, head_dim: int, max_len: int, theta: float) -> None:
        super().__init__()
        inv_freq = 1.0 / theta ** (torch.arange(0, head_dim, 2).float() / head_dim)
        angles = torch.outer(torch.arange(max_len).float(), inv_freq)  # (T, D/2)
        emb = torch.cat((angles, angles), dim=-1)  # (T, D)
        sign = torch.cat((-torch.ones(head_dim // 2), torch.ones(head_dim // 2)))
        self.register_buffer("cos", emb.cos(), persistent=False)
        self.register_buffer("signed_sin", emb.sin() * sign, persistent=False)

    def tables(self, length: int) -> Rope:
        return self.cos[:length], self.signed_sin[:length]


Rope = tuple[torch.Tensor, torch.Tensor]  # (cos, signed sin) for the current length, (T, D) each


def apply_rotary(x: torch.Tensor, rope: Rope) -> torch.Tensor:  # x: (..., T, D)
    cos, signed_sin = rope
    return x * cos + x.roll(x.shape[-1] // 2, dims=-1) * signed_sin


class Attention(nn.Module):
    """Non-causal multi-head self-attention through scaled_dot_product_attention."""

    def __init__(self, config: HRMConfig) -> None:
        super().__init__()
        self.heads = config.heads
        self.qkv = nn.Linear(config.hidden, 3 * config.hidden, bias=False)
        self.out = nn.Linear(config.hidden, config.hidden, bias=False)

    def forward(self, x: torch.Tensor, rope: Rope, mask: torch.Tensor | None) -> torch.Tensor:
        b, t, c = x.shape
        qkv = self.qkv(x).view(b, t, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4)  # (3, B, H, T, D)
        q, k = apply_rotary(qkv[:2], rope)  # one rotation for queries and keys together
        y = F.scaled_dot_product_attention(q, k, qkv[2], attn_mask=mask)
        return self.out(y.transpose(1, 2).reshape(b, t, c))


class SwiGLU(nn.Module):
    def __init__(self, config: HRMConfig) -> None:
        super().__init__()
        inner = 32 * math.ceil(config.expansion * config.hidden / 32)
        self.gate_up = nn.Linear(config.hidden, 2 * inner, bias=False)
        self.down = nn.Linear(inner, config.hidden, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        gate, up = self.gate_up(x).chunk(2, dim=-1)
        return self.down(F.silu(gate) * up)


class Block(nn.Module):
    """Post-norm transformer block: x = norm(x + attn(x)); x = norm(x + mlp(x))."""

    def __init__(self, config: HRMConfig) -> None:
        super().__init__()
        self.attn = Attention(config)
        self.mlp = SwiGLU(config)
        self.eps = config.rms_eps

    def forward(self, x: torch.Tensor, rope: Rope, mask: torch.Tensor | None) -> torch.Tensor:
        x = rms_norm(x + self.attn(x, rope, mask), self.eps)
        return rms_norm(x + self.mlp(x), self.eps)


class ReasoningModule(nn.Module):
    """A stack of blocks updating its state z from z + injection (input injection)."""

    def __init__(self, config: HRMConfig, layers: int) -> None:
        super().__init__()
        self.layers = nn.ModuleList(Block(config) for _ in range(layers))

    def forward(self, z: torch.Tensor, injection: torch.Tensor, rope: Rope, mask: torch.Tensor | None) -> torch.Tensor:
        z = z + injection
        for layer in self.layers:
            z = layer(z, rope, mask)
        return z


# ------------------------------------------------------------------ the HRM


@dataclass
class Carry:
    """State kept between ACT segments; always detached from the previous graph."""

    z_h: torch.Tensor  # (B, T, C)
    z_l: torch.Tensor  # (B, T, C)
    steps: torch.Tensor  # (B,) segments run so far
    halted: torch.Tensor  # (B,) bool


@dataclass
class SegmentInputs:
    """The embedded tokens, rotary tables and masks of one batch; the same in every segment."""

    x: torch.Tensor  # (B, T, C)
    rope: Rope
    attn_mask: torch.Tensor | None  # (B, 1, 1, T)
    pad_mask: torch.Tensor | None  # (B, T)


@dataclass
class HeadOutputs:
    """Logits of every head for one segment, read from the H-state ([CLS] and the mean)."""

    domains: torch.Tensor  # (B, n_domains)      multi-label
    role: torch.Tensor  # (B, n_roles)
    complexity: torch.Tensor  # (B, 10)          classes 1..10
    decompose: torch.Tensor  # (B,)
    steps: torch.Tensor  # (B, n_steps)          multi-label
    q_halt: torch.Tensor  # (B,)
    q_continue: torch.Tensor  # (B,)


class HRM(nn.Module):
    def __init__(self, config: HRMConfig, *, verbose: bool = False) -> None:
        super().__init__()
        self.config = config
        c = config.hidden
        self.embed = nn.Embedding(config.vocab_size, c)
        self.embed_scale = math.sqrt(c)
        self.rotary = Rotary(c // config.heads, config.max_len, config.rope_theta)
        self.h_module = ReasoningModule(config, config.h_layers)
        self.l_module = ReasoningModule(config, config.l_layers)
        # fixed initial states, as in the reference code (not learned)
        self.register_buffer("h_init", torch.nn.init.trunc_normal_(torch.empty(c), std=1.0))
        self.register_buffer("l_init", torch.nn.init.trunc_normal_(torch.empty(c), std=1.0))
        # heads read [CLS] and the mean of the H-state side by side: (B, 2C)
        self.domain_head = nn.Linear(2 * c, len(config.domains))
        self.role_head = nn.Linear(2 * c, len(config.roles))
        self.complexity_head = nn.Linear(2 * c, config.complexity_levels)
        self.decompose_head = nn.Linear(2 * c, 1)
        self.step_head = nn.Linear(2 * c, len(config.steps))
        self.q_head = nn.Linear(2 * c, 2)
        with torch.no_grad():  # start by preferring to continue, so early halting is learned
            self.q_head.weight.zero_()
            self.q_head.bias.fill_(-5.0)
        if verbose:
            print(f"HRM: {self.num_parameters():,} parameters")

    def num_parameters(self) -> int:
        return sum(p.numel() for p in self.parameters())

    def initial_carry(self, batch: int, length: int, device: torch.device) -> Carry:
        shape = (batch, length, self.config.hidden)
        return Carry(
            z_h=self.h_init.expand(shape).clone(), z_l=self.l_init.expand(shape).clone(),
            steps=torch.zeros(batch, dtype=torch.long, device=device),
            halted=torch.zeros(batch, dtype=torch.bool, device=device),
        )

    def segment(self, carry: Carry, tokens: torch.Tensor, pad_mask: torch.Tensor | None) -> tuple[Carry, HeadOutputs]:
        """One ACT segment: H_cycles × L_cycles updates, gradient through the last step only.

        tokens: (B, T) ids; pad_mask: (B, T) True where a real token is, or None.
        The returned carry is detached, so the next segment never backpropagates into this one.
        """
        return self._segment(carry, self._inputs(tokens, pad_mask))

    def _inputs(self, tokens: torch.Tensor, pad_mask: torch.Tensor | None) -> SegmentInputs:
        """What every segment of one batch reads; `infer` computes it once for all segments."""
        return SegmentInputs(
            x=self.embed(tokens) * self.embed_scale,  # (B, T, C)
            rope=self.rotary.tables(tokens.shape[1]),
            attn_mask=None if pad_mask is None else pad_mask[:, None, None, :],  # (B, 1, 1, T) keys to attend
            pad_mask=pad_mask,
        )

    def _segment(self, carry: Carry, inputs: SegmentInputs) -> tuple[Carry, HeadOutputs]:
        cfg, x, rope, mask = self.config, inputs.x, inputs.rope, inputs.attn_mask
        z_h, z_l = carry.z_h, carry.z_l
        with torch.no_grad():
            for h_step in range(cfg.h_cycles):
                for l_step in range(cfg.l_cycles):
                    if not (h_step == cfg.h_cycles - 1 and l_step == cfg.l_cycles - 1):
                        z_l = self.l_module(z_l, z_h + x, rope, mask)
                if h_step != cfg.h_cycles - 1:
                    z_h = self.h_module(z_h, z_l, rope, mask)
        # the one-step gradient: only these two updates are in the graph
        z_l = self.l_module(z_l, z_h + x, rope, mask)
        z_h = self.h_module(z_h, z_l, rope, mask)
        read = torch.cat((z_h[:, 0], _masked_mean(z_h, inputs.pad_mask)), dim=-1)  # (B, 2C)
        q = self.q_head(read).float()
        outputs = HeadOutputs(
            domains=self.domain_head(read), role=self.role_head(read), complexity=self.complexity_head(read),
            decompose=self.decompose_head(read).squeeze(-1), steps=self.step_head(read),
            q_halt=q[:, 0], q_continue=q[:, 1],
        )
        new_carry = Carry(z_h.detach(), z_l.detach(), carry.steps + 1, carry.halted)
        return new_carry, outputs

    def halting(self, carry: Carry, outputs: HeadOutputs) -> torch.Tensor:
        """Which sequences halt after this segment (ACT with Q-learning, as in the paper).

        Always at halt_max_steps; before that when Q(halt) > Q(continue). In training, with
        probability halt_exploration_prob a sequence is kept running for a random minimum
        number of segments in [2, halt_max_steps], so the Q-head sees longer runs too.
        """
        steps, max_steps = carry.steps, self.config.halt_max_steps
        halted = (steps >= max_steps) | (outputs.q_halt > outputs.q_continue)
        if self.training and max_steps > 1:
            explore = torch.rand_like(outputs.q_halt) < self.config.halt_exploration_prob
            min_steps = explore * torch.randint_like(steps, low=2, high=max_steps + 1)
            halted = (halted & (steps >= min_steps)) | (steps >= max_steps)
        return halted

    @torch.no_grad()
    def q_continue_target(self, carry: Carry, tokens: torch.Tensor, pad_mask: torch.Tensor | None) -> torch.Tensor:
        """The Q-learning target for 'continue': sigmoid of the next segment's best Q value,
        or of its Q(halt) when the next segment is the last one allowed."""
        _, nxt = self.segment(carry, tokens, pad_mask)
        is_last = carry.steps >= self.config.halt_max_steps
        return torch.sigmoid(torch.where(is_last, nxt.q_halt, torch.maximum(nxt.q_halt, nxt.q_continue)))

    @torch.inference_mode()
    def infer(self, tokens: torch.Tensor, pad_mask: torch.Tensor | None = None) -> tuple[HeadOutputs, torch.Tensor]:
        """Run segments until every sequence halts; returns each sequence's outputs at its
        halting segment and the number of segments (ACT steps) it used."""
        carry = self.initial_carry(tokens.shape[0], tokens.shape[1], tokens.device)
        inputs = self._inputs(tokens, pad_mask)
        final: HeadOutputs | None = None
        used = torch.zeros_like(carry.steps)
        while True:
            carry, out = self._segment(carry, inputs)
            newly = self.halting(carry, out) & ~carry.halted
            final = out if final is None else _select(newly, out, final)
            used = torch.where(newly, carry.steps, used)
            carry.halted = carry.halted | newly
            if bool(carry.halted.all()):
                return final, used


def _masked_mean(z: torch.Tensor, pad_mask: torch.Tensor | None) -> torch.Tensor:
    """Mean over the real tokens, (B, T, C) -> (B, C)."""
    if pad_mask is None:
        return z.mean(dim=1)
    weights = pad_mask.unsqueeze(-1).to(z.dtype)
    return (z * weights).sum(dim=1) / weights.sum(dim=1)


def _select(mask: torch.Tensor, new: HeadOutputs, old: HeadOutputs) -> HeadOutputs:
    def pick(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        return torch.where(mask.view(-1, *([1] * (a.dim() - 1))), a, b)

    return HeadOutputs(**{name: pick(getattr(new, name), getattr(old, name)) for name in HeadOutputs.__dataclass_fields__})
