"""The decomposition cache: an in-memory LRU in front of a diskcache that survives restarts.

The key is a hash of the normalized question, the context, the engine version and the
analyzer's model checksum, so a changed context, a new engine or a new checkpoint never
returns an old plan. Plans are stored on disk as their JSON (not pickles), so a changed
class can never unpickle wrongly; both layers are safe to use from many threads. Callers
must treat a returned plan as read-only: it is shared with the next caller.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import diskcache
from pydantic import ValidationError

from workbench.domain import TaskDecomposition

MEMORY_ENTRIES = 512


def cache_key(query: str, context: Mapping[str, Any], engine_version: str, model_checksum: str | None) -> str:
    material = json.dumps(
        {"q": query, "ctx": context, "engine": engine_version, "model": model_checksum or ""},
        sort_keys=True, ensure_ascii=True,
    )
    return hashlib.sha256(material.encode("ascii")).hexdigest()


class PlanCache:
    """LRU of `TaskDecomposition`s backed by `directory` on disk."""

    def __init__(self, directory: Path, memory_entries: int = MEMORY_ENTRIES) -> None:
        self._memory: OrderedDict[str, TaskDecomposition] = OrderedDict()
        self._limit = memory_entries
        self._lock = threading.Lock()
        self._disk = diskcache.Cache(str(directory))

    def get(self, key: str) -> TaskDecomposition | None:
        with self._lock:
            plan = self._memory.get(key)
            if plan is not None:
                self._memory.move_to_end(key)
                return plan
        stored = self._disk.get(key)
        if stored is None:
            return None
        try:
            plan = TaskDecomposition.model_validate_json(stored)
        except ValidationError:
            self._disk.delete(key)  # written by an incompatible version: recompute
            return None
        self._remember(key, plan)
        return plan

    def put(self, key: str, plan: TaskDecomposition) -> None:
        self._disk.set(key, plan.model_dump_json())
        self._remember(key, plan)

    def _remember(self, key: str, plan: TaskDecomposition) -> None:
        with self._lock:
            self._memory[key] = plan
            self._memory.move_to_end(key)
            while len(self._memory) > self._limit:
                self._memory.popitem(last=False)

    def __len__(self) -> int:
        return len(self._disk)

    def clear(self) -> None:
        with self._lock:
            self._memory.clear()
        self._disk.clear()

    def close(self) -> None:
        self._disk.close()
