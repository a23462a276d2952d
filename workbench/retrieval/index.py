"""Search over the entries: BM25 (bm25s) and dense vectors, fused by reciprocal rank.

Both rankers score every entry (tens of thousands here: a sparse product and one matrix-
vector product, a few milliseconds), a source mask removes what the caller filtered out,
and reciprocal-rank fusion — score = Σ 1 / (k + rank) over the rankers — merges the two
orders without having to calibrate BM25 scores against cosines.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np

from workbench.domain import DocSource
from workbench.retrieval.entries import Entry, Passage
from workbench.retrieval.search_tokens import tokenize

FUSION_DEPTH = 100  # how far down each ranker's list fusion looks
CLASS_PRIOR = 1.15
CONSTRUCTOR_PRIOR = 0.8
SHORT_DOC_PRIOR = 0.85
SHORT_DOC_CHARS = 40  # "Returns the width." and the like
EXAMPLE_PRIOR = 0.9
BM25_TEXT_CHARS = 700
API_TOKEN_WEIGHT = 2  # an API name the question's words point to counts as if asked twice


def entry_prior(entry: Entry) -> float:
    """How much an entry's BM25 score counts: a class overview is what a plain question is
    usually after; constructors and one-line accessors rarely are (chosen on the project set
    and the tuning half of the real questions)."""
    if entry.kind == "class":
        return CLASS_PRIOR
    if entry.kind == "method":
        parts = entry.title.split("::")
        if len(parts) > 1 and parts[-1] == parts[-2]:
            return CONSTRUCTOR_PRIOR
        doc = entry.text.split("\n", 2)[2] if entry.text.count("\n") >= 2 else ""
        return SHORT_DOC_PRIOR if len(doc) < SHORT_DOC_CHARS else 1.0
    if entry.kind == "example":
        return EXAMPLE_PRIOR
    return 1.0


def document_tokens(entry: Entry) -> list[str]:
    """BM25 sees the title twice (a name match should outweigh a passing mention) and the
    first BM25_TEXT_CHARS of the text: what an entry is comes first, and a long doc
    comment's later detail only dilutes it (processBlock's 2,000 characters sank it)."""
    return tokenize(entry.title) * 2 + tokenize(entry.text[:BM25_TEXT_CHARS])


def build_bm25(entries: list[Entry]) -> bm25s.BM25:
    retriever = bm25s.BM25()
    retriever.index([document_tokens(e) or ["∅"] for e in entries], show_progress=False)
    return retriever


def bm25_folder(index_dir: Path, generation: int) -> Path:
    """Where the BM25 index of the stored entries' `generation` is saved."""
    return index_dir / f"bm25-{generation}"


def save_bm25(retriever: bm25s.BM25, index_dir: Path, generation: int) -> None:
    """Save into a temp folder, then rename it into place (atomic), so a reader in another
    thread or process sees a whole index or none; older generations are removed."""
    target = bm25_folder(index_dir, generation)
    temp = Path(tempfile.mkdtemp(prefix=".bm25-", dir=index_dir))
    try:
        retriever.save(str(temp), show_progress=False)
        if not target.exists():
            os.replace(temp, target)
    except OSError:  # another reader saved the same generation meanwhile: the same index
        pass
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    for folder in index_dir.glob("bm25*"):
        suffix = folder.name.removeprefix("bm25").removeprefix("-")
        if not suffix.isdigit() or int(suffix) < generation:  # "bm25": the layout before generations
            shutil.rmtree(folder, ignore_errors=True)


def load_bm25(index_dir: Path, generation: int) -> bm25s.BM25 | None:
    """The saved BM25 index of `generation`, or None (not saved, or removed while loading)."""
    folder = bm25_folder(index_dir, generation)
    if not (folder / "params.index.json").is_file():
        return None
    try:
        return bm25s.BM25.load(str(folder), show_progress=False, verbosity=0)
    except (OSError, ValueError):
        return None


@dataclass
class Ranking:
    """Entry positions, best first, with the ranker's own scores."""

    order: np.ndarray
    scores: np.ndarray


