"""Which model of the active backend serves a role, remembered for the length of a run."""

from __future__ import annotations

import threading

from workbench.config import Settings
from workbench.domain import Role
from workbench.llm.base import Backend, BackendError
from workbench.llm.registry import resolve_model


class ModelRouter:
    """Role → settings tag → the backend's model (or a stand-in, with a note).

    The backend's model list is asked once per wanted tag, not once per subtask.
    """

    def __init__(self, settings: Settings, backend: Backend) -> None:
        self.settings = settings
        self.backend = backend
        self._resolved: dict[str, tuple[str, str | None]] = {}
        self._failure: BackendError | None = None
        self._lock = threading.Lock()

    def for_role(self, role: Role) -> tuple[str, str | None]:
        return self.for_tag(self.settings.roles[role].tag)

    def for_name(self, name: str | None) -> tuple[str, str | None]:
        """A display name ("DeepSeek-R1 (Reasoning)") or a tag; None: the reasoning role's."""
        if not name:
            return self.for_role(Role.REASONING)
        role = self.settings.role_for_display_name(name)
        return self.for_tag(self.settings.roles[role].tag if role else name)

    def for_tag(self, tag: str) -> tuple[str, str | None]:
        """Raises `ModelNotFound` when the backend has no model at all, and the backend's
        error when its model list cannot be read — once: later calls raise the same error
        at once instead of asking an unreachable or hanging server again."""
        with self._lock:
            if self._failure is not None:
                raise self._failure
            if tag not in self._resolved:
                try:
                    self._resolved[tag] = resolve_model(self.backend, tag)
                except BackendError as error:
                    self._failure = error
                    raise
            return self._resolved[tag]
