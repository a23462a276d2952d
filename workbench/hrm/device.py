"""Where the network runs: device selection and the CPU thread policy."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

import torch

_THREADS_LOCK = threading.RLock()  # re-entered when validation runs inside training


def resolve_device(name: str) -> torch.device:
    """'auto' picks CUDA, then MPS, then CPU; an explicit device that is absent is an error."""
    if name == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        if torch.backends.mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    if name == "cuda" and not torch.cuda.is_available():
        raise ValueError("device 'cuda' requested but torch sees no CUDA GPU: use --device cpu or auto")
    if name == "mps" and not torch.backends.mps.is_available():
        raise ValueError("device 'mps' requested but this machine has no Apple MPS: use --device cpu or auto")
    if name not in ("cpu", "cuda", "mps"):
        raise ValueError(f"unknown device {name!r}: use auto, cpu, cuda or mps")
    return torch.device(name)


@contextlib.contextmanager
def single_thread_on_cpu(device: torch.device) -> Iterator[None]:
    """Run torch with one intra-op thread while on the CPU, then restore the setting.

    This network is small: its ops are dominated by per-op overhead, and on a 2-core
    machine shared with other work intra-op threads spin against each other (measured:
    one training batch 1.8 s with one thread, 10-30 s with two)."""
    if device.type != "cpu":
        yield
        return
    with _THREADS_LOCK:
        before = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            yield
        finally:
            torch.set_num_threads(before)
