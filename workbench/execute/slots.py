"""How many requests each backend serves at once, shared by every run of a facade.

Ollama only runs `OLLAMA_NUM_PARALLEL` requests in parallel and queues the rest on its side,
out of sight; holding a slot here instead lets a run say what is waiting, and lets Stop end
the wait.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from workbench.execute.streaming import CANCEL_POLL_S, RunCancelled


class BackendSlots:
    """One semaphore per backend or host name: `per_name` sizes the hosts that say how many
    requests they serve (`[hosts.X] concurrency`), `per_backend` all the others."""

    def __init__(self, per_backend: int, per_name: dict[str, int] | None = None) -> None:
        self.per_backend = per_backend
        self.per_name = dict(per_name or {})
        self._slots: dict[str, threading.Semaphore] = {}
        self._lock = threading.Lock()

    def for_backend(self, name: str) -> threading.Semaphore:
        with self._lock:
            if name not in self._slots:
                self._slots[name] = threading.Semaphore(self.per_name.get(name, self.per_backend))
            return self._slots[name]

    @contextmanager
    def hold(self, name: str, cancel: threading.Event, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
        """One of `name`'s slots for the duration of the block. `on_wait` is called once when
        none is free; Stop (`cancel`) ends the wait, and a slot that comes free after Stop is
        given straight back, both with `RunCancelled`."""
        slot = self.for_backend(name)
        if not slot.acquire(blocking=False):
            if on_wait:
                on_wait()
            while not slot.acquire(timeout=CANCEL_POLL_S):
                if cancel.is_set():
                    raise RunCancelled("cancelled by the user")
        try:
            if cancel.is_set():  # the slot may come free because Stop ended the run holding it
                raise RunCancelled("cancelled by the user")
            yield
        finally:
            slot.release()
