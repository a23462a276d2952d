"""Everything the workbench remembers: SQLite history (`Storage`) and disk caches."""

from workbench.storage.store import Storage

__all__ = ["Storage"]
