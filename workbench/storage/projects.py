"""Projects: named folders of conversations, unique by name."""

from __future__ import annotations

import sqlite3
import time

from workbench.storage.inputs import clean_name
from workbench.storage.records import Project, ProjectSummary
from workbench.storage.tables import Tables

# One statement for the whole sidebar, never one query per project: each count is an
# index lookup (conversations_by_project, messages_by_conversation), which measured 3x
# faster than a grouped join over all messages. A conversation's updated_at moves with
# its messages, so it stands for their activity.
_SUMMARY_SQL = """
SELECT p.id, p.name, p.created_at,
       (SELECT COUNT(*) FROM conversations AS c WHERE c.project_id = p.id) AS conversations,
       (SELECT COUNT(*) FROM conversations AS c JOIN messages AS m ON m.conversation_id = c.id
        WHERE c.project_id = p.id) AS messages,
       MAX(p.updated_at, COALESCE(
           (SELECT MAX(c.updated_at) FROM conversations AS c WHERE c.project_id = p.id), 0
       )) AS last_activity
FROM projects AS p
ORDER BY last_activity DESC, p.id DESC
"""


class ProjectStore(Tables):
    def ensure_project(self, name: str) -> Project:
        """The project called `name`, created if it does not exist yet (race-free)."""
        name = clean_name(name, "project name")
        now = time.time()
        with self._db.transaction() as tx:
            tx.execute(
                "INSERT INTO projects (name, created_at, updated_at) VALUES (?, ?, ?)"
                " ON CONFLICT (name) DO NOTHING",
                (name, now, now),
            )
            row = tx.execute("SELECT * FROM projects WHERE name = ?", (name,)).fetchone()
        return Project(**row)

    def create_project(self, name: str) -> Project:
        """A new project; ValueError when the name is empty or already taken."""
        name = clean_name(name, "project name")
        now = time.time()
        try:
            with self._db.transaction() as tx:
                cursor = tx.execute(
                    "INSERT INTO projects (name, created_at, updated_at) VALUES (?, ?, ?)",
                    (name, now, now),
                )
        except sqlite3.IntegrityError:
            raise _duplicate(name) from None
        return Project(id=cursor.lastrowid, name=name, created_at=now, updated_at=now)

    def get_project(self, project_id: int) -> Project | None:
        row = self._db.query_one("SELECT * FROM projects WHERE id = ?", (project_id,))
        return None if row is None else Project(**row)

    def list_projects(self) -> list[ProjectSummary]:
        """Every project with its counts, most recently active first."""
        return [ProjectSummary(**row) for row in self._db.query(_SUMMARY_SQL)]

    def rename_project(self, project_id: int, new_name: str) -> None:
        """KeyError for an unknown id, ValueError for an empty or taken name."""
        new_name = clean_name(new_name, "project name")
        try:
            with self._db.transaction() as tx:
                self._require(tx, "projects", project_id, "project")
                self._set(tx, "projects", project_id, {"name": new_name, "updated_at": time.time()})
        except sqlite3.IntegrityError:
            raise _duplicate(new_name) from None

    def delete_project(self, project_id: int) -> None:
        """Delete the project with its conversations, messages, runs and feedback."""
        with self._db.transaction() as tx:
            self._require(tx, "projects", project_id, "project")
            tx.execute("DELETE FROM projects WHERE id = ?", (project_id,))


def _duplicate(name: str) -> ValueError:
    return ValueError(f"A project named {name!r} already exists — pick another name")
