"""Fixtures of the analysis room: the fixture project (Python + JUCE-style C++ + FAUST
written for these tests, with known hotspots and real-time violations) and a copy of it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURE = Path(__file__).parent / "fixture_project"


@pytest.fixture
def fixture_project() -> Path:
    return FIXTURE


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A private copy the test may change."""
    target = tmp_path / "project"
    shutil.copytree(FIXTURE, target)
    return target


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI loads its own settings: keep its data out of the developer's home."""
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "cli-data"))
