"""The facade the pages share: built once, with the router loading beside the first page."""

from __future__ import annotations

import threading

from multi_model_system import MultiModelGLMSystem
from tests.fakes import FakeBackend, use_backend
from workbench.decomposer import HRMLocalWrapper
from workbench.ui import session


def test_the_router_is_loaded_before_the_first_question(monkeypatch, settings):
    system = MultiModelGLMSystem(use_backend(settings, FakeBackend("ok")), retriever=None, validator=None)
    monkeypatch.setattr(session, "facade_factory", lambda: system)
    session.get_system.clear()
    try:
        assert session.get_system() is system
        (loading,) = [t for t in threading.enumerate() if t.name == "load the router"]
        loading.join(timeout=60)

        assert not loading.is_alive() and isinstance(system._hrm, HRMLocalWrapper)  # before any question
        assert system.hrm is system._hrm
    finally:
        session.get_system.clear()
