"""The model servers roles can run on, and one backend per server.

A host is where a model answers: the built-in ones (`ollama` at `llm.ollama_host`, `openai` at
`llm.openai_base_url` when set, `embedded` in-process), each `[hosts.NAME]` entry of the
settings, and a role's inline `backend` + `base_url`. Every host is served by the existing
backend classes, built with a copy of the settings aimed at that host, so two Ollama servers
are two `OllamaBackend`s and nothing about talking to a server is written twice.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from workbench.config import BUILT_IN_HOSTS, SERVER_BACKENDS, Settings
from workbench.domain import BackendHealth
from workbench.llm.base import Backend, BackendError
from workbench.llm.registry import build_backend


@dataclass(frozen=True)
class Host:
    """One model server. `name` keys slots, health and the host recorded on each subtask."""

    name: str
    backend: str  # ollama | openai | embedded (or a backend registered by name)
    base_url: str | None
    api_key: str | None
    concurrency: int


def inline_host_name(backend: str, base_url: str) -> str:
    """The name of a host a role gives inline: `openai@gpu-box:8000`; two roles giving the
    same server share it (and its slots)."""
    return f"{backend}@{urlsplit(base_url).netloc or base_url}"


def configured_hosts(settings: Settings) -> dict[str, Host]:
    """Every host the settings name, built-in ones first, in a stable order."""
    llm, slots = settings.llm, settings.execution.concurrency_per_backend
    hosts = {"ollama": Host("ollama", "ollama", llm.ollama_host.rstrip("/"), None, slots)}
    if llm.openai_base_url:
        hosts["openai"] = Host("openai", "openai", llm.openai_base_url.rstrip("/"), llm.openai_api_key, slots)
    hosts["embedded"] = Host("embedded", "embedded", None, None, 1)  # one llama.cpp context
    for name, entry in settings.hosts.items():
        hosts[name] = Host(name, entry.backend, entry.base_url, entry.api_key, entry.concurrency or slots)
    for model in settings.roles.values():
        if model.base_url:
            name = inline_host_name(model.backend, model.base_url)
            hosts.setdefault(name, Host(name, model.backend, model.base_url, None, slots))
    if llm.backend not in (*hosts, "auto"):  # a backend registered by name, e.g. the tests' scripted one
        hosts[llm.backend] = Host(llm.backend, llm.backend, None, None, slots)
    return hosts


def host_settings(settings: Settings, host: Host) -> Settings:
    """A copy of the settings whose `llm` section points at `host`, for the backend classes."""
    if host.backend not in SERVER_BACKENDS or host.name in BUILT_IN_HOSTS:
        return settings
    field = "ollama_host" if host.backend == "ollama" else "openai_base_url"
    llm = {field: host.base_url, **({"openai_api_key": host.api_key} if host.api_key else {})}
    return settings.model_copy(update={"llm": settings.llm.model_copy(update=llm)})


class HostPool:
    """One backend per host, built on first use and kept (so the embedded model loads once),
    with each host's health remembered for `health_ttl_s` (three roles on one host cost one
    probe). Safe to share between threads."""

    def __init__(self, settings: Settings, health_ttl_s: float = 5.0) -> None:
        self.settings = settings
        self.hosts = configured_hosts(settings)
        self._ttl = health_ttl_s
        self._backends: dict[str, Backend] = {}
        self._health: dict[str, tuple[float, BackendHealth]] = {}
        self._lock = threading.Lock()

    def host(self, name: str) -> Host:
        if name not in self.hosts:
            raise KeyError(f"No host called {name!r} — configured: {', '.join(self.hosts)}")
        return self.hosts[name]

    def backend(self, name: str) -> Backend:
        """The backend serving host `name`. Raises `BackendUnavailable` when it cannot be built."""
        host = self.host(name)
        with self._lock:
            if name not in self._backends:
                self._backends[name] = build_backend(host.backend, host_settings(self.settings, host))
            return self._backends[name]

    def health(self, name: str, *, fresh: bool = False) -> BackendHealth:
        """Whether host `name` answers; never raises."""
        now = time.monotonic()
        cached = self._health.get(name)
        if cached and not fresh and now - cached[0] < self._ttl:
            return cached[1]
        try:
            health = self.backend(name).health()
        except BackendError as error:
            health = BackendHealth(name=name, reachable=False, detail=str(error))
        self._health[name] = (time.monotonic(), health)
        return health
