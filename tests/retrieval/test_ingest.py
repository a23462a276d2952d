"""Ingest: incremental by file hash, persisted on disk, missing sources reported."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from workbench.config import PROJECT_ROOT
from workbench.retrieval import KnowledgeBase
from workbench.retrieval import discovery

NEW_FUNCTION = """

//----------------`(fi.)testecho`--------------------
// A test-only function, appended by the incremental ingest test.
//
// #### Usage
//
// ```
// _ : testecho(d) : _
// ```
//------------------------------
testecho(d) = _ <: _, @(d) :> _;
"""


def test_reingest_touches_only_changed_files(bm25_settings, sources):
    kb = KnowledgeBase(bm25_settings)
    calls: list[tuple[str, int, int]] = []
    first = kb.ingest(progress=lambda stage, done, total: calls.append((stage, done, total)))
    assert first["entries_total"] > 200
    assert ("index", len(first["changed_files"]), len(first["changed_files"])) in calls

    unchanged = kb.ingest()
    assert unchanged["changed_files"] == [] and unchanged["entries_added"] == 0

    filters = sources["faust"] / "filters.lib"
    filters.write_text(filters.read_text() + NEW_FUNCTION)
    changed = kb.ingest()
    assert changed["changed_files"] == [str(filters)]
    assert changed["entries_total"] == first["entries_total"] + 1
    assert kb.search("testecho", k=1)[0].title == "fi.testecho"

    (sources["faust"] / "oscillators.lib").unlink()
    removed = kb.ingest()
    assert removed["removed_files"] == [str(sources["faust"] / "oscillators.lib")]
    assert not any(e.title.startswith("os.") for e in kb.entries())


def test_a_search_before_any_ingest_finds_nothing_instead_of_failing(bm25_settings):
    kb = KnowledgeBase(bm25_settings)
    assert not kb.store.has_entries()
    assert kb.search("processBlock") == []
    assert kb.search("processBlock", mode="bm25") == []


def test_index_persists_across_instances(bm25_settings):
    KnowledgeBase(bm25_settings).ingest()
    reopened = KnowledgeBase(bm25_settings)
    assert reopened.search("Butterworth lowpass", k=1)[0].title == "fi.lowpass"
    generation = reopened.store.get_meta("generation")
    assert [p.name for p in bm25_settings.index_dir.glob("bm25*")] == [f"bm25-{generation}"]
    assert (bm25_settings.index_dir / f"bm25-{generation}" / "params.index.json").is_file()
    status = reopened.status()
    assert status["mode"] == "bm25"
    assert status["sources"]["faust_libraries"]["entries"] > 100
    assert status["sources"]["juce_headers"]["files"] == 2
    assert status["sources"]["primers"]["entries"] >= 6
    assert status["index_bytes"] > 0 and status["age_seconds"] >= 0


def test_missing_source_is_reported_not_raised(bm25_settings, sources, monkeypatch, tmp_path):
    monkeypatch.setattr(discovery, "JUCE_DEFAULTS", [])
    settings = bm25_settings.model_copy(
        update={"retrieval": bm25_settings.retrieval.model_copy(update={"juce_dir": tmp_path / "nope"})}
    )
    kb = KnowledgeBase(settings)
    kb.ingest()
    juce = kb.status()["sources"]["juce_headers"]
    assert juce["found"] is False and juce["entries"] == 0
    assert str(tmp_path / "nope") in juce["location"]


def test_discovery_order(sources, tmp_path, monkeypatch):
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("FAUST_LIB_PATH", str(sources["faust"]))
    assert discovery.find_faust_libraries(None, empty).root == sources["faust"]  # env after settings
    assert discovery.find_faust_libraries(None, None).root == sources["faust"]
    monkeypatch.delenv("FAUST_LIB_PATH")
    assert discovery.find_faust_libraries(None, None).root == Path("/usr/share/faust")  # Debian
    juce_checkout = tmp_path / "JUCE"
    (juce_checkout / "modules" / "juce_core").mkdir(parents=True)
    assert discovery.find_juce_modules(juce_checkout, None).root == juce_checkout / "modules"


def test_a_search_in_a_fresh_process_needs_neither_bm25s_nor_scipy(bm25_settings):
    """A cold `knowledge search` reads the saved arrays with numpy alone (bm25s and scipy
    cost over a second to import on 2 cores) and reads only the hits' texts."""
    KnowledgeBase(bm25_settings).ingest()
    script = (
        "import sys\n"
        "from workbench.config import load_settings\n"
        "from workbench.retrieval import KnowledgeBase\n"
        f"settings = load_settings(data_dir={str(bm25_settings.data_dir)!r}, retrieval={{'use_embeddings': False}})\n"
        "titles = [p.title for p in KnowledgeBase(settings).search('Butterworth lowpass', k=3)]\n"
        "print(titles[0], sorted(m for m in ('bm25s', 'scipy') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)})
    assert done.stdout.split() == ["fi.lowpass", "[]"], done.stderr
