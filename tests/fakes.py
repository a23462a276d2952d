"""The scripted backend as the tests know it; `tests/conftest.py` unregisters it after each test."""

from workbench.llm.scripted import ScriptedBackend as FakeBackend
from workbench.llm.scripted import use_backend

__all__ = ["FakeBackend", "use_backend"]
