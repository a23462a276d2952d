"""Messages: what the user asked and what the models answered, kept as they stream."""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from workbench.storage.inputs import MessageUpdate, checked
from workbench.storage.records import MESSAGE_ROLES, Message
from workbench.storage.tables import Tables


class MessageStore(Tables):
    def add_message(
        self,
        conversation_id: int,
        role: str,
        content: str,
        *,
        status: str = "complete",
        model: str | None = None,
        backend: str | None = None,
    ) -> Message:
        """Store a message now (committed before this returns).

        KeyError for an unknown conversation; ValueError for a role other than
        "user"/"assistant", an unknown status or non-text content."""
        if role not in MESSAGE_ROLES:
            raise ValueError(f"Message role {role!r} is not one of {', '.join(MESSAGE_ROLES)}")
        values = checked(
            MessageUpdate,
            {"content": content, "status": status, "model": model, "backend": backend},
            "the message",
        )
        now = time.time()
        with self._db.transaction() as tx:
            self._require(tx, "conversations", conversation_id, "conversation")
            cursor = tx.execute(
                "INSERT INTO messages (conversation_id, role, content, status, model, backend,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (conversation_id, role, values["content"], values["status"], model, backend, now, now),
            )
            self._set(tx, "conversations", conversation_id, {"updated_at": now})
        return Message(
            id=cursor.lastrowid,
            conversation_id=conversation_id,
            role=role,
            created_at=now,
            updated_at=now,
            **values,
        )

    def update_message(self, message_id: int, **fields: Any) -> None:
        """Change some of: content, thinking, status, error, model, backend,
        prompt_tokens, completion_tokens, duration_ms, run_id.

        KeyError for an unknown message; ValueError (nothing written) for an unknown
        field, a wrong type, or a run_id that names no run."""
        values = checked(MessageUpdate, fields, f"message {message_id}")
        now = time.time()
        try:
            with self._db.transaction() as tx:
                row = tx.execute(
                    "SELECT conversation_id FROM messages WHERE id = ?", (message_id,)
                ).fetchone()
                if row is None:
                    raise KeyError(f"No message with id {message_id!r}")
                self._set(tx, "messages", message_id, {**values, "updated_at": now})
                self._set(tx, "conversations", row["conversation_id"], {"updated_at": now})
        except sqlite3.IntegrityError:
            raise ValueError(
                f"Cannot link message {message_id} to run {fields.get('run_id')!r}: no such run"
            ) from None

    def get_message(self, message_id: int) -> Message | None:
        row = self._db.query_one("SELECT * FROM messages WHERE id = ?", (message_id,))
        return None if row is None else Message(**row)

    def list_messages(self, conversation_id: int) -> list[Message]:
        """The conversation's messages in the order they were added; KeyError if unknown."""
        conn = self._db.connection()
        self._require(conn, "conversations", conversation_id, "conversation")
        rows = conn.execute(
            "SELECT * FROM messages WHERE conversation_id = ? ORDER BY id", (conversation_id,)
        ).fetchall()
        return [Message(**row) for row in rows]
