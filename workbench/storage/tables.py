"""What every per-entity store shares: the database, existence checks, partial updates."""

from __future__ import annotations

import sqlite3
from typing import Any

from workbench.storage.database import Database


class Tables:
    """Base of the per-entity stores that `Storage` combines."""

    _db: Database

    @staticmethod
    def _require(conn: sqlite3.Connection, table: str, row_id: object, what: str) -> None:
        """Raise KeyError, naming the id, when `table` has no such row."""
        if conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (row_id,)).fetchone() is None:
            raise KeyError(f"No {what} with id {row_id!r}")

    @staticmethod
    def _set(conn: sqlite3.Connection, table: str, row_id: object, values: dict[str, Any]) -> None:
        """UPDATE only the given columns (names come from a validated input model)."""
        assignments = ", ".join(f"{column} = ?" for column in values)
        conn.execute(
            f"UPDATE {table} SET {assignments} WHERE id = ?", (*values.values(), row_id)
        )
