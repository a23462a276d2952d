"""Hybrid from the first start: BM25 answers at once, the vectors are built in the background
with visible progress, the mode switches to hybrid when they are done, and a crash mid-build
leaves the BM25 index usable and resumes where it stopped.

The embedder here is a stand-in (hashed words, with a gate and a failure switch) because the
orchestration is what is tested; tests/retrieval/test_static_embedder.py runs the real one.
"""

from __future__ import annotations

import threading
import time
import zlib

import numpy as np
import pytest

from workbench.retrieval import KnowledgeBase, embedding_build, knowledge_base
from workbench.retrieval.search_tokens import tokenize

BATCH = 16


class HashingEmbedder:
    """Bag of hashed words; `gate` holds each batch until set, `fail_at` raises on that batch."""

    name = "hashing-test-embedder"

    def __init__(self, fail_at: int | None = None, gated: bool = False) -> None:
        self.fail_at = fail_at
        self.gate = threading.Event()
        if not gated:
            self.gate.set()
        self.batches = 0
        self.embedded = 0
        self.first_batch_done = threading.Event()

    def prepare(self, progress=None) -> None:
        pass

    def encode(self, texts: list[str]) -> np.ndarray:
        if self.batches == self.fail_at:
            raise RuntimeError("killed mid-build")
        if self.batches > 0:
            self.gate.wait(10)
        vectors = np.zeros((len(texts), 64), dtype=np.float32)
        for row, text in enumerate(texts):
            for token in tokenize(text):
                vectors[row, zlib.crc32(token.encode()) % 64] += 1
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
        self.batches += 1
        self.embedded += len(texts)
        self.first_batch_done.set()
        return vectors

    def encode_query(self, text: str) -> np.ndarray:
        return _hash(text)


def _hash(text: str) -> np.ndarray:
    vector = np.zeros(64, dtype=np.float32)
    for token in tokenize(text):
        vector[zlib.crc32(token.encode()) % 64] += 1
    return vector / max(float(np.linalg.norm(vector)), 1e-9)


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(knowledge_base, "EMBED_BATCH", BATCH)
    monkeypatch.setattr(embedding_build, "EMBED_BATCH", BATCH)


@pytest.fixture
def hybrid_settings(tmp_path, sources):
    from tests.retrieval.conftest import small_settings

    return small_settings(tmp_path, sources, embeddings=True)


def _wait_for(read, ready, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while not ready(value := read()) and time.monotonic() < deadline:
        time.sleep(0.01)
    return value


def _bm25_only(settings, embedder) -> KnowledgeBase:
    kb = KnowledgeBase(settings, background=False)
    kb.embedder = embedder
    kb.ingest(embeddings="skip")
    assert kb.mode == "bm25"
    return kb


def test_searches_are_answered_during_the_build_and_the_mode_switches(hybrid_settings, small_batches):
    embedder = HashingEmbedder(gated=True)
    kb = _bm25_only(hybrid_settings, embedder)
    kb.start_background_embeddings()
    assert embedder.first_batch_done.wait(10)
    during = _wait_for(lambda: kb.embedding_status(), lambda s: s["done"] > 0)
    assert during["state"] == "running" and during["stage"] == "embed"
    assert 0 < during["done"] < during["total"] == len(kb.entries())
    assert kb.mode == "bm25"
    assert kb.search("Butterworth lowpass filter", k=3)[0].title == "fi.lowpass"  # not waiting

    embedder.gate.set()
    assert kb.wait_for_embeddings(30)
    after = kb.embedding_status()
    assert after["state"] == "done" and after["done"] == after["total"]
    assert kb.mode == "hybrid"
    assert kb.status()["vectors"] == len(kb.entries())
    assert kb.search("Butterworth lowpass filter", k=3)  # hybrid search answers


def test_a_crash_mid_build_leaves_bm25_usable_and_the_next_build_resumes(hybrid_settings, small_batches):
    crashing = HashingEmbedder(fail_at=2)
    kb = _bm25_only(hybrid_settings, crashing)
    result = kb.build_embeddings()
    assert result.state == "failed" and "killed mid-build" in result.error
    assert kb.mode == "bm25"
    assert kb.search("Butterworth lowpass filter", k=3)[0].title == "fi.lowpass"
    assert kb.store.vector_count() == 2 * BATCH  # the finished batches were kept
    assert kb.embedding_status()["state"] == "failed"

    reopened = KnowledgeBase(hybrid_settings, background=False)  # e.g. the next start
    healthy = HashingEmbedder()
    reopened.embedder = healthy
    assert reopened.mode == "bm25"
    assert reopened.build_embeddings().state == "done"
    assert healthy.embedded == len(reopened.entries()) - 2 * BATCH  # only what was missing
    assert reopened.mode == "hybrid"


def test_another_knowledge_base_switches_to_hybrid_when_the_vectors_are_done(hybrid_settings, small_batches):
    builder = _bm25_only(hybrid_settings, HashingEmbedder())
    reader = KnowledgeBase(hybrid_settings, background=False)  # e.g. the app, while the CLI builds
    reader.embedder = HashingEmbedder()
    assert reader.mode == "bm25"
    builder.build_embeddings()
    assert reader.mode == "hybrid"  # noticed on its next search, without an ingest of its own


def test_an_ingest_can_build_in_the_background(hybrid_settings, small_batches):
    kb = KnowledgeBase(hybrid_settings, background=False)
    kb.embedder = HashingEmbedder()
    summary = kb.ingest(embeddings="background")
    assert summary["entries_total"] > 0
    assert kb.wait_for_embeddings(30)
    assert kb.mode == "hybrid"


def test_vectors_of_another_model_are_replaced(hybrid_settings, small_batches):
    kb = _bm25_only(hybrid_settings, HashingEmbedder())
    kb.build_embeddings()
    other = HashingEmbedder()
    other.name = "another-model"
    kb.embedder = other
    assert kb.build_embeddings().state == "done"
    assert other.embedded == len(kb.entries())
    assert kb.store.get_meta("vectors_model") == "another-model"
