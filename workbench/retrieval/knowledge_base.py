"""`KnowledgeBase`: the one object the rest of the workbench uses for documentation.

It ingests the discovered sources into the on-disk index (incrementally, by file hash),
searches it (hybrid BM25 + dense, or BM25 alone when embeddings are off or unavailable),
and picks the passages a subtask's prompt should carry within a token budget.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
import time
from pathlib import Path
from typing import Callable

import numpy as np
from tqdm import tqdm

from workbench.config import Settings
from workbench.domain import DocSource, Subtask, TaskType
from workbench.retrieval.catalog import Roots, build_catalog, locate
from workbench.retrieval.citations import label
from workbench.retrieval.embedder import MODEL_NAME, Embedder, EmbeddingsUnavailable
from workbench.retrieval.entries import Entry, Passage, estimate_tokens
from workbench.retrieval.index import HybridIndex, build_bm25, load_bm25, save_bm25
from workbench.retrieval.project_files import UnreadableFile
from workbench.retrieval.store import IndexStore

Progress = Callable[[str, int, int], None]  # (stage, done, total)

# Where a subtask looks when it names no context requirements of its own.
TASK_SOURCES: dict[TaskType, list[DocSource]] = {
    TaskType.FAUST: [DocSource.FAUST_LIBRARIES, DocSource.FAUST_EXAMPLES, DocSource.PRIMERS],
    TaskType.JUCE: [DocSource.JUCE_HEADERS, DocSource.PRIMERS],
    TaskType.CPP: [DocSource.JUCE_HEADERS, DocSource.PRIMERS, DocSource.PROJECT_FILES],
    TaskType.FAUST_JUCE: [
        DocSource.FAUST_LIBRARIES, DocSource.JUCE_HEADERS, DocSource.PRIMERS, DocSource.FAUST_EXAMPLES,
    ],
}
INDEX_FORMAT = 1  # bump when parsers or entry texts change: every file is then re-parsed
MIN_PARTIAL_TOKENS = 60  # a passage cut shorter than this is not worth its header
FLUSH_ENTRIES = 512  # parsed entries embedded and written together


_INGEST_LOCKS: dict[Path, threading.Lock] = {}
_INGEST_LOCKS_GUARD = threading.Lock()


def _ingest_lock(index_dir: Path) -> threading.Lock:
    """One lock per index directory, shared by every KnowledgeBase of this process (the
    chat's and the Knowledge page's), so two ingests never interleave their writes."""
    with _INGEST_LOCKS_GUARD:
        return _INGEST_LOCKS.setdefault(index_dir.resolve(), threading.Lock())


def _sha256(path: Path) -> tuple[str, int]:
    data = path.read_bytes()
    return hashlib.sha256(data).hexdigest(), len(data)


def _as_sources(sources: list[DocSource | str] | None) -> list[DocSource] | None:
    """Accept DocSource members or their names; a wrong name says which ones exist."""
    if not sources:
        return None
    try:
        return [DocSource(s) for s in sources]
    except ValueError as exc:
        names = ", ".join(s.value for s in DocSource)
        raise ValueError(f"{exc} — use one of: {names}") from exc


class KnowledgeBase:
    """Documentation retrieval over the user's FAUST/JUCE installations, primers and projects."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.config = settings.retrieval
        self.store = IndexStore(settings.index_dir)
        self.embedder = Embedder(self.config.embedding_batch_size)
        self._index: HybridIndex | None = None
        self._embedding_error: str | None = None
        self._lock = threading.RLock()  # guards self._index and self.store; an ingest takes it only to swap

    # ------------------------------------------------------------------ ingest
    def _roots(self, store: IndexStore, faust_lib_dir: Path | None, juce_dir: Path | None,
               project_dirs: list[Path] | None) -> Roots:
        """Explicit directories win and are remembered, so a later refresh reads the same ones."""
        remembered = store.get_meta("roots", {})
        faust = faust_lib_dir or (Path(remembered["faust"]) if remembered.get("faust") else None)
        juce = juce_dir or (Path(remembered["juce"]) if remembered.get("juce") else None)
        projects = [*self.config.project_dirs, *map(Path, remembered.get("projects", [])),
                    *(project_dirs or [])]
        projects = list(dict.fromkeys(p.expanduser().resolve() for p in projects))
        store.set_meta("roots", {
            "faust": str(faust) if faust else None, "juce": str(juce) if juce else None,
            "projects": [str(p) for p in projects],
        })
        return Roots(faust, juce, projects)

    def ingest(
        self,
        progress: Progress | None = None,
        *,
        faust_lib_dir: Path | None = None,
        juce_dir: Path | None = None,
        project_dirs: list[Path] | None = None,
        show_progress: bool = False,
    ) -> dict:
        """Bring the index up to date with the sources; only changed files are re-parsed.

        `progress(stage, done, total)` is called per file for the "scan" (hashing) and
        "index" (parse, embed, store) stages; `show_progress` adds tqdm bars in the terminal.
        Work is stored every FLUSH_ENTRIES entries, so an interrupted ingest resumes. Returns a summary with counts,
        seconds and notes (files skipped and why).

        Searches go on with the current index meanwhile: the ingest writes through its own
        database connection, builds the new index (BM25, vectors) without the lock searches
        take, and swaps it in whole at the end. Ingests of one index directory run one at a time.
        """
        started = time.perf_counter()
        with _ingest_lock(self.settings.index_dir), contextlib.closing(IndexStore(self.settings.index_dir)) as store:
            catalog = build_catalog(self.config, self._roots(store, faust_lib_dir, juce_dir, project_dirs))
            stored = store.file_hashes()
            if store.get_meta("format") != INDEX_FORMAT:
                stored = {path: "" for path in stored}  # stale format: re-parse everything
            changed: list[tuple] = []
            for i, item in enumerate(self._bar(catalog.files, "scan", show_progress)):
                digest, size = _sha256(item.path)
                if stored.get(str(item.path)) != digest:
                    changed.append((item, digest, size))
                if progress:
                    progress("scan", i + 1, len(catalog.files))
            current = {str(f.path) for f in catalog.files}
            removed = [p for p in stored if p not in current]
            store.remove_files(removed)

            notes = list(catalog.notes)
            pending: list[tuple] = []
            written: list[str] = []
            added = 0

            def flush() -> None:
                """Embed and store what is parsed, so an interrupted ingest keeps its work."""
                entries = [e for *_, file_entries in pending for e in file_entries]
                vectors = self._embed([e.embed_text or e.text for e in entries])
                offset = 0
                for item, digest, size, file_entries in pending:
                    part = None if vectors is None else vectors[offset : offset + len(file_entries)]
                    store.replace_file(str(item.path), item.source, digest, size, file_entries, part)
                    offset += len(file_entries)
                    written.append(str(item.path))
                pending.clear()

            for i, (item, digest, size) in enumerate(self._bar(changed, "index", show_progress)):
                try:
                    file_entries = item.parse()
                    pending.append((item, digest, size, file_entries))
                    added += len(file_entries)
                except (UnreadableFile, OSError) as exc:
                    notes.append(str(exc))
                    store.remove_files([str(item.path)])
                if sum(len(p[3]) for p in pending) >= FLUSH_ENTRIES:
                    flush()
                if progress:
                    progress("index", i + 1, len(changed))
            flush()
            self._backfill_vectors(store)
            store.set_meta("format", INDEX_FORMAT)
            store.set_meta("last_ingest", time.time())
            store.set_meta("notes", notes)
            index = self._build_index(store)
        with self._lock:
            self._index = index
        return {
            "files": len(catalog.files),
            "changed_files": written,
            "removed_files": removed,
            "entries_added": added,
            "entries_total": len(index.entries),
            "mode": self.mode,
            "notes": notes,
            "seconds": round(time.perf_counter() - started, 2),
        }

    @staticmethod
    def _bar(items: list, stage: str, show: bool):
        return tqdm(items, desc=stage, unit="file", disable=not show or not items, leave=False)

    def _embed(self, texts: list[str]) -> np.ndarray | None:
        if not self.config.use_embeddings or not texts:
            return None
        try:
            return self.embedder.encode(texts)
        except (EmbeddingsUnavailable, OSError) as exc:
            self._embedding_error = str(exc)
            return None

    def _backfill_vectors(self, store: IndexStore) -> None:
        """Embed entries stored while embeddings were off, once they are on again."""
        if not self.config.use_embeddings:
            return
        missing = store.missing_vectors()
        vectors = self._embed([text for _, text in missing])
        if vectors is not None:
            store.set_vectors([seq for seq, _ in missing], vectors)

    # ------------------------------------------------------------------ search
    def _build_index(self, store: IndexStore) -> HybridIndex:
        """A new in-memory index of the stored entries, with the saved BM25 of the same
        generation (built and saved when there is none)."""
        generation, entries, vectors = store.snapshot()
        bm25 = load_bm25(self.settings.index_dir, generation)
        if bm25 is None and entries:
            bm25 = build_bm25(entries)
            save_bm25(bm25, self.settings.index_dir, generation)
        use_vectors = vectors if self.config.use_embeddings else None
        return HybridIndex(entries, bm25, use_vectors, self.config.rrf_k)

    def _load_index(self) -> HybridIndex:
        """The index searches use: loaded on first use, replaced whole by `ingest`."""
        with self._lock:
            if self._index is None:
                self._index = self._build_index(self.store)
            return self._index

    @property
    def mode(self) -> str:
        """"hybrid" when every entry has a vector and embeddings are on, else "bm25"."""
        index = self._load_index()
        return "hybrid" if index.hybrid and self._embedding_error is None else "bm25"

    def _query_vector(self, query: str) -> np.ndarray | None:
        try:
            return self.embedder.encode_query(query)
        except (EmbeddingsUnavailable, OSError) as exc:
            self._embedding_error = str(exc)
            return None

    def search(self, query: str, k: int = 5, sources: list[DocSource | str] | None = None,
               mode: str | None = None) -> list[Passage]:
        """The k best passages for `query`, optionally only from `sources`.

        `mode` forces "bm25", "dense" or "hybrid" (benchmarks compare them); by default the
        best available mode is used.
        """
        if not query or not query.strip():
            raise ValueError("Type a search query first")
        if k < 1:
            raise ValueError(f"k must be at least 1, got {k}")
        mode = mode or self.mode
        if mode not in ("bm25", "dense", "hybrid"):
            raise ValueError(f"unknown search mode {mode!r}: use bm25, dense or hybrid")
        sources = _as_sources(sources)
        index = self._load_index()
        if mode != "bm25" and not index.hybrid:
            raise ValueError(
                f"{mode} search needs embeddings — run `hrm-reason knowledge ingest` with "
                "retrieval.use_embeddings on"
            )
        vector = self._query_vector(query) if mode != "bm25" else None
        return index.search(query, k, sources, vector, mode if vector is not None else "bm25")

    def context_for(self, subtask: Subtask, budget_tokens: int | None = None) -> list[Passage]:
        """The passages a subtask's prompt should carry, best first, within `budget_tokens`.

        The query is the subtask's title and description; the sources are its
        `context_requirements`, else those of its task type (TASK_SOURCES), else all.
        Tokens are estimated as characters / 4, counting each passage's header line; the
        last passage may be cut to fill the budget, with "…" marking the cut.
        """
        budget = self.config.doc_token_budget if budget_tokens is None else budget_tokens
        if budget <= 0:
            return []
        sources = list(subtask.context_requirements) or TASK_SOURCES.get(subtask.task_type)
        candidates = self.search(f"{subtask.title}\n{subtask.description}",
                                 k=max(self.config.top_k * 2, 10), sources=sources)
        chosen: list[Passage] = []
        left = budget
        for passage in candidates:
            cost = estimate_tokens(f"[{len(chosen) + 1}] {label(passage)}\n{passage.text}")
            if cost <= left:
                chosen.append(passage)
                left -= cost
            elif left >= MIN_PARTIAL_TOKENS:
                header = estimate_tokens(f"[{len(chosen) + 1}] {label(passage)}\n") + 1
                text = passage.text[: (left - header) * 4].rstrip() + "…"
                chosen.append(passage.model_copy(update={"text": text}))
                break
            if len(chosen) >= self.config.top_k:
                break
        return chosen

    # ------------------------------------------------------------------ status
    def status(self) -> dict:
        """Sources found or missing, per-source counts, mode, index size and age."""
        with self._lock:
            roots = self.store.get_meta("roots", {})
            located = locate(self.config, Roots(
                Path(roots["faust"]) if roots.get("faust") else None,
                Path(roots["juce"]) if roots.get("juce") else None,
                [*self.config.project_dirs, *map(Path, roots.get("projects", []))],
            ))
            counts = self.store.counts()
            last = self.store.get_meta("last_ingest")
            index = self._load_index()
            return {
                "mode": self.mode,
                "embedding_model": MODEL_NAME if self.config.use_embeddings else None,
                "embedding_error": self._embedding_error,
                "entries": len(index.entries),
                "vectors": self.store.vector_count(),
                "sources": {
                    source.value: {
                        "found": where.found,
                        "location": where.describe(),
                        **counts.get(source.value, {"files": 0, "entries": 0}),
                    }
                    for source, where in located.items()
                },
                "index_dir": str(self.settings.index_dir),
                "index_bytes": self.store.size_bytes(),
                "last_ingest": last,
                "age_seconds": None if last is None else round(time.time() - last, 1),
                "notes": self.store.get_meta("notes", []),
            }

    def entries(self) -> list[Entry]:
        """Every indexed entry (for tests, benchmarks and the UI's counts)."""
        return list(self._load_index().entries)

    def close(self) -> None:
        self.store.close()