class HybridIndex:
    """Entries plus their BM25 index and (optionally) their normalized vectors."""

    def __init__(
        self, entries: list[Entry], bm25: bm25s.BM25 | None, vectors: np.ndarray | None,
        rrf_k: int = 60,
    ) -> None:
        if vectors is not None and len(vectors) != len(entries):
            raise ValueError(f"{len(vectors)} vectors for {len(entries)} entries")
        self.entries = entries
        self.bm25 = bm25
        self.vectors = vectors
        self.rrf_k = rrf_k
        self._sources = np.array([e.source.value for e in entries])
        self._priors = np.array([entry_prior(e) for e in entries], dtype=np.float32)

    @property
    def hybrid(self) -> bool:
        return self.vectors is not None

    def _mask(self, sources: list[DocSource] | None) -> np.ndarray | None:
        if not sources:
            return None
        return np.isin(self._sources, [s.value for s in sources])

    @staticmethod
    def _top(scores: np.ndarray, mask: np.ndarray | None, depth: int) -> Ranking:
        if mask is not None:
            scores = np.where(mask, scores, -np.inf)
        depth = min(depth, len(scores))
        top = np.argpartition(-scores, depth - 1)[:depth] if depth else np.array([], dtype=int)
        top = top[np.argsort(-scores[top], kind="stable")]
        top = top[np.isfinite(scores[top])]
        return Ranking(top, scores[top])

    def rank_bm25(self, query: str, mask: np.ndarray | None, depth: int,
                  extra_tokens: list[str] | None = None) -> Ranking:
        """BM25 over the query's tokens plus `extra_tokens` (API names the query's words
        stand for), each score weighted by its entry's prior."""
        tokens = tokenize(query) + list(extra_tokens or []) * API_TOKEN_WEIGHT
        if not tokens or self.bm25 is None:
            return Ranking(np.array([], dtype=int), np.array([]))
        scores = self.bm25.get_scores(tokens) * self._priors
        ranking = self._top(scores, mask, depth)
        keep = ranking.scores > 0  # entries sharing no query token are not matches
        return Ranking(ranking.order[keep], ranking.scores[keep])

    def rank_dense(self, query_vector: np.ndarray, mask: np.ndarray | None, depth: int) -> Ranking:
        if self.vectors is None or not self.entries:
            return Ranking(np.array([], dtype=int), np.array([]))
        # einsum, not `@`: BLAS's threads fight the other work on 2 busy cores (measured
        # 32 ms for 10k x 256 against 5.5 ms; one BLAS thread 3.3 ms)
        return self._top(np.einsum("ij,j->i", self.vectors, query_vector), mask, depth)

    def fuse(self, rankings: list[Ranking], k: int) -> list[tuple[int, float]]:
        """Reciprocal-rank fusion of several rankings: (entry position, fused score), best first."""
        fused: dict[int, float] = {}
        for ranking in rankings:
            for rank, position in enumerate(ranking.order.tolist(), start=1):
                fused[position] = fused.get(position, 0.0) + 1.0 / (self.rrf_k + rank)
        return sorted(fused.items(), key=lambda item: (-item[1], item[0]))[:k]

    def search(
        self,
        query: str,
        k: int,
        sources: list[DocSource] | None = None,
        query_vector: np.ndarray | None = None,
        mode: str = "hybrid",
        extra_tokens: list[str] | None = None,
    ) -> list[Passage]:
        """Top-k passages; mode "bm25", "dense" or "hybrid" (dense parts need `query_vector`)."""
        mask = self._mask(sources)
        depth = max(FUSION_DEPTH, k)
        rankings = []
        if mode in ("bm25", "hybrid"):
            rankings.append(self.rank_bm25(query, mask, depth, extra_tokens))
        if mode in ("dense", "hybrid") and query_vector is not None:
            rankings.append(self.rank_dense(query_vector, mask, depth))
        return [
            Passage(**self.entries[position].model_dump(), score=round(score, 6))
            for position, score in self.fuse(rankings, k)
        ]
