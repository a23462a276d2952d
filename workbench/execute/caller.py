"""`ModelCaller`: the one way a run calls a model.

Subtasks, the LLM planner, the overview and code repairs all call through the run's caller,
so every call gets the same things in the same way: the backend that serves the role (decided
here and nowhere else), the role's model on it (resolved once per run), one of that backend's
slots (`execution.concurrency_per_backend` bounds every call, not only subtasks), the run's
generation options, a deadline and the run's Stop.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from workbench.config import Settings
from workbench.domain import ChatMessage, GenerationOptions, Role
from workbench.execute.routing import ModelRouter
from workbench.execute.slots import BackendSlots
from workbench.execute.streaming import Generation, stream_into
from workbench.llm.base import Backend
from workbench.llm.hosts import HostPool
from workbench.llm.role_backends import RoleBinding, has_own_host, resolve_role


class ModelCaller:
    """Model calls of one run; safe to share between the run's threads."""

    def __init__(
        self,
        settings: Settings,
        backend: Backend,
        slots: BackendSlots | None = None,
        *,
        options: GenerationOptions | None = None,
        cancel: threading.Event | None = None,
        hosts: HostPool | None = None,
    ) -> None:
        self.settings = settings
        self._backend = backend
        self._hosts = hosts
        self._bindings: dict[Role, RoleBinding] = {}  # resolved once per run
        self._routers: dict[str, ModelRouter] = {}  # one per backend: its model list is read once
        self._lock = threading.Lock()
        self.slots = slots or BackendSlots(settings.execution.concurrency_per_backend)
        self.options = options
        self.cancel = cancel or threading.Event()

    def backend_for(self, role: Role | None) -> Backend:
        """The backend serving `role` (None: a model the user named, outside the roles): the
        role's own host when the settings give it one (or its first healthy fallback), else
        the run's backend. Raises `BackendUnavailable` when none of the role's hosts answers."""
        binding = self.binding_for(role)
        return binding.backend if binding else self._backend

    def binding_for(self, role: Role | None) -> RoleBinding | None:
        """Where a role with a host of its own runs in this run (None for the others)."""
        if role is None or not has_own_host(self.settings, role):
            return None
        with self._lock:
            if role not in self._bindings:
                self._hosts = self._hosts or HostPool(self.settings)
                self._bindings[role] = resolve_role(self.settings, role, self._hosts)
            return self._bindings[role]

    def host_for(self, role: Role | None) -> str:
        """The name recorded on a subtask and keying its slots: the role's host, else the
        run's backend."""
        binding = self.binding_for(role)
        return binding.host if binding else self._backend.name

    def notices(self) -> list[str]:
        """One line per role that did not run where it was configured (a fallback)."""
        with self._lock:
            return [b.notice for b in self._bindings.values() if b.notice]

    def model_for(self, role: Role) -> tuple[str, str | None]:
        """The model serving `role` on its backend, and a note when it stands in for the
        settings' tag. Raises `ModelNotFound` when the backend has no model at all, and the
        backend's error when its model list cannot be read."""
        return self._router(self.backend_for(role)).for_role(role)

    def model_for_name(self, name: str | None) -> tuple[str, str | None]:
        """A display name or tag the user picked (None: the reasoning role's model)."""
        return self._router(self.backend_for(None)).for_name(name)

    def _router(self, backend: Backend) -> ModelRouter:
        with self._lock:
            return self._routers.setdefault(backend.name, ModelRouter(self.settings, backend))

    def stream(
        self,
        role: Role | None,
        generation: Generation,
        messages: list[ChatMessage],
        *,
        json_schema: dict | None = None,
        options: GenerationOptions | None = None,
        sampling: GenerationOptions | None = None,
        on_content: Callable[[str], None] | None = None,
        on_thinking: Callable[[str], None] | None = None,
        on_wait: Callable[[], None] | None = None,
        on_start: Callable[[], None] | None = None,
    ) -> Generation:
        """Stream `generation.model` into `generation` under a slot of the role's backend.

        `options`: this call's defaults, overridden by the run's options when it has any;
        `sampling`: the fields it sets win over both (a fresh sample's temperature and seed);
        `on_wait` is called when no slot is free, `on_start` once one is held. The reasoning
        role thinks, except when asked for JSON. Raises what `stream_into` raises
        (`BackendError`, `GenerationTimeout`, `RunCancelled`); the text streamed so far stays
        in `generation`."""
        backend = self.backend_for(role)
        options = self.options or options
        if sampling is not None:
            options = (options or GenerationOptions()).model_copy(update=sampling.model_dump(exclude_none=True))
        with self.slots.hold(self.host_for(role), self.cancel, on_wait=on_wait):
            if on_start is not None:
                on_start()
            return stream_into(
                generation, backend, messages,
                think=True if role == Role.REASONING and not json_schema else None,
                json_schema=json_schema, options=options,
                timeout_s=self.settings.execution.subtask_timeout_s, cancel=self.cancel,
                on_content=on_content, on_thinking=on_thinking,
            )
