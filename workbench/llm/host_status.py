"""Every host's health, probe latency and installed models, for the Models page and `bench/hosts.py`.

Hosts are probed concurrently, so a page with a GPU server that times out waits one connect
timeout, not one per host.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from workbench.llm.hosts import Host, HostPool
from workbench.llm.model_catalog import ModelInfo, list_model_details


@dataclass(frozen=True)
class HostStatus:
    host: Host
    reachable: bool
    latency_ms: float
    detail: str
    models: list[ModelInfo] = field(default_factory=list)

    def has(self, tag: str) -> bool:
        """Whether `tag` (or `tag:latest` for a bare name) is installed here."""
        names = {m.name for m in self.models}
        return tag in names or f"{tag}:latest" in names


def probe_host(pool: HostPool, name: str) -> HostStatus:
    """One host's fresh health check, timed, then its models' details when it answered."""
    host = pool.host(name)
    started = time.perf_counter()
    health = pool.health(name, fresh=True)
    latency_ms = (time.perf_counter() - started) * 1000
    if not health.reachable:
        return HostStatus(host, False, latency_ms, health.detail)
    embedded_path = getattr(pool.backend(name), "model_path", None) if host.backend == "embedded" else None
    try:
        models = list_model_details(host, pool.settings.llm.connect_timeout_s, embedded_path)
    except Exception as error:  # noqa: BLE001 - the host answered its health check; show names only
        models = [ModelInfo(name) for name in health.models]
        return HostStatus(host, True, latency_ms, f"{health.detail}; details unavailable: {error}", models)
    if not models:
        models = [ModelInfo(name) for name in health.models]
    return HostStatus(host, True, latency_ms, health.detail, models)


def probe_hosts(pool: HostPool) -> list[HostStatus]:
    """All hosts of the pool, probed at once, in the pool's order."""
    names = list(pool.hosts)
    with ThreadPoolExecutor(max_workers=max(1, len(names))) as threads:
        return list(threads.map(lambda name: probe_host(pool, name), names))
