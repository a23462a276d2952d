"""Search over the entries: BM25 and dense vectors, fused by weighted reciprocal rank.

The index of one generation of entries is a folder of numpy arrays: bm25s's precomputed
BM25 scores (one column of scores per token, CSC), and per entry its seq in the store, its
source and its ranking prior; a finished set of vectors joins it as one more array. They are
memory-mapped on load, so a search imports neither bm25s nor scipy (over a second of a cold
`knowledge search` on 2 cores) and never reads the entries' texts, except for the hits it
returns (`fetch`, from SQLite by seq).

Both rankers score every entry (tens of thousands here: a few milliseconds), a source mask
removes what the caller filtered out, and reciprocal-rank fusion — score = Σ w / (k + rank)
over the rankers — merges the two orders without calibrating BM25 scores against cosines.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from workbench.vocabulary import DocSource
from workbench.retrieval.entries import Entry, Passage
from workbench.retrieval.search_tokens import tokenize

FUSION_DEPTH = 100  # how far down each ranker's list fusion looks
CLASS_PRIOR = 1.15
CONSTRUCTOR_PRIOR = 0.8
SHORT_DOC_PRIOR = 0.85
SHORT_DOC_CHARS = 40  # "Returns the width." and the like
EXAMPLE_PRIOR = 0.9
BM25_TEXT_CHARS = 700
# A query that names one language ("... in faust", "juce dsp ...") wants that language's entries:
# their scores count this much more, in both rankers (the primers stay neutral).
LANGUAGE_SOURCES = {"faust": ("faust_libraries", "faust_examples"), "juce": ("juce_headers",)}
LANGUAGE_BOOST = 1.5  # 1.25 to 2 score alike on the project set and the tuning half; 1 (off) loses one project question
FETCH_SPARE = 5  # hits read beyond k, in case an ingest removed some since the index loaded
# One class's members (PluginHostType's four dozen "is this host X" methods) can fill every slot;
# past this many, a group's hits wait until every other hit of the rankers' lists has had its place.
MAX_PER_GROUP = 2
MAX_PER_TITLE = 1  # an overload (AudioBuffer::applyGain of a channel, of a region) waits like them
_BM25_FILES = ("data.csc.index.npy", "indices.csc.index.npy", "indptr.csc.index.npy")
_ENTRY_FILES = ("seqs.npy", "sources.npy", "priors.npy", "groups.npy")
ARRAYS_FORMAT = 7  # bump when the saved arrays, the priors or the tokens change: older folders are rebuilt


def entry_prior(entry: Entry) -> float:
    """How much an entry's BM25 score counts: a class overview is what a plain question is
    usually after — a top-level one (`Slider`, `dsp::Reverb`), not a helper nested in another
    class (`Slider::SliderLayout`, `AudioProcessorValueTreeState::Listener`: neutral);
    constructors and one-line accessors rarely are (chosen on the project set and the tuning
    half of the real questions)."""
    if entry.kind == "class":
        parts = entry.title.split("::")
        nested = len(parts) > 1 and parts[-2][:1].isupper()  # JUCE's namespaces are lower case
        return 1.0 if nested else CLASS_PRIOR
    if entry.kind == "method":
        parts = entry.title.split("::")
        if len(parts) > 1 and parts[-1] == parts[-2]:
            return CONSTRUCTOR_PRIOR
        doc = entry.text.split("\n", 2)[2] if entry.text.count("\n") >= 2 else ""
        return SHORT_DOC_PRIOR if len(doc) < SHORT_DOC_CHARS else 1.0
    if entry.kind == "example":
        return EXAMPLE_PRIOR
    return 1.0


def entry_group(entry: Entry) -> str:
    """The class a hit belongs to, which its siblings share: a JUCE method's class (the class's
    own entry too); anything else (a FAUST function, an example, a primer section: the sections
    of the primer a question is about are all worth reading) is its own."""
    if entry.source is DocSource.JUCE_HEADERS and entry.kind == "method" and "::" in entry.title:
        return entry.title.rsplit("::", 1)[0]
    return entry.title


def group_ids(entries: list[Entry]) -> tuple[np.ndarray, list[list[str]]]:
    """Per entry, two numbers: its group's (see `entry_group`) and its title's (overloads
    share it); and per group, the search tokens of its last name, by which a query names it
    (`AudioBuffer` gives audiobuffer, audio, buffer)."""
    groups: dict[str, int] = {}
    titles: dict[str, int] = {}
    ids = np.array([(groups.setdefault(entry_group(e), len(groups)), titles.setdefault(e.title, len(titles)))
                    for e in entries], dtype=np.int32).reshape(-1, 2)
    return ids, [tokenize(re.split(r"::|\.", group)[-1]) for group in groups]


def document_tokens(entry: Entry) -> list[str]:
    """BM25 sees the title twice (a name match should outweigh a passing mention) and the
    first BM25_TEXT_CHARS of the text: what an entry is comes first, and a long doc
    comment's later detail only dilutes it (processBlock's 2,000 characters sank it)."""
    return tokenize(entry.title, compounds=True) * 2 + tokenize(entry.text[:BM25_TEXT_CHARS], compounds=True)




def index_folder(index_dir: Path, generation: int) -> Path:
    """Where the search arrays of the stored entries' `generation` are saved."""
    return index_dir / f"bm25-{generation}"


