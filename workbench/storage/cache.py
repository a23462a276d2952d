"""A small persistent key-value cache (the decomposition cache), backed by diskcache."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import diskcache


class DiskCache:
    """Values survive restarts and are shared safely between threads and processes.

    Keys and values are anything picklable; `get` returns `default` for a missing key.
    """

    def __init__(self, directory: Path | str) -> None:
        self.directory = Path(directory)
        self._cache = diskcache.Cache(str(self.directory))

    def get(self, key: Any, default: Any = None) -> Any:
        return self._cache.get(key, default)

    def set(self, key: Any, value: Any) -> None:
        self._cache.set(key, value)

    def clear(self) -> None:
        self._cache.clear()

    def __len__(self) -> int:
        return len(self._cache)

    def close(self) -> None:
        self._cache.close()
