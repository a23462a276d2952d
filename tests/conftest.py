"""Fixtures shared by every test room: isolated settings and a scripted backend."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from workbench.config import Settings, load_settings
from workbench.llm.registry import backend_names, unregister_backend

# Tests never read the developer's own settings file or talk to their Ollama.
os.environ["WORKBENCH_CONFIG"] = str(Path(__file__).parent / "no-such-settings.toml")
os.environ.pop("OLLAMA_HOST", None)
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(autouse=True)
def _registry_restored():
    """Backends a test registered (the scripted one) are gone after it; built-ins come back."""
    yield
    for name in backend_names():
        unregister_backend(name)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings with a private data directory and an Ollama host nobody listens on."""
    return load_settings(
        data_dir=tmp_path / "data",
        llm={"backend": "embedded", "ollama_host": "http://127.0.0.1:9"},
    )