@dataclass(frozen=True)
class SearchArrays:
    """One generation's saved index, memory-mapped: BM25 scores per token, and per entry
    (in store order) its seq, source, prior and group; `vectors` once every entry has one."""

    folder: Path
    vocab: dict[str, int]
    data: np.ndarray
    indices: np.ndarray
    indptr: np.ndarray
    seqs: np.ndarray
    sources: np.ndarray
    priors: np.ndarray
    groups: np.ndarray
    group_names: list[list[str]]
    vectors: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.seqs)

    def bm25_scores(self, tokens: list[str]) -> np.ndarray:
        """Each entry's BM25 score for `tokens` (a repeated token counts again): the sum of
        the tokens' precomputed columns, as bm25s's own get_scores."""
        scores = np.zeros(len(self.seqs), dtype=np.float32)
        for token in tokens:
            column = self.vocab.get(token)
            if column is not None:
                start, end = self.indptr[column], self.indptr[column + 1]
                scores[self.indices[start:end]] += self.data[start:end]  # a column names an entry once
        return scores

    def with_vectors(self, epoch: int, read: Callable[[], np.ndarray | None]) -> SearchArrays:
        """These arrays with the vectors of `epoch`: the saved ones, else `read()` (from the
        store; None while some are missing), then saved for the next process."""
        path = self.folder / f"vectors-{epoch}.npy"
        try:
            vectors = np.load(path, mmap_mode="r")
        except (OSError, ValueError):  # not saved yet (or being replaced)
            vectors = read()
            if vectors is not None and len(vectors) == len(self.seqs):
                with contextlib.suppress(OSError):
                    _save_array(path, vectors)
        if vectors is None or len(vectors) != len(self.seqs):
            vectors = None
        return replace(self, vectors=vectors)


