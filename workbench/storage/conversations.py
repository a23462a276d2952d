"""Conversations: the chats inside a project, newest activity first."""

from __future__ import annotations

import time

from workbench.storage.inputs import clean_name
from workbench.storage.records import Conversation
from workbench.storage.tables import Tables


class ConversationStore(Tables):
    def create_conversation(self, project_id: int, title: str) -> Conversation:
        """KeyError for an unknown project, ValueError for an empty title."""
        title = clean_name(title, "conversation title")
        now = time.time()
        with self._db.transaction() as tx:
            self._require(tx, "projects", project_id, "project")
            cursor = tx.execute(
                "INSERT INTO conversations (project_id, title, created_at, updated_at)"
                " VALUES (?, ?, ?, ?)",
                (project_id, title, now, now),
            )
            self._set(tx, "projects", project_id, {"updated_at": now})
        return Conversation(
            id=cursor.lastrowid, project_id=project_id, title=title, created_at=now, updated_at=now
        )

    def get_conversation(self, conversation_id: int) -> Conversation | None:
        row = self._db.query_one("SELECT * FROM conversations WHERE id = ?", (conversation_id,))
        return None if row is None else Conversation(**row)

    def list_conversations(self, project_id: int) -> list[Conversation]:
        """The project's conversations, the one with the newest message first.

        KeyError for an unknown project."""
        conn = self._db.connection()
        self._require(conn, "projects", project_id, "project")
        rows = conn.execute(
            "SELECT * FROM conversations WHERE project_id = ? ORDER BY updated_at DESC, id DESC",
            (project_id,),
        ).fetchall()
        return [Conversation(**row) for row in rows]

    def rename_conversation(self, conversation_id: int, title: str) -> None:
        title = clean_name(title, "conversation title")
        with self._db.transaction() as tx:
            self._require(tx, "conversations", conversation_id, "conversation")
            self._set(tx, "conversations", conversation_id, {"title": title})

    def delete_conversation(self, conversation_id: int) -> None:
        """Delete it with its messages, runs and feedback; KeyError for an unknown id."""
        with self._db.transaction() as tx:
            self._require(tx, "conversations", conversation_id, "conversation")
            tx.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))
