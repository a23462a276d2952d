"""`KnowledgeBase`: the one object the rest of the workbench uses for documentation.

It ingests the discovered sources into the on-disk index (incrementally, by file hash),
searches it (hybrid BM25 + dense, or BM25 alone while the vectors are missing, off or
unavailable), and picks the passages a subtask's prompt should carry within a token budget.

An ingest stores entries and their BM25 index first (seconds), then adds the vectors: in the
foreground for the CLI (a tqdm bar), or in a background thread for the app
(`start_background_embeddings`, shown on the Knowledge page), switching to hybrid when done.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import numpy as np
from tqdm import tqdm

from workbench.config import Settings
from workbench.retrieval.bounded_reads import RefusedFolder, check_project_folder
from workbench.retrieval.catalog import Roots, build_catalog, locate
from workbench.retrieval.citations import label
from workbench.retrieval.developer_words import api_tokens, api_words
from workbench.retrieval.embedder import MODEL_NAME, EmbeddingsUnavailable, make_embedder
from workbench.retrieval.embedding_build import (
    EMBED_BATCH, BuildProgress, ProgressBoard, build_lock, elsewhere,
)
from workbench.retrieval.entries import CHARS_PER_TOKEN, Entry, Passage, estimate_tokens
from workbench.retrieval.facets import facets
from workbench.retrieval.index import HybridIndex, build_arrays, load_arrays
from workbench.retrieval.project_files import UnreadableFile
from workbench.retrieval.static_embedder import default_dir
from workbench.retrieval.store import IndexStore
from workbench.vocabulary import DocSource, TaskType

if TYPE_CHECKING:
    from workbench.domain import Subtask

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
INDEX_FORMAT = 5  # bump when parsers or entry texts change: every file is then re-parsed
MIN_PARTIAL_TOKENS = 60  # a passage cut shorter than this is not worth its header
# a program cut short is a broken program, which a small model copies as it stands
WHOLE_ONLY = frozenset({DocSource.FAUST_EXAMPLES})
# what a facet of a request is looked up as: the API entry that does that part
FACET_KINDS = frozenset({"function", "class", "method"})
FACET_DEPTH = 40  # how deep in the whole request's ranking a part's entry must appear
PRIMER_DEPTH = 10  # a primer section this high in the ranking goes right after the best entry
PASSAGE_SHARE = 3  # no passage takes more than 1/PASSAGE_SHARE of the documentation budget
FLUSH_ENTRIES = 512  # parsed entries written together


_INGEST_LOCKS: dict[Path, threading.RLock] = {}
_INGEST_LOCKS_GUARD = threading.Lock()


def _ingest_lock(index_dir: Path) -> threading.RLock:
    """One lock per index directory, shared by every KnowledgeBase of this process (the
    chat's and the Knowledge page's), so two ingests never interleave their writes; an
    ingest re-enters it to build its vectors."""
    with _INGEST_LOCKS_GUARD:
        return _INGEST_LOCKS.setdefault(index_dir.resolve(), threading.RLock())


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
    """Documentation retrieval over the user's FAUST/JUCE installations, primers and projects.

    `background` (default: settings.retrieval.background_embeddings) starts building any
    missing vectors in a background thread as soon as the knowledge base opens; the CLI
    passes False and builds them in the foreground instead.
    """

    def __init__(self, settings: Settings, *, background: bool | None = None) -> None:
        self.settings = settings
        self.config = settings.retrieval
        self.store = IndexStore(settings.index_dir)
        self.embedder = make_embedder(self.config.embedder, self.config.embedding_batch_size,
                                      self.config.embedder_dir or default_dir(settings.cache_dir / "embedders"))
        self._index: HybridIndex | None = None
        self._index_version: tuple[int, int] | None = None
        self._embedding_error: str | None = None
        self._lock = threading.RLock()  # guards self._index and self.store; an ingest takes it only to swap
        self._progress = ProgressBoard()
        self._builder: threading.Thread | None = None
        if (self.config.background_embeddings if background is None else background) and self.store.has_entries():
            self.start_background_embeddings()

    # ------------------------------------------------------------------ ingest
    def _roots(self, store: IndexStore, faust_lib_dir: Path | None, juce_dir: Path | None,
               project_dirs: list[Path] | None, notes: list[str]) -> Roots:
        """Explicit directories win and are remembered, so a later refresh reads the same ones.
        A new project folder that is too broad (/, the home folder) raises RefusedFolder before
        anything is remembered; a remembered one is dropped with a note."""
        new_projects = [check_project_folder(p) for p in project_dirs or []]
        remembered = store.get_meta("roots", {})
        faust = faust_lib_dir or (Path(remembered["faust"]) if remembered.get("faust") else None)
        juce = juce_dir or (Path(remembered["juce"]) if remembered.get("juce") else None)
        projects: list[Path] = []
        for folder in [*self.config.project_dirs, *map(Path, remembered.get("projects", []))]:
            try:
                projects.append(check_project_folder(folder))
            except RefusedFolder as exc:
                notes.append(f"{exc}; no longer indexed")
        projects = list(dict.fromkeys([*projects, *new_projects]))
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
        embeddings: str = "now",
    ) -> dict:
        """Bring the index up to date with the sources; only changed files are re-parsed.

        `progress(stage, done, total)` is called per file for the "scan" (hashing) and
        "index" (parse, store) stages, then per batch for "embed"; `show_progress` adds tqdm
        bars in the terminal. `embeddings`: "now" builds missing vectors before returning,
        "background" in a thread (the BM25 index is searchable meanwhile), "skip" not at
        all. Work is stored every FLUSH_ENTRIES entries, so an interrupted ingest resumes.
        Returns a summary with counts, seconds and notes (what was skipped and why). A
        project folder that is too broad raises RefusedFolder, and nothing is changed.

        Searches go on with the current index meanwhile: the ingest writes through its own
        database connection, builds the new index without the lock searches take, and swaps
        it in whole at the end. Ingests of one index directory run one at a time.
        """
        if embeddings not in ("now", "background", "skip"):
            raise ValueError(f"embeddings must be now, background or skip, not {embeddings!r}")
        started = time.perf_counter()
        notes: list[str] = []
        with _ingest_lock(self.settings.index_dir), contextlib.closing(IndexStore(self.settings.index_dir)) as store:
            roots = self._roots(store, faust_lib_dir, juce_dir, project_dirs, notes)
            catalog = build_catalog(self.config, roots)
            notes.extend(catalog.notes)
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

            pending: list[tuple] = []
            written: list[str] = []
            added = 0

            def flush() -> None:
                """Store what is parsed (vectors come later), so an interrupted ingest keeps it."""
                for item, digest, size, file_entries in pending:
                    store.replace_file(str(item.path), item.source, digest, size, file_entries, None)
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
            store.set_meta("format", INDEX_FORMAT)
            store.set_meta("last_ingest", time.time())
            store.set_meta("notes", notes)
            store.publish()
            version, index = self._build_index(store)
            with self._lock:
                self._index, self._index_version = index, version
            if embeddings == "now":
                self.build_embeddings(progress, show_progress=show_progress)
        if embeddings == "background":
            self.start_background_embeddings()
        return {
            "files": len(catalog.files),
            "changed_files": written,
            "removed_files": removed,
            "entries_added": added,
            "entries_total": len(self._load_index()),
            "mode": self.mode,
            "embeddings": self.embedding_status(),
            "notes": notes,
            "seconds": round(time.perf_counter() - started, 2),
        }

    @staticmethod
    def _bar(items: list, stage: str, show: bool):
        return tqdm(items, desc=stage, unit="file", disable=not show or not items, leave=False)

    # ------------------------------------------------------------------ vectors
    def start_background_embeddings(self) -> None:
        """Build missing vectors in a daemon thread (no-op when embeddings are off or a build
        of this knowledge base is already running). Searches use BM25 until it is done."""
        if not self.config.use_embeddings:
            return
        with self._lock:
            if self._builder and self._builder.is_alive():
                return
            self._builder = threading.Thread(
                target=self.build_embeddings, name="knowledge-embeddings", daemon=True
            )
            self._builder.start()

    def wait_for_embeddings(self, timeout: float | None = None) -> bool:
        """Wait for this knowledge base's background build; True when none is running."""
        builder = self._builder
        if builder:
            builder.join(timeout)
        return not (builder and builder.is_alive())

    def build_embeddings(self, progress: Progress | None = None, *, show_progress: bool = False) -> BuildProgress:
        """Embed every entry that has no vector yet, EMBED_BATCH at a time, then switch the
        index to hybrid. Never raises: a failure is recorded (status, Knowledge page) and the
        BM25 index stays as it was; the vectors already stored are kept for the next build."""
        if not self.config.use_embeddings:
            return self._progress.read()
        self._progress.update(state="running", stage="waiting", done=0, total=0, error=None)
        try:
            with _ingest_lock(self.settings.index_dir), build_lock(self.settings.index_dir), \
                    contextlib.closing(IndexStore(self.settings.index_dir)) as store:
                self._embed_missing(store, progress, show_progress)
                version, index = self._build_index(store)
            with self._lock:
                self._index, self._index_version = index, version
                self._embedding_error = None
                return self._report(self.store, state="done", stage="")
        except Exception as exc:  # noqa: BLE001 - a background build must never take the app down
            with self._lock:
                self._embedding_error = f"{type(exc).__name__}: {exc}"
                return self._report(self.store, state="failed", error=self._embedding_error)

    def _embed_missing(self, store: IndexStore, progress: Progress | None, show_progress: bool) -> None:
        stored_model = store.get_meta("vectors_model", MODEL_NAME if store.vector_count() else None)
        if stored_model not in (None, self.embedder.name):
            store.clear_vectors()  # made by another model: not comparable with new queries
        store.set_meta("vectors_model", self.embedder.name)  # before any batch: a resumed build knows them
        missing = store.missing_vectors()
        total = len(missing)
        self._report(store, stage="load model", total=total)
        if missing:
            self.embedder.prepare(lambda stage, *_: self._report(store, stage=stage, total=total))
        bar = tqdm(total=total, desc="embed", unit="entry", disable=not show_progress or not total,
                   leave=False)
        with bar:
            for start in range(0, total, EMBED_BATCH):
                batch = missing[start : start + EMBED_BATCH]
                store.set_vectors([seq for seq, _ in batch], self.embedder.encode([t for _, t in batch]))
                done = start + len(batch)
                bar.update(len(batch))
                self._report(store, stage="embed", done=done, total=total)
                if progress:
                    progress("embed", done, total)
        store.bump_vector_epoch()

    def _report(self, store: IndexStore, **changes) -> BuildProgress:
        """Record progress here and in the index, where other processes read it."""
        current = self._progress.update(**changes)
        store.set_meta("embedding_progress", current.as_dict())
        return current

    def embedding_status(self) -> dict:
        """The vectors' build: this process's, else a live one reported by another process."""
        mine = self._progress.read()
        if mine.state != "running" or mine.stage == "waiting":
            with self._lock:
                other = elsewhere(self.store.get_meta("embedding_progress"))
            if other:
                return {**other.as_dict(), "where": "another process"}
        return {**mine.as_dict(), "where": "here"}

    # ------------------------------------------------------------------ search
    def _build_index(self, store: IndexStore) -> tuple[tuple[int, int], HybridIndex]:
        """A new index of the stored entries: the saved search arrays of their generation
        (built and saved when there are none), with the vectors once all are built, and the
        store version it reflects. The entries' texts stay in SQLite until a search returns them."""
        version = store.version()
        generation = store.get_meta("generation", 0)
        arrays = load_arrays(self.settings.index_dir, generation)
        if arrays is None:
            generation, entries, seqs = store.snapshot()
            arrays = build_arrays(entries, seqs, self.settings.index_dir, generation) if entries else None
        if arrays is not None and self.config.use_embeddings:
            arrays = arrays.with_vectors(version[1], lambda: store.vectors(generation))
        return version, HybridIndex(arrays, self._fetch, self.config.rrf_k, self.config.bm25_weight)

    def _fetch(self, seqs: list[int]) -> dict[int, Entry]:
        with self._lock:
            return self.store.fetch(seqs)

    def _load_index(self) -> HybridIndex:
        """The index searches use: loaded on first use, reloaded when an ingest or a vector
        build (here or in another process) has published a newer version."""
        with self._lock:
            if self._index is None or self.store.version() != self._index_version:
                self._index_version, self._index = self._build_index(self.store)
            return self._index

    @property
    def mode(self) -> str:
        """"hybrid" when every entry has a vector and embeddings are on, else "bm25"."""
        index = self._load_index()
        return "hybrid" if index.hybrid and self._embedding_error is None else "bm25"

    def _query_vector(self, text: str) -> np.ndarray | None:
        try:
            return self.embedder.encode_query(text)
        except (EmbeddingsUnavailable, OSError) as exc:
            self._embedding_error = str(exc)
            return None

    def search(self, query: str, k: int = 5, sources: list[DocSource | str] | None = None,
               mode: str | None = None) -> list[Passage]:
        """The k best passages for `query`, optionally only from `sources`.

        The query's developer words ("knob", "callback") bring their API names along
        (`developer_words.toml`), and a hybrid search then ranks by BM25 alone. `mode` forces
        "bm25", "dense" or "hybrid" (benchmarks compare them); by default the best available
        mode is used.
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
        extra = api_words(query)
        # a hybrid query whose developer words were bridged to API names is ranked by BM25
        # alone: BM25 matches those names exactly, while the static embedder knows words, not
        # names, and its list only pushed the named entries down (tuning half: hybrid 0.767,
        # BM25 0.783, this 0.800; the project set 0.981 -> 0.963)
        dense = mode == "dense" or (mode == "hybrid" and not extra)
        vector = self._query_vector(" ".join([query, *extra])) if dense else None
        return index.search(query, k, sources, vector, mode if vector is not None else "bm25",
                            extra_tokens=api_tokens(extra))

    def context_for(self, subtask: Subtask, budget_tokens: int | None = None, *,
                    examples: bool = True) -> list[Passage]:
        """The passages a subtask's prompt should carry, best first, within `budget_tokens`.

        The query is the subtask's title and description; the sources are its
        `context_requirements`, else those of its task type (TASK_SOURCES), else all. A
        request of several parts (`facets`) gets each part's best API entry right after the
        whole request's best, then the rest of the whole's ranking; a part's entry that the
        whole request does not rank at all (within FACET_DEPTH) is a stray match of a few
        words ("editor component" → `CodeEditorComponent`) and is left out. `examples=False`
        leaves out whole example programs, which a small model copies instead of answering.

        No passage takes more than a third of the budget (cut, with "…" marking the cut): a
        long class entry otherwise filled a small model's whole budget, leaving out the
        primer with the code pattern. Tokens are estimated as characters / 4, counting each
        passage's header line.
        """
        budget = self.config.doc_token_budget if budget_tokens is None else budget_tokens
        if budget <= 0:
            return []
        sources = list(subtask.context_requirements) or TASK_SOURCES.get(subtask.task_type)
        if not examples:
            sources = [s for s in (sources or DocSource) if s != DocSource.FAUST_EXAMPLES]
        ranked = self.search(f"{subtask.title}\n{subtask.description}",
                             k=max(self.config.top_k * 2, FACET_DEPTH), sources=sources)
        whole = {p.id for p in ranked}
        firsts: dict[str, Passage] = {}
        for facet in facets(subtask.description):
            best = next((p for p in self.search(facet, k=3, sources=sources)
                         if p.id not in firsts and p.kind in FACET_KINDS), None)
            if best is not None and best.id in whole:
                firsts[best.id] = best
        primer = next((p for p in ranked[:PRIMER_DEPTH] if p.source == DocSource.PRIMERS), None)
        if primer is not None:
            firsts = {primer.id: primer, **{k: v for k, v in firsts.items() if k != primer.id}}
        top = ranked[:1] if ranked and ranked[0].id not in firsts else []
        candidates = [*top, *firsts.values(), *(p for p in ranked[len(top):] if p.id not in firsts)]
        chosen: list[Passage] = []
        left = budget
        for passage in candidates:
            header = estimate_tokens(f"[{len(chosen) + 1}] {label(passage)}\n") + 1
            room = min(left, max(budget // PASSAGE_SHARE, MIN_PARTIAL_TOKENS))
            if header + estimate_tokens(passage.text) <= room:
                chosen.append(passage)
            elif room >= MIN_PARTIAL_TOKENS and passage.source not in WHOLE_ONLY:
                text = passage.text[: (room - header) * CHARS_PER_TOKEN].rstrip() + "…"
                chosen.append(passage.model_copy(update={"text": text}))
            else:
                continue
            left -= estimate_tokens(f"[{len(chosen)}] {label(chosen[-1])}\n{chosen[-1].text}")
            if len(chosen) >= self.config.top_k or left < MIN_PARTIAL_TOKENS:
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
                "embedding_model": self.embedder.name if self.config.use_embeddings else None,
                "embeddings": self.embedding_status(),
                "embedding_error": self._embedding_error,
                "entries": len(index),
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
        """Every indexed entry (for tests and benchmarks; searches never read them all)."""
        with self._lock:
            return self.store.entries()

    def has_entries(self) -> bool:
        with self._lock:
            return self.store.has_entries()

    def close(self) -> None:
        self.store.close()
