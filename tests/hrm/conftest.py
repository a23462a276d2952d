"""Small real networks and tokenizers for the HRM tests (seconds on 2 cores)."""

from __future__ import annotations

import pytest
import torch

from workbench.hrm.corpus import build_corpus
from workbench.hrm.model import HRM, HRMConfig
from workbench.hrm.tokenizer import train_tokenizer


@pytest.fixture(scope="session")
def corpus():
    return build_corpus()


@pytest.fixture(scope="session")
def tokenizer(corpus):
    return train_tokenizer([e.query for e in corpus["train"]], 300)


@pytest.fixture
def tiny_config(tokenizer) -> HRMConfig:
    return HRMConfig(vocab_size=tokenizer.get_vocab_size(), hidden=32, heads=2, h_cycles=2, l_cycles=3, halt_max_steps=3)


@pytest.fixture
def tiny_model(tiny_config) -> HRM:
    torch.manual_seed(0)
    return HRM(tiny_config)
