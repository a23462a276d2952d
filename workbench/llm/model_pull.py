"""`ollama pull` of a role's missing model, as a stream of progress steps.

Ollama streams its pull as NDJSON lines (`{"status": "pulling 6a0746a1ec1a", "digest": …,
"total": 4683075271, "completed": 1048576}`, then `verifying sha256 digest`, `writing
manifest`, `success`); the official client's `pull(stream=True)` yields them one by one. Each
layer has its own total, so the fraction is of the layer being downloaded.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import ollama

from workbench.llm.base import BackendError, BackendUnavailable


@dataclass(frozen=True)
class PullStep:
    status: str
    completed: int | None = None
    total: int | None = None

    @property
    def fraction(self) -> float | None:
        """How much of the current layer is down, 0..1 (1 at `success`); None for a step
        without a size."""
        if self.status == "success":
            return 1.0
        if not self.total or self.completed is None:
            return None
        return min(1.0, self.completed / self.total)

    @property
    def label(self) -> str:
        if not self.total or self.completed is None:
            return self.status
        return f"{self.status} — {self.completed / 1e6:,.0f} of {self.total / 1e6:,.0f} MB"


def pull_model(base_url: str, tag: str, timeout_s: float = 3600.0) -> Iterator[PullStep]:
    """Pull `tag` into the Ollama server at `base_url`, yielding each progress step.

    Ends after Ollama's `success`; raises `BackendError` saying what went wrong (an unknown
    tag, a server that broke off) and `BackendUnavailable` when the server cannot be reached."""
    client = ollama.Client(host=base_url, timeout=httpx.Timeout(timeout_s, connect=5.0))
    status = ""
    try:
        for part in client.pull(tag, stream=True):
            status = part.status or status
            yield PullStep(status=status, completed=part.completed, total=part.total)
    except ollama.ResponseError as error:
        raise BackendError(f"Ollama at {base_url} could not pull '{tag}': {error.error}") from error
    except (ConnectionError, httpx.ConnectError) as error:
        raise BackendUnavailable(f"Ollama is not reachable at {base_url} — start it with `ollama serve`") from error
    except httpx.HTTPError as error:
        raise BackendError(f"The pull of '{tag}' from {base_url} broke off: {error} — start it again") from error
    if status != "success":
        raise BackendError(f"The pull of '{tag}' from {base_url} ended at '{status or 'nothing'}' — start it again")
