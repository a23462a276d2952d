"""The Knowledge page works on the facade's settings and index, not on a second copy."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.conftest import APP
from workbench.retrieval import KnowledgeBase
from workbench.ui import knowledge_view, session


@pytest.fixture
def fresh_knowledge_base():
    knowledge_view.get_knowledge_base.clear()
    yield knowledge_view.get_knowledge_base
    knowledge_view.get_knowledge_base.clear()


def test_without_a_facade_index_the_page_builds_one_on_the_facade_settings(glm, fresh_knowledge_base):
    glm.settings.retrieval.top_k = 11  # changed for the app after it started

    kb = fresh_knowledge_base()

    assert kb is not glm.retriever and kb.settings is glm.settings
    assert kb.settings.index_dir == glm.settings.index_dir and kb.settings.retrieval.top_k == 11


def test_the_page_shares_the_facade_index(monkeypatch, build_glm, backend, settings, fresh_knowledge_base):
    settings.retrieval.use_embeddings = False
    system = build_glm(backend)
    system.retriever = KnowledgeBase(settings)
    monkeypatch.setattr(session, "facade_factory", lambda: system)
    session.get_system.clear()

    assert fresh_knowledge_base() is system.retriever

    at = AppTest.from_file(APP, default_timeout=30)
    at.switch_page("pages/3_Knowledge.py")
    at.run()
    assert not at.exception
    metrics = [m.value for m in at.metric]
    assert metrics[1] == "0" and metrics[3] == "never ingested"  # the facade's empty private index
    session.get_system.clear()
