"""Building the dense vectors after the BM25 index, in batches, so searches never wait.

The entries are searchable by BM25 as soon as they are stored; their vectors are added
batch by batch (`EMBED_BATCH` entries per transaction), so a crash or kill mid-build keeps
what was done and the next build embeds only what is missing. The index turns hybrid only
when every entry has a vector. One build runs at a time per index folder, across processes
(an advisory file lock): a second one waits, then finds nothing left to do.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

EMBED_BATCH = 256
STALE_AFTER_S = 30.0  # a build elsewhere that reported nothing for this long is not running


@dataclass
class BuildProgress:
    """What the build is doing, for the Knowledge page, `status` and the CLI."""

    state: str = "idle"  # idle | running | done | failed
    stage: str = ""  # "waiting", "load model", "distill", "embed"
    done: int = 0
    total: int = 0
    error: str | None = None
    pid: int = 0
    updated_at: float = 0.0

    def as_dict(self) -> dict:
        return asdict(self)


class ProgressBoard:
    """The current build's progress, shared between the building thread and readers."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._progress = BuildProgress()

    def update(self, **changes) -> BuildProgress:
        with self._lock:
            for key, value in changes.items():
                setattr(self._progress, key, value)
            self._progress.pid = os.getpid()
            self._progress.updated_at = time.time()
            return BuildProgress(**self._progress.as_dict())

    def read(self) -> BuildProgress:
        with self._lock:
            return BuildProgress(**self._progress.as_dict())


def elsewhere(stored: dict | None) -> BuildProgress | None:
    """A build another process reported in the index's meta table, if it is still alive."""
    if not stored or stored.get("state") != "running" or stored.get("pid") == os.getpid():
        return None
    if time.time() - stored.get("updated_at", 0) > STALE_AFTER_S:
        return None
    return BuildProgress(**stored)


@contextlib.contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    """Hold the index folder's build lock (waits while another process builds); released
    by the kernel if the holder dies, so a killed build never blocks the next one."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / "embeddings.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
