"""A wrapper on the rules with a private cache directory, for every decomposition test."""

from __future__ import annotations

import pytest

from hrm_local_wrapper import HRMLocalWrapper
from workbench.config import Settings


@pytest.fixture
def hrm(settings: Settings, tmp_path) -> HRMLocalWrapper:
    """The rule engine alone: no checkpoint, whatever models/ holds."""
    settings.hrm.checkpoint = tmp_path / "no-checkpoint.pt"
    return HRMLocalWrapper(device="cpu", settings=settings)
