"""Validation tests run the real faust, g++ and JUCE headers; the JUCE precompiled header is
built once per test session into a shared cache, not once per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.config import Settings, load_settings

OSC_440 = 'import("stdfaust.lib");\nprocess = os.osc(440) * 0.5;\n'


@pytest.fixture(scope="session")
def shared_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("validate-data")


@pytest.fixture
def vsettings(shared_data_dir: Path) -> Settings:
    """Settings whose cache (renders, JUCE PCH) lives for the whole session."""
    return load_settings(data_dir=shared_data_dir, llm={"backend": "embedded", "ollama_host": "http://127.0.0.1:9"})


def with_validation(settings: Settings, **fields) -> Settings:
    """A copy of `settings` with some validation fields changed."""
    return settings.model_copy(update={"validation": settings.validation.model_copy(update=fields)})