def _save_array(path: Path, array: np.ndarray) -> None:
    """Write next to `path`, then rename into place: a reader sees a whole file or none."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    try:
        with open(temp, "wb") as handle:
            np.save(handle, array)
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def load_arrays(index_dir: Path, generation: int) -> SearchArrays | None:
    """The saved index of `generation`, memory-mapped, or None (not saved, from before this
    layout, or removed while loading)."""
    folder = index_folder(index_dir, generation)
    try:
        params = json.loads((folder / "params.index.json").read_text())
        vocab = json.loads((folder / "vocab.index.json").read_text())
        group_names = json.loads((folder / "groups.json").read_text())
        data, indices, indptr, seqs, sources, priors, groups = (
            np.load(folder / name, mmap_mode="r") for name in (*_BM25_FILES, *_ENTRY_FILES)
        )
    except (OSError, ValueError):
        return None
    if params.get("workbench_format") != ARRAYS_FORMAT or len(seqs) != params.get("num_docs"):
        return None
    if params.get("method") != "lucene":
        return None  # bm25s variants with a non-occurrence term would need more than the columns
    return SearchArrays(folder, vocab, data, indices, indptr, seqs, sources, priors, groups, group_names)


def build_arrays(entries: list[Entry], seqs: list[int], index_dir: Path, generation: int) -> SearchArrays:
    """Index `entries` (stored under `seqs`) with bm25s — imported here: only an ingest or a
    first load needs it — and save the arrays into a temp folder renamed into place (atomic:
    a reader in another thread or process sees a whole index or none); older generations are
    removed. Returns the saved arrays, loaded."""
    import bm25s

    retriever = bm25s.BM25(method="lucene")
    retriever.index([document_tokens(e) or ["∅"] for e in entries], show_progress=False)
    target = index_folder(index_dir, generation)
    temp = Path(tempfile.mkdtemp(prefix=".bm25-", dir=index_dir))
    try:
        retriever.save(str(temp), show_progress=False)
        params = json.loads((temp / "params.index.json").read_text())
        (temp / "params.index.json").write_text(json.dumps({**params, "workbench_format": ARRAYS_FORMAT}))
        np.save(temp / "seqs.npy", np.array(seqs, dtype=np.int64))
        np.save(temp / "sources.npy", np.array([e.source.value for e in entries], dtype=str))
        np.save(temp / "priors.npy", np.array([entry_prior(e) for e in entries], dtype=np.float32))
        groups, group_names = group_ids(entries)
        np.save(temp / "groups.npy", groups)
        (temp / "groups.json").write_text(json.dumps(group_names))
        if load_arrays(index_dir, generation) is None:  # absent, or an older layout
            shutil.rmtree(target, ignore_errors=True)
            with contextlib.suppress(OSError):  # another reader saved the same generation meanwhile
                os.replace(temp, target)
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    for folder in index_dir.glob("bm25*"):
        suffix = folder.name.removeprefix("bm25").removeprefix("-")
        if not suffix.isdigit() or int(suffix) < generation:  # "bm25": the layout before generations
            shutil.rmtree(folder, ignore_errors=True)
    arrays = load_arrays(index_dir, generation)
    if arrays is None:
        raise OSError(f"the search index in {target} could not be saved")
    return arrays


def _names(name_tokens: list[str], query_tokens: set[str]) -> bool:
    """Whether a query names a class: its whole name, or every word of it."""
    return bool(name_tokens) and (name_tokens[0] in query_tokens or set(name_tokens[1:] or name_tokens) <= query_tokens)


@dataclass
class Ranking:
    """Entry positions, best first, with the ranker's own scores."""

    order: np.ndarray
    scores: np.ndarray


