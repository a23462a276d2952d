from __future__ import annotations

from pathlib import Path

from workbench.storage.cache import DiskCache


def test_disk_cache_round_trip_and_persistence(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path / "decompositions")
    assert cache.get("missing") is None and cache.get("missing", "fallback") == "fallback"
    cache.set(("query", "ctx-hash"), {"subtasks": [{"id": "s1"}]})
    cache.set("plain", "value")
    assert len(cache) == 2
    cache.close()

    reopened = DiskCache(tmp_path / "decompositions")
    assert reopened.get(("query", "ctx-hash")) == {"subtasks": [{"id": "s1"}]}
    reopened.clear()
    assert len(reopened) == 0 and reopened.get("plain") is None
    reopened.close()
