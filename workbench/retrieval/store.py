"""The index on disk: one SQLite file under settings.index_dir.

Tables: `files` (every indexed file with its SHA-256, so re-ingest re-parses only what
changed), `entries` (the parsed entries, each with its embedding as a float32 blob, NULL
when embeddings are off) and `meta` (the roots used, the last ingest time, a generation
counter that tells the saved BM25 index whether it is still current).

Every transaction that changes entries bumps the generation in the same transaction (a
finished or cleared set of vectors bumps `vector_epoch` instead, so BM25 is not rebuilt);
an ingest `publish`es its last generation when done, and `snapshot` reads the generation
with the entries in one read transaction
(WAL: readers never wait for the writer). So a reader that opens the index while an ingest is
writing gets a consistent set of entries, and a BM25 index saved for a generation always
matches that generation's entries.
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import numpy as np

from workbench.vocabulary import DocSource
from workbench.retrieval.entries import Entry

SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, source TEXT NOT NULL, sha256 TEXT NOT NULL,
    size INTEGER NOT NULL, entries INTEGER NOT NULL, indexed_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS entries (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL,
    file TEXT NOT NULL REFERENCES files(path) ON DELETE CASCADE,
    source TEXT NOT NULL, kind TEXT NOT NULL, title TEXT NOT NULL, location TEXT NOT NULL,
    path TEXT NOT NULL, line INTEGER NOT NULL, text TEXT NOT NULL, embed_text TEXT NOT NULL,
    vector BLOB
);
CREATE INDEX IF NOT EXISTS entries_file ON entries(file);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
_ENTRY_COLUMNS = "id, source, kind, title, location, path, line, text, embed_text"
_BUMP_GENERATION = """
INSERT INTO meta VALUES ('generation', '1')
ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1
"""
_BUMP_VECTOR_EPOCH = _BUMP_GENERATION.replace("'generation'", "'vector_epoch'")


def _entry(row: tuple) -> Entry:
    """An Entry from its columns, without re-validation: this module wrote them (validating
    costs a third of reading them all)."""
    return Entry.model_construct(id=row[0], source=DocSource(row[1]), kind=row[2], title=row[3],
                                 location=row[4], path=row[5], line=row[6], text=row[7], embed_text=row[8])


class IndexStore:
    """Read and write the persisted index; one connection, used from one thread at a time
    (an ingest opens its own, so searches on another thread never share its transactions)."""

    def __init__(self, index_dir: Path) -> None:
        index_dir.mkdir(parents=True, exist_ok=True)
        self.dir = index_dir
        self.db_path = index_dir / "knowledge.sqlite3"
        self.db = sqlite3.connect(self.db_path, check_same_thread=False)
        self.db.execute("PRAGMA foreign_keys = ON")
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        self.db.close()

    # -- files
    def file_hashes(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT path, sha256 FROM files"))

    def replace_file(
        self, path: str, source: DocSource, sha256: str, size: int, entries: list[Entry],
        vectors: np.ndarray | None,
    ) -> None:
        """Swap one file's entries for new ones in a single transaction."""
        with self.db:
            self.db.execute(_BUMP_GENERATION)
            self.db.execute("DELETE FROM files WHERE path = ?", (path,))
            self.db.execute(
                "INSERT INTO files VALUES (?, ?, ?, ?, ?, ?)",
                (path, source.value, sha256, size, len(entries), time.time()),
            )
            self.db.executemany(
                f"INSERT INTO entries (file, {_ENTRY_COLUMNS}, vector) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                [
                    (path, e.id, e.source.value, e.kind, e.title, e.location, e.path, e.line,
                     e.text, e.embed_text,
                     None if vectors is None else vectors[i].astype(np.float32).tobytes())
                    for i, e in enumerate(entries)
                ],
            )

    def remove_files(self, paths: list[str]) -> None:
        if not paths:
            return
        with self.db:
            self.db.execute(_BUMP_GENERATION)
            self.db.executemany("DELETE FROM files WHERE path = ?", [(p,) for p in paths])

    def missing_vectors(self) -> list[tuple[int, str]]:
        """(seq, embed text) of entries indexed while embeddings were off."""
        return list(self.db.execute("SELECT seq, embed_text FROM entries WHERE vector IS NULL"))

    def set_vectors(self, seqs: list[int], vectors: np.ndarray) -> None:
        """Store vectors for entries; the generation stays (BM25 does not depend on vectors):
        readers notice finished vectors through `vector_epoch`."""
        with self.db:
            self.db.executemany(
                "UPDATE entries SET vector = ? WHERE seq = ?",
                [(vectors[i].astype(np.float32).tobytes(), s) for i, s in enumerate(seqs)],
            )

    def clear_vectors(self) -> None:
        """Forget every vector (they came from another embedding model)."""
        with self.db:
            self.db.execute("UPDATE entries SET vector = NULL WHERE vector IS NOT NULL")
            self.db.execute(_BUMP_VECTOR_EPOCH)

    def bump_vector_epoch(self) -> None:
        """Tell readers (other KnowledgeBases, other processes) that the vectors changed."""
        with self.db:
            self.db.execute(_BUMP_VECTOR_EPOCH)

    def publish(self) -> None:
        """Mark the current entries as finished (an ingest calls this at its end), so readers
        reload once per ingest, not at every intermediate write."""
        with self.db:
            self.db.execute(
                "INSERT OR REPLACE INTO meta SELECT 'published', value FROM meta WHERE key = 'generation'"
            )

    def version(self) -> tuple[int, int]:
        """(published generation, vector epoch): when either changes, an in-memory index is
        stale. One small read, cheap enough for every search."""
        rows = dict(self.db.execute(
            "SELECT key, value FROM meta WHERE key IN ('generation', 'published', 'vector_epoch')"
        ))
        published = rows.get("published", rows.get("generation", 0))
        return int(published), int(rows.get("vector_epoch", 0))

    # -- entries
    def snapshot(self) -> tuple[int, list[Entry], list[int]]:
        """The generation, all entries in a stable order and their seqs, read in one
        transaction so the three belong together."""
        self.db.execute("BEGIN")
        try:
            generation = self.get_meta("generation", 0)
            rows = self.db.execute(f"SELECT seq, {_ENTRY_COLUMNS} FROM entries ORDER BY seq").fetchall()
        finally:
            self.db.execute("COMMIT")
        return generation, [_entry(r[1:]) for r in rows], [r[0] for r in rows]

    def entries(self) -> list[Entry]:
        return self.snapshot()[1]

    def fetch(self, seqs: list[int]) -> dict[int, Entry]:
        """The entries stored under `seqs` (those an ingest has not removed since), by seq."""
        marks = ",".join("?" * len(seqs))
        rows = self.db.execute(f"SELECT seq, {_ENTRY_COLUMNS} FROM entries WHERE seq IN ({marks})", seqs)
        return {r[0]: _entry(r[1:]) for r in rows}

    def vectors(self, generation: int) -> np.ndarray | None:
        """Every entry's vector in seq order, or None unless each has one and the entries
        are still those of `generation` (checked in the same read transaction)."""
        self.db.execute("BEGIN")
        try:
            if self.get_meta("generation", 0) != generation:
                return None
            rows = self.db.execute("SELECT vector FROM entries ORDER BY seq").fetchall()
        finally:
            self.db.execute("COMMIT")
        if not rows or any(r[0] is None for r in rows):
            return None
        return np.frombuffer(b"".join(r[0] for r in rows), dtype=np.float32).reshape(len(rows), -1)

    def counts(self) -> dict[str, dict[str, int]]:
        """Per source: files and entries."""
        out: dict[str, dict[str, int]] = {}
        for source, files, entries in self.db.execute(
            "SELECT source, COUNT(*), SUM(entries) FROM files GROUP BY source"
        ):
            out[source] = {"files": files, "entries": entries or 0}
        return out

    def has_entries(self) -> bool:
        return self.db.execute("SELECT EXISTS (SELECT 1 FROM entries)").fetchone()[0] == 1

    def vector_count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM entries WHERE vector IS NOT NULL").fetchone()[0]

    # -- meta
    def get_meta(self, key: str, default=None):
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def set_meta(self, key: str, value) -> None:
        with self.db:
            self.db.execute(
                "INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, json.dumps(value))
            )

    def size_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.dir.rglob("*") if p.is_file())
