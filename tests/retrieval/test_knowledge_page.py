"""The Knowledge page through Streamlit's AppTest, on a small real index."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from workbench.retrieval import KnowledgeBase
from workbench.ui import knowledge_view

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "3_Knowledge.py")


@pytest.fixture
def page(bm25_settings, monkeypatch):
    kb = KnowledgeBase(bm25_settings)
    monkeypatch.setattr(knowledge_view, "knowledge_base_factory", lambda: kb)
    knowledge_view.get_knowledge_base.clear()
    yield kb
    knowledge_view.get_knowledge_base.clear()


def test_ingest_then_search_shows_results_with_sources(page, tmp_path):
    app = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not app.exception
    assert app.metric[3].value == "never ingested"
    app.text_input(key="knowledge_project_dir").input(str(tmp_path / "nowhere"))
    app.button(key="knowledge_ingest").click().run()
    assert "is not a folder" in app.error[0].value
    app.text_input(key="knowledge_project_dir").input("")
    app.button(key="knowledge_ingest").click().run()
    assert not app.exception
    assert int(app.metric[1].value.replace(",", "")) > 200
    app.text_input(key="knowledge_query").input("Butterworth lowpass").run()
    shown = [m.value for m in app.markdown]
    assert any("fi.lowpass — filters.lib:1558" in text for text in shown)
    table = app.dataframe[0].value
    assert set(table["source"]) == {s for s in page.status()["sources"]}


def test_freshness_wording():
    assert knowledge_view.freshness(None) == "never ingested"
    assert knowledge_view.freshness(30) == "30 s ago"
    assert knowledge_view.freshness(600) == "10 min ago"
    assert knowledge_view.freshness(3 * 86400) == "3 days ago"


def test_the_page_shows_the_background_build_and_switches_to_hybrid(tmp_path, sources, monkeypatch):
    from tests.retrieval.conftest import small_settings
    from tests.retrieval.test_background_build import BATCH, HashingEmbedder
    from workbench.retrieval import knowledge_base

    monkeypatch.setattr(knowledge_base, "EMBED_BATCH", BATCH)
    kb = KnowledgeBase(small_settings(tmp_path, sources, embeddings=True), background=False)
    embedder = HashingEmbedder(gated=True)
    kb.embedder = embedder
    kb.ingest(embeddings="background")
    assert embedder.first_batch_done.wait(10)
    monkeypatch.setattr(knowledge_view, "knowledge_base_factory", lambda: kb)
    knowledge_view.get_knowledge_base.clear()
    try:
        app = AppTest.from_file(PAGE, default_timeout=60).run()
        assert not app.exception
        bars = [p.value for p in app.get("progress")]
        assert bars, "no progress bar while the vectors are built"
        assert app.metric[0].value == "bm25"
        embedder.gate.set()
        assert kb.wait_for_embeddings(30)
        app.run()
        assert app.metric[0].value == "hybrid"
    finally:
        knowledge_view.get_knowledge_base.clear()


def test_the_page_refuses_the_home_folder(page):
    app = AppTest.from_file(PAGE, default_timeout=60).run()
    app.text_input(key="knowledge_project_dir").input(str(Path.home()))
    app.button(key="knowledge_ingest").click().run()
    assert not app.exception
    assert any("home folder" in e.value and "nothing was changed" in e.value for e in app.error)
    assert page.store.get_meta("roots") is None
