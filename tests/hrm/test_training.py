"""Training, checkpoints and the analyzer, with real (small) networks and files."""

from __future__ import annotations

import pytest
import torch

from workbench.hrm.analyzer import HRMAnalyzer
from workbench.hrm.checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from workbench.hrm.tokenizer import encode_batch
from workbench.hrm.train import TrainConfig, train_model


def test_a_tiny_training_run_lowers_the_loss(tiny_model, tokenizer, corpus):
    history = train_model(tiny_model, tokenizer, corpus["train"][:128], TrainConfig(epochs=4, batch_size=32),
                          torch.device("cpu"), log=lambda _: None)
    assert history[-1] < 0.8 * history[0]


def test_save_and_load_give_identical_outputs(tiny_model, tokenizer, tmp_path):
    tiny_model.eval()
    ids, mask = encode_batch(tokenizer, ["port this schroeder reverb to faust", "hi"], tiny_model.config.max_len)
    before, steps_before = tiny_model.infer(ids, mask)
    sha = save_checkpoint(tmp_path / "hrm.pt", tiny_model, tokenizer, {"note": "test"})
    loaded = load_checkpoint(tmp_path / "hrm.pt", torch.device("cpu"))
    after, steps_after = loaded.model.infer(ids, mask)
    assert loaded.sha256 == sha and loaded.meta == {"note": "test"}
    assert loaded.tokenizer.to_str() == tokenizer.to_str()
    assert torch.equal(before.role, after.role) and torch.equal(before.steps, after.steps)
    assert torch.equal(steps_before, steps_after)


@pytest.mark.parametrize("content", [b"", b"not a torch file at all", b"PK\x03\x04 truncated zip"])
def test_a_corrupt_checkpoint_is_a_clear_error(tmp_path, content):
    path = tmp_path / "hrm.pt"
    path.write_bytes(content)
    with pytest.raises(CheckpointError, match="corrupt.*hrm-reason train"):
        HRMAnalyzer.load(path, "cpu")


def test_a_truncated_checkpoint_is_a_clear_error(tiny_model, tokenizer, tmp_path):
    path = tmp_path / "hrm.pt"
    save_checkpoint(path, tiny_model, tokenizer)
    path.write_bytes(path.read_bytes()[:-200])
    with pytest.raises(CheckpointError, match="hrm-reason train"):
        HRMAnalyzer.load(path, "cpu")


def test_a_checkpoint_of_another_kind_is_a_clear_error(tmp_path):
    path = tmp_path / "hrm.pt"
    torch.save({"weights": torch.zeros(3)}, path)
    with pytest.raises(CheckpointError, match="not an HRM checkpoint"):
        HRMAnalyzer.load(path, "cpu")


def test_a_missing_checkpoint_says_how_to_make_one(tmp_path):
    with pytest.raises(CheckpointError, match="no HRM checkpoint.*hrm-reason train"):
        HRMAnalyzer.load(tmp_path / "absent.pt", "cpu")


def test_an_absent_device_is_refused():
    if torch.cuda.is_available():
        pytest.fail("this test expects the CPU-only torch of the project machines")
    with pytest.raises(ValueError, match="no CUDA GPU"):
        HRMAnalyzer.load("models/hrm.pt", "cuda")
