"""A wrapper on the rules with a private cache directory, for every decomposition test."""

from __future__ import annotations

import pytest

from hrm_local_wrapper import HRMLocalWrapper
from workbench.config import Settings


@pytest.fixture
def hrm(settings: Settings) -> HRMLocalWrapper:
    return HRMLocalWrapper(device="cpu", settings=settings)
