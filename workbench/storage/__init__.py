"""Everything the workbench remembers: the SQLite history (`Storage`)."""

from workbench.storage.store import Storage

__all__ = ["Storage"]
