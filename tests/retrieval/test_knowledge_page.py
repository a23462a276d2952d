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
