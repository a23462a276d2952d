"""The network itself: shapes, ACT halting, Q targets, the one-step gradient."""

from __future__ import annotations

import torch

from workbench.domain import PlanStep, Role, TaskType
from workbench.hrm.model import HRM, Rotary, apply_rotary
from workbench.hrm.tokenizer import encode_batch


def _batch(tokenizer, model: HRM):
    return encode_batch(tokenizer, ["my biquad blows up at high Q", "APVTS attachment for a slider", "hi"],
                        model.config.max_len)


def test_heads_have_one_output_per_enum_member(tiny_model, tokenizer):
    ids, mask = _batch(tokenizer, tiny_model)
    carry = tiny_model.initial_carry(*ids.shape, ids.device)
    carry, out = tiny_model.segment(carry, ids, mask)
    assert carry.z_h.shape == carry.z_l.shape == (3, ids.shape[1], 32)
    assert out.domains.shape == (3, len(TaskType))
    assert out.role.shape == (3, len(Role))
    assert out.complexity.shape == (3, 10)
    assert out.decompose.shape == out.q_halt.shape == out.q_continue.shape == (3,)
    assert out.steps.shape == (3, len(PlanStep))
    assert carry.steps.tolist() == [1, 1, 1]


def test_padding_does_not_change_a_question_s_outputs(tiny_model, tokenizer):
    tiny_model.eval()
    ids, mask = _batch(tokenizer, tiny_model)
    alone, _ = encode_batch(tokenizer, ["hi"], tiny_model.config.max_len)
    batched, _ = tiny_model.infer(ids, mask)
    single, _ = tiny_model.infer(alone)
    torch.testing.assert_close(batched.role[2], single.role[0], atol=1e-5, rtol=1e-5)


def test_act_runs_to_halt_max_steps_when_q_prefers_to_continue(tiny_model, tokenizer):
    tiny_model.eval()
    with torch.no_grad():
        tiny_model.q_head.bias.copy_(torch.tensor([-5.0, 5.0]))  # Q(halt) < Q(continue) always
    ids, mask = _batch(tokenizer, tiny_model)
    _, used = tiny_model.infer(ids, mask)
    assert used.tolist() == [3, 3, 3]


def test_act_halts_after_one_segment_when_q_prefers_to_halt(tiny_model, tokenizer):
    tiny_model.eval()
    with torch.no_grad():
        tiny_model.q_head.bias.copy_(torch.tensor([5.0, -5.0]))
    ids, mask = _batch(tokenizer, tiny_model)
    _, used = tiny_model.infer(ids, mask)
    assert used.tolist() == [1, 1, 1]


def test_training_halting_never_exceeds_halt_max_steps(tiny_model, tokenizer):
    tiny_model.train()
    tiny_model.config.halt_exploration_prob = 1.0  # every sequence explores
    ids, mask = _batch(tokenizer, tiny_model)
    carry = tiny_model.initial_carry(*ids.shape, ids.device)
    for _ in range(tiny_model.config.halt_max_steps):
        carry, out = tiny_model.segment(carry, ids, mask)
        halted = tiny_model.halting(carry, out)
    assert halted.all()


def test_q_continue_target_follows_the_paper(tiny_model, tokenizer):
    """G_continue = sigmoid(max(Q_halt, Q_continue) of the next segment), or sigmoid(Q_halt)
    of the next segment once the current one is the last allowed."""
    tiny_model.eval()
    with torch.no_grad():
        tiny_model.q_head.weight.normal_(0, 1.0)
    ids, mask = _batch(tokenizer, tiny_model)
    carry = tiny_model.initial_carry(*ids.shape, ids.device)
    carry, _ = tiny_model.segment(carry, ids, mask)
    target = tiny_model.q_continue_target(carry, ids, mask)
    _, nxt = tiny_model.segment(carry, ids, mask)
    torch.testing.assert_close(target, torch.sigmoid(torch.maximum(nxt.q_halt, nxt.q_continue)))
    for _ in range(tiny_model.config.halt_max_steps - 1):
        carry, _ = tiny_model.segment(carry, ids, mask)
    last_target = tiny_model.q_continue_target(carry, ids, mask)
    _, after_last = tiny_model.segment(carry, ids, mask)
    torch.testing.assert_close(last_target, torch.sigmoid(after_last.q_halt))


def test_only_the_last_l_and_h_step_build_a_graph(tiny_model, tokenizer):
    """The one-step gradient: every earlier module call runs without autograd, and the
    carry handed to the next segment holds no graph."""
    tiny_model.train()
    grad_enabled = {"l": [], "h": []}
    tiny_model.l_module.register_forward_hook(lambda *_: grad_enabled["l"].append(torch.is_grad_enabled()))
    tiny_model.h_module.register_forward_hook(lambda *_: grad_enabled["h"].append(torch.is_grad_enabled()))
    ids, mask = _batch(tokenizer, tiny_model)
    carry = tiny_model.initial_carry(*ids.shape, ids.device)
    carry, out = tiny_model.segment(carry, ids, mask)
    h, l_ = tiny_model.config.h_cycles, tiny_model.config.l_cycles
    assert grad_enabled["l"] == [False] * (h * l_ - 1) + [True]
    assert grad_enabled["h"] == [False] * (h - 1) + [True]
    assert not carry.z_h.requires_grad and not carry.z_l.requires_grad
    assert out.role.requires_grad
    out.role.sum().backward()
    assert tiny_model.embed.weight.grad is not None  # the input injection of the last L step


def test_parameter_count_is_printed(tiny_config, capsys):
    model = HRM(tiny_config, verbose=True)
    assert f"{model.num_parameters():,} parameters" in capsys.readouterr().out


def test_rotary_is_the_rotate_half_rotation_of_the_reference_code():
    rotary = Rotary(head_dim=8, max_len=16, theta=10000.0)
    x = torch.randn(2, 3, 5, 8)
    inv_freq = 1.0 / 10000.0 ** (torch.arange(0, 8, 2).float() / 8)
    angles = torch.outer(torch.arange(5).float(), inv_freq)
    emb = torch.cat((angles, angles), dim=-1)
    rotate_half = torch.cat((-x[..., 4:], x[..., :4]), dim=-1)
    expected = x * emb.cos() + rotate_half * emb.sin()
    assert torch.allclose(apply_rotary(x, rotary.tables(5)), expected, atol=1e-6)
