"""One SQLite file shared by many threads: a connection per thread, WAL, short writes.

Why this shape: the executor's worker threads and Streamlit's script threads all write
to the same file. sqlite3 connections must not be shared across threads, WAL lets readers
run while one writer writes, and `BEGIN IMMEDIATE` takes the write lock up front so a
waiting writer goes through `busy_timeout` instead of failing with "database is locked".
"""

from __future__ import annotations

import sqlite3
import threading
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

BUSY_TIMEOUT_MS = 30_000


class _Connection(sqlite3.Connection):
    """A plain connection that can be weakly referenced, so `close()` finds them all."""


class Database:
    """Hands each thread its own connection to `path`, configured the same way."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._all: weakref.WeakSet[_Connection] = weakref.WeakSet()
        self._lock = threading.Lock()

    def connection(self) -> sqlite3.Connection:
        """This thread's connection, opened (and configured) on first use."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._open()
            self._local.conn = conn
            with self._lock:
                self._all.add(conn)
        return conn

    def _open(self) -> _Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(
                self.path,
                factory=_Connection,
                isolation_level=None,  # autocommit; transactions are explicit below
                check_same_thread=False,  # only so close() may close it from another thread
                timeout=BUSY_TIMEOUT_MS / 1000,
            )
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            conn.execute("PRAGMA synchronous = NORMAL")
        except (sqlite3.DatabaseError, OSError) as exc:
            raise RuntimeError(
                f"Cannot open the workbench database {self.path}: {exc} — check the path "
                "is a writable file made by the workbench, or point data_dir elsewhere"
            ) from exc
        if mode.lower() != "wal":
            raise RuntimeError(
                f"SQLite refused WAL mode for {self.path} (got {mode!r}) — put the data "
                "directory on a local disk, not a network share"
            )
        return conn

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A short write transaction: committed on success, rolled back on any error."""
        conn = self.connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:  # also when COMMIT itself failed
                conn.execute("ROLLBACK")
            raise

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        return self.connection().execute(sql, params).fetchall()

    def query_one(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Row | None:
        return self.connection().execute(sql, params).fetchone()

    def close(self) -> None:
        """Close every thread's connection; a later call opens fresh ones."""
        with self._lock:
            connections = list(self._all)
            self._all.clear()
        for conn in connections:
            conn.close()
        self._local = threading.local()