class HybridIndex:
    """One generation's search arrays (optionally with vectors) and a way to read the hits.

    `fetch(seqs)` returns the stored entries of those seqs (by seq); `bm25_weight` is BM25's
    share of the fused score (the dense ranker has 1)."""

    def __init__(
        self, arrays: SearchArrays | None, fetch: Callable[[list[int]], dict[int, Entry]],
        rrf_k: int = 60, bm25_weight: float = 1.0,
    ) -> None:
        self.arrays = arrays
        self.fetch = fetch
        self.rrf_k = rrf_k
        self.bm25_weight = bm25_weight

    def __len__(self) -> int:
        return len(self.arrays) if self.arrays is not None else 0

    @property
    def hybrid(self) -> bool:
        return self.arrays is not None and self.arrays.vectors is not None

    def _mask(self, sources: list[DocSource] | None) -> np.ndarray | None:
        if not sources or self.arrays is None:
            return None
        return np.isin(self.arrays.sources, [s.value for s in sources])

    @staticmethod
    def _top(scores: np.ndarray, mask: np.ndarray | None, depth: int) -> Ranking:
        if mask is not None:
            scores = np.where(mask, scores, -np.inf)
        depth = min(depth, len(scores))
        top = np.argpartition(-scores, depth - 1)[:depth] if depth else np.array([], dtype=int)
        top = top[np.argsort(-scores[top], kind="stable")]
        top = top[np.isfinite(scores[top])]
        return Ranking(top, scores[top])

    def language_weights(self, query: str) -> np.ndarray | None:
        """Per entry, LANGUAGE_BOOST for the sources of the one language the query names
        (else 1); None when it names none, or both."""
        tokens = set(tokenize(query))
        named = [language for language in LANGUAGE_SOURCES if language in tokens]
        if len(named) != 1 or not len(self):
            return None
        return np.where(np.isin(self.arrays.sources, LANGUAGE_SOURCES[named[0]]), LANGUAGE_BOOST, 1.0)

    def rank_bm25(self, query: str, mask: np.ndarray | None, depth: int,
                  extra_tokens: list[str] | None = None, weights: np.ndarray | None = None) -> Ranking:
        """BM25 over the query's tokens, each once ("the gui thread to the audio thread" is
        not twice about threads; an identifier's parts repeat no word of the question), plus
        `extra_tokens` (API names the query's words stand for) that the query does not hold
        already: the limiter bridge's `limiter` token counted "lookahead limiter" twice about
        limiters, burying the latency entry its "lookahead" was bridged to. Each score is
        weighted by its entry's prior (and by `weights`)."""
        tokens = list(dict.fromkeys(tokenize(query) + list(extra_tokens or [])))
        if not tokens or not len(self):
            return Ranking(np.array([], dtype=int), np.array([]))
        scores = self.arrays.bm25_scores(tokens) * self.arrays.priors
        if weights is not None:
            scores = scores * weights
        ranking = self._top(scores, mask, depth)
        keep = ranking.scores > 0  # entries sharing no query token are not matches
        return Ranking(ranking.order[keep], ranking.scores[keep])

    def rank_dense(self, query_vector: np.ndarray, mask: np.ndarray | None, depth: int,
                   weights: np.ndarray | None = None) -> Ranking:
        if not self.hybrid or not len(self):
            return Ranking(np.array([], dtype=int), np.array([]))
        # einsum, not `@`: BLAS's threads fight the other work on 2 busy cores (measured
        # 32 ms for 10k x 256 against 5.5 ms; one BLAS thread 3.3 ms)
        scores = np.einsum("ij,j->i", self.arrays.vectors, query_vector)
        if weights is not None:
            scores = np.where(scores > 0, scores * weights, scores)  # a cosine below 0 stays last
        return self._top(scores, mask, depth)

    def fuse(self, rankings: list[tuple[Ranking, float]], k: int) -> list[tuple[int, float]]:
        """Weighted reciprocal-rank fusion of (ranking, weight) pairs: (entry position, fused
        score), best first."""
        fused: dict[int, float] = {}
        for ranking, weight in rankings:
            for rank, position in enumerate(ranking.order.tolist(), start=1):
                fused[position] = fused.get(position, 0.0) + weight / (self.rrf_k + rank)
        return sorted(fused.items(), key=lambda item: (-item[1], item[0]))[:k]

    def diversify(self, hits: list[tuple[int, float]], query_tokens: set[str]) -> list[tuple[int, float]]:
        """`hits` with at most MAX_PER_GROUP of one class and MAX_PER_TITLE of one title
        before every other hit, the rest after them in their order: a question about a knob
        gets Slider, an attachment and a primer, not five Slider methods. A class the query
        names, whole or word by word ("AudioProcessorValueTreeState", "the audio buffer"),
        keeps all its members' places."""
        names = self.arrays.group_names
        kept, later = [], []
        per_group: dict[int, int] = {}
        per_title: dict[int, int] = {}
        for hit in hits:
            group, title = (int(i) for i in self.arrays.groups[hit[0]])
            crowded = per_group.get(group, 0) >= MAX_PER_GROUP and not _names(names[group], query_tokens)
            if crowded or per_title.get(title, 0) >= MAX_PER_TITLE:
                later.append(hit)
                continue
            per_group[group] = per_group.get(group, 0) + 1
            per_title[title] = per_title.get(title, 0) + 1
            kept.append(hit)
        return kept + later

    def search(
        self,
        query: str,
        k: int,
        sources: list[DocSource] | None = None,
        query_vector: np.ndarray | None = None,
        mode: str = "hybrid",
        extra_tokens: list[str] | None = None,
    ) -> list[Passage]:
        """Top-k passages; mode "bm25", "dense" or "hybrid" (dense parts need `query_vector`),
        fused, then diversified (`diversify`): a passage's score is its fused score, so a group's
        later hits may score above the hits they follow. Nothing ingested yet: no passages."""
        if self.arrays is None:
            return []
        mask = self._mask(sources)
        depth = max(FUSION_DEPTH, k)
        weights = self.language_weights(query)
        rankings = []
        if mode in ("bm25", "hybrid"):
            rankings.append((self.rank_bm25(query, mask, depth, extra_tokens, weights), self.bm25_weight))
        if mode in ("dense", "hybrid") and query_vector is not None:
            rankings.append((self.rank_dense(query_vector, mask, depth, weights), 1.0))
        fused = self.fuse(rankings, len(rankings) * depth)  # every hit: a flooded list needs them
        hits = self.diversify(fused, set(tokenize(query)))[: k + FETCH_SPARE]
        stored = self.fetch([int(self.arrays.seqs[position]) for position, _ in hits]) if hits else {}
        passages = []
        for position, score in hits:
            entry = stored.get(int(self.arrays.seqs[position]))
            if entry is not None:  # None: removed by an ingest since this index was loaded
                passages.append(Passage(**entry.model_dump(), score=round(score, 6)))
        return passages[:k]
