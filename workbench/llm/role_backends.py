"""Which host answers a role, and what happens when that host is down.

`resolve_role` is the one decision: the role's own host when it passes its health check,
else the first healthy host of the role's `fallback` list, saying why. A role left on
`backend = "auto"` keeps the workbench's one-backend behaviour (`llm.backend`; `auto` there
is Ollama when reachable, else the embedded model).
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.config import Settings
from workbench.domain import Role
from workbench.llm.base import Backend, BackendUnavailable
from workbench.llm.hosts import HostPool, inline_host_name


@dataclass(frozen=True)
class RoleBinding:
    """Where one role runs for a run: the host (its name keys slots and is recorded on each
    subtask), its backend, the tag wanted there, and a fallback's origin and reason."""

    role: Role
    host: str
    backend: Backend
    tag: str
    fell_back_from: str | None = None
    reason: str | None = None

    @property
    def notice(self) -> str | None:
        """The line an answer shows when the role did not run where it was configured."""
        if self.fell_back_from is None:
            return None
        return f"{self.role.value} ran on {self.host}: {self.fell_back_from} is down ({self.reason})"


def has_own_host(settings: Settings, role: Role) -> bool:
    """Whether `role` is configured onto a host of its own (`[roles.X] host`, `base_url` or
    a backend other than auto); the other roles run on the run's backend, as before."""
    model = settings.model_for(role)
    return bool(model.host or model.base_url or model.backend != "auto")


def role_hosts(settings: Settings, role: Role) -> list[str]:
    """The hosts `role` may run on, in the order they are tried."""
    model = settings.model_for(role)
    if model.host:
        primary = [model.host]
    elif model.base_url:
        primary = [inline_host_name(model.backend, model.base_url)]
    elif model.backend != "auto":
        primary = [model.backend]
    elif settings.llm.backend == "auto":
        # today's behaviour: the embedded model stands in, unless the role names its own fallback
        primary = ["ollama"] if model.fallback else ["ollama", "embedded"]
    else:
        primary = [settings.llm.backend]
    return list(dict.fromkeys(primary + model.fallback))


def resolve_role(settings: Settings, role: Role, pool: HostPool | None = None) -> RoleBinding:
    """The binding for `role`: its first host that answers its health check.

    Pass the run's (or the app's) `pool` so backends and health probes are shared; without
    one a fresh pool is built. Raises `BackendUnavailable` naming every host tried and why,
    when none answers."""
    pool = pool or HostPool(settings)
    tried: list[tuple[str, str]] = []
    for name in role_hosts(settings, role):
        health = pool.health(name)
        if health.reachable:
            first = tried[0] if tried else (None, None)
            return RoleBinding(role=role, host=name, backend=pool.backend(name),
                               tag=settings.model_for(role).tag, fell_back_from=first[0], reason=first[1])
        tried.append((name, health.detail))
    raise BackendUnavailable(
        f"No host for the {role.value} role answers — "
        + "; ".join(f"{name}: {detail}" for name, detail in tried)
        + (" — add a fallback host to the role, or start one of them" if len(tried) == 1 else "")
    )
