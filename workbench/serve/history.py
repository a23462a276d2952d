"""The stored history as other clients see it: projects by name, read-only JSON documents
of conversations and runs, and the stored conversation a chat client is continuing."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.system import System
    from workbench.storage.records import ProjectSummary

Turn = tuple[str, str]  # (role, content)


class UnknownRecord(LookupError):
    """A project, conversation or run that does not exist; the message says which."""


def find_project(glm: System, name: str) -> ProjectSummary | None:
    return next((p for p in glm.list_projects() if p.name == name), None)


def _project(glm: System, name: str) -> ProjectSummary:
    project = find_project(glm, name)
    if project is None:
        known = ", ".join(p.name for p in glm.list_projects()) or "none yet"
        raise UnknownRecord(f"No project named {name!r} — known projects: {known}")
    return project


def _dump(data: object) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=str)


def projects_json(glm: System) -> str:
    return _dump([p.model_dump() for p in glm.list_projects()])


def conversations_json(glm: System, project: str) -> str:
    return _dump([c.model_dump() for c in glm.list_conversations(_project(glm, project).id)])


def messages_json(glm: System, conversation_id: str) -> str:
    """`conversation_id` as the URI carries it: text, checked here."""
    try:
        return _dump([m.model_dump() for m in glm.get_messages(int(conversation_id))])
    except (ValueError, KeyError) as error:
        raise UnknownRecord(f"No conversation {conversation_id!r} — the ids are listed by "
                            "workbench://projects/{project}/conversations") from error


def runs_json(glm: System, project: str) -> str:
    runs = glm.list_runs(_project(glm, project).id)
    return _dump([r.model_dump(include={"id", "conversation_id", "question", "status", "error", "duration_ms",
                                        "created_at"}) for r in runs])


def run_markdown(glm: System, run_id: str) -> str:
    try:
        return glm.export_run(run_id, "markdown")
    except KeyError as error:
        raise UnknownRecord(error.args[0]) from error


def continued_conversation(glm: System, project: str, earlier: Sequence[Turn]) -> int | None:
    """The stored conversation whose finished turns are exactly `earlier`: the one a chat
    client (which resends the whole history each time) is continuing. None for a new chat."""
    if not earlier:
        return None
    found = find_project(glm, project)
    if found is None:
        return None
    wanted = [(role, content.strip()) for role, content in earlier]
    newest_first = sorted(glm.list_conversations(found.id), key=lambda c: c.updated_at, reverse=True)
    for conversation in newest_first:
        stored = [(m.role, m.content.strip()) for m in glm.get_messages(conversation.id)
                  if m.status in ("complete", "partial")]
        if stored == wanted:
            return conversation.id
    return None
