"""`Storage`: the one object the rest of the workbench keeps its history through."""

from __future__ import annotations

from pathlib import Path

from workbench.storage.conversations import ConversationStore
from workbench.storage.database import Database
from workbench.storage.feedback import FeedbackStore
from workbench.storage.messages import MessageStore
from workbench.storage.migrations import migrate
from workbench.storage.projects import ProjectStore
from workbench.storage.runs import RunStore


class Storage(ProjectStore, ConversationStore, MessageStore, RunStore, FeedbackStore):
    """Projects, conversations, messages, runs, subtasks and feedback in one SQLite file.

    Opening creates the file (and its folder) if needed and applies pending migrations.
    Safe to share between threads: each thread gets its own connection, writes are short
    `BEGIN IMMEDIATE` transactions and a busy writer is waited for, not failed.
    Unknown ids: `get_*` return None, every other method raises KeyError.
    """

    def __init__(self, db_path: Path | str) -> None:
        self.path = Path(db_path)
        self._db = Database(self.path)
        migrate(self._db)

    def close(self) -> None:
        """Close all connections; the object stays usable and reconnects on next use."""
        self._db.close()

    def __enter__(self) -> Storage:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
