"""The hostile cases of issue 19, each run against the real component: faust, g++, the
bubblewrap sandbox, SQLite, the CLI as a subprocess, Streamlit and a headless browser.
`bench/reliability.py` runs this folder and prints the table of cases tried and passed."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.config import Settings, load_settings
from workbench.validate import faust_render, sandbox

SECRET_LINE = "the text of a private file"


@pytest.fixture(scope="session")
def shared_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("reliability-data")


@pytest.fixture
def vsettings(shared_data_dir: Path) -> Settings:
    return load_settings(data_dir=shared_data_dir, llm={"backend": "embedded", "ollama_host": "http://127.0.0.1:9"})


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A private file outside the project whose first line must never reach a message."""
    path = tmp_path / "private.txt"
    path.write_text(f"{SECRET_LINE}: root:x:0:0\n")
    return path


@pytest.fixture
def no_sandbox(monkeypatch: pytest.MonkeyPatch) -> str:
    """This machine as one without a usable bubblewrap: tools run unconfined, generated code
    does not run."""
    reason = "bubblewrap is not installed (simulated)"
    monkeypatch.setattr(sandbox, "confinement_problem", lambda: reason)
    monkeypatch.setattr(faust_render, "confinement_problem", lambda: reason)
    return reason
