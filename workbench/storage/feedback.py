"""Feedback: users' verdicts on answers, the training signal for the HRM router."""

from __future__ import annotations

import time

from workbench.storage.inputs import FeedbackInput, checked
from workbench.storage.records import Feedback
from workbench.storage.tables import Tables


class FeedbackStore(Tables):
    def add_feedback(
        self,
        message_id: int,
        *,
        rating: int,
        correct_role: str | None,
        should_split: bool | None,
        note: str = "",
    ) -> Feedback:
        """Record a verdict on an answer.

        `rating`: -1/+1 thumbs or 1-5 stars (0 neutral); `correct_role`: the role that
        should have answered ("reasoning", "coder", "math") or None; `should_split`: whether
        the question should have been decomposed. KeyError for an unknown message."""
        values = checked(
            FeedbackInput,
            {"rating": rating, "correct_role": correct_role, "should_split": should_split, "note": note},
            "the feedback",
        )
        now = time.time()
        with self._db.transaction() as tx:
            self._require(tx, "messages", message_id, "message")
            cursor = tx.execute(
                "INSERT INTO feedback (message_id, rating, correct_role, should_split, note,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (message_id, *values.values(), now),
            )
        return Feedback(id=cursor.lastrowid, message_id=message_id, created_at=now, **values)

    def list_feedback(self) -> list[Feedback]:
        """Every verdict, oldest first."""
        return [Feedback(**row) for row in self._db.query("SELECT * FROM feedback ORDER BY id")]
