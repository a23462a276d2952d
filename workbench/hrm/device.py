"""Where the network runs: device selection and the CPU thread policy."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import torch

from workbench.torch_threads import one_torch_thread


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
    """Run torch with one intra-op thread while on the CPU (see workbench.torch_threads:
    this network is small, and two threads spin against each other on a shared 2-core machine)."""
    if device.type != "cpu":
        yield
        return
    with one_torch_thread():
        yield
