"""The pages run for real (storage, facade, Streamlit); only the model is scripted."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from multi_model_system import MultiModelGLMSystem
from tests.fakes import FakeBackend, use_backend
from workbench.config import Settings
from workbench.ui import session

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


@pytest.fixture
def backend() -> FakeBackend:
    return FakeBackend("A **lowpass** is `fi.lowpass(2, 1000)`.", thinking="the user wants a filter",
                       models=["scripted-model"])


@pytest.fixture
def build_glm(settings: Settings) -> Callable[..., MultiModelGLMSystem]:
    def build(backend: FakeBackend, **kwargs) -> MultiModelGLMSystem:
        return MultiModelGLMSystem(use_backend(settings, backend), retriever=None, validator=None, **kwargs)

    return build


@pytest.fixture
def glm(monkeypatch: pytest.MonkeyPatch, build_glm, backend: FakeBackend) -> MultiModelGLMSystem:
    """The facade every page of the test gets from `get_system()`."""
    system = build_glm(backend)
    monkeypatch.setattr(session, "facade_factory", lambda: system)
    session.get_system.clear()
    yield system
    session.get_system.clear()
