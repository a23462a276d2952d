"""An ingest never makes searches wait: they use the current index until the new entries are
stored and their BM25 index swapped in whole (then BM25 until the vectors are built), and a
reader opening the index mid-ingest gets a consistent one.

The embedding step is a gated fake (vectors from a hash of the text) so the test decides
exactly when the ingest is stuck "embedding"; BM25, SQLite and the parsers are real."""

from __future__ import annotations

import hashlib
import threading
import time

import numpy as np
import pytest

from workbench.retrieval import KnowledgeBase, knowledge_base
from workbench.retrieval.embedder import DIMENSIONS

from .conftest import small_settings
from .test_ingest import NEW_FUNCTION


class GatedEncoder:
    """Stands in for Embedder.encode: blocks while the gate is closed, says when it is waiting."""

    def __init__(self) -> None:
        self.waiting = threading.Event()
        self.gate = threading.Event()
        self.gate.set()

    @staticmethod
    def vectors(texts: list[str]) -> np.ndarray:
        rows = [np.random.default_rng(int(hashlib.sha256(t.encode()).hexdigest()[:8], 16)).normal(size=DIMENSIONS)
                for t in texts]
        matrix = np.array(rows, dtype=np.float32)
        return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)

    def encode(self, texts: list[str]) -> np.ndarray:
        if not self.gate.is_set():
            self.waiting.set()
            assert self.gate.wait(20), "the test never opened the gate"
        return self.vectors(texts)


def gated_kb(settings, encoder: GatedEncoder, monkeypatch) -> KnowledgeBase:
    kb = KnowledgeBase(settings, background=False)
    monkeypatch.setattr(kb.embedder, "prepare", lambda progress=None: None)
    monkeypatch.setattr(kb.embedder, "encode", encoder.encode)
    monkeypatch.setattr(kb.embedder, "encode_query", lambda text: encoder.vectors([text])[0])
    return kb


def titles(passages) -> list[str]:
    return [p.title for p in passages]


def start(target) -> tuple[threading.Thread, list]:
    results: list = []
    thread = threading.Thread(target=lambda: results.append(target()), daemon=True)
    thread.start()
    return thread, results


def test_searches_go_on_with_bm25_while_an_ingest_embeds_then_hybrid(tmp_path, sources, monkeypatch):
    settings = small_settings(tmp_path, sources, embeddings=True)
    encoder = GatedEncoder()
    kb = gated_kb(settings, encoder, monkeypatch)
    kb.ingest()
    assert kb.mode == "hybrid"  # the fake vectors are random: rankings are checked by BM25
    assert "fi.lowpass" in titles(kb.search("Butterworth lowpass", k=5, mode="bm25"))

    filters = sources["faust"] / "filters.lib"
    filters.write_text(filters.read_text() + NEW_FUNCTION)
    encoder.gate.clear()
    thread, results = start(kb.ingest)
    assert encoder.waiting.wait(20), "the ingest never reached its embedding step"

    started = time.monotonic()
    during = kb.search("testecho", k=5)
    assert "fi.lowpass" in titles(kb.search("Butterworth lowpass", k=5))
    assert time.monotonic() - started < 2.0  # not waiting for the ingest (blocked for up to 20 s)
    assert kb.mode == "bm25" and titles(during)[0] == "fi.testecho"  # the new entry, by BM25
    reader = KnowledgeBase(settings, background=False)  # e.g. another page or process opening it now
    assert reader.search("testecho", k=1, mode="bm25")[0].title == "fi.testecho"
    assert thread.is_alive()

    encoder.gate.set()
    thread.join(20)
    assert results and results[0]["changed_files"] == [str(filters)]
    assert kb.mode == "hybrid" and len(kb.search("testecho", k=5)) == 5
    assert kb.search("testecho", k=1, mode="bm25")[0].title == "fi.testecho"
    assert kb.status()["vectors"] == len(kb.entries())


def test_a_reader_opening_the_index_mid_ingest_gets_entries_that_match_its_bm25(
        tmp_path, sources, monkeypatch):
    settings = small_settings(tmp_path, sources, embeddings=True)
    encoder = GatedEncoder()
    kb = gated_kb(settings, encoder, monkeypatch)
    total = kb.ingest()["entries_total"]
    # a new index format re-parses every file; one file per write, so the reader below
    # finds some files re-written (new row order) and the rest not yet
    monkeypatch.setattr(knowledge_base, "INDEX_FORMAT", knowledge_base.INDEX_FORMAT + 1)
    monkeypatch.setattr(knowledge_base, "FLUSH_ENTRIES", 1)
    third_file_written, resume = threading.Event(), threading.Event()

    def stop_at_the_third_file(stage: str, done: int, total: int) -> None:
        if stage == "index" and done == 3:
            third_file_written.set()
            assert resume.wait(20), "the test never resumed the ingest"

    thread, results = start(lambda: kb.ingest(stop_at_the_third_file))
    assert third_file_written.wait(20)

    reader = KnowledgeBase(settings, background=False)
    assert len(reader.entries()) == total
    found = reader.search("lowpass", k=8, mode="bm25")
    assert len(found) == 8 and all("lowpass" in (p.title + p.text).lower() for p in found)

    resume.set()
    thread.join(20)
    assert results[0]["entries_total"] == total
    generation = kb.store.get_meta("generation")
    assert [p.name for p in settings.index_dir.glob("bm25*")] == [f"bm25-{generation}"]


@pytest.mark.parametrize("instances", ["one", "two"])
def test_two_ingests_at_once_run_one_after_the_other(bm25_settings, monkeypatch, instances):
    first = KnowledgeBase(bm25_settings)
    total = first.ingest()["entries_total"]
    second = first if instances == "one" else KnowledgeBase(bm25_settings)
    monkeypatch.setattr(knowledge_base, "INDEX_FORMAT", knowledge_base.INDEX_FORMAT + 1)
    first_indexing, second_started = threading.Event(), threading.Event()

    def slow_progress(stage: str, done: int, total: int) -> None:
        if stage == "index" and done == 1:
            first_indexing.set()
            second_started.wait(10)
            time.sleep(0.3)  # time for the second ingest to run into the first one

    def second_ingest() -> dict:
        second_started.set()
        return second.ingest()

    thread_a, a = start(lambda: first.ingest(progress=slow_progress))
    assert first_indexing.wait(20)
    thread_b, b = start(second_ingest)
    thread_a.join(20)
    thread_b.join(20)
    assert a[0]["entries_total"] == b[0]["entries_total"] == total
    assert sorted([len(a[0]["changed_files"]) > 0, len(b[0]["changed_files"]) > 0]) == [False, True]
    assert len(KnowledgeBase(bm25_settings).entries()) == total
