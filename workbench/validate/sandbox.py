"""Running an external program bounded in time and memory.

Every tool the validator calls (faust, g++) and the one program it ever executes (the
compiled FAUST render binary) goes through `run_bounded`: the child gets its own process
group so a timeout kills the whole tree (g++ runs cc1plus as a child), address-space, CPU,
file-size and core-dump limits, and optionally no network (`unshare -n`, a fresh network
namespace with no interfaces; where that is not permitted the run goes on and
`network_isolated` says so).

The limits are set by running the command under util-linux's `prlimit` (installed on every
Debian and most Linux systems), which sets them on itself and then execs the command. That
is thread-safe, unlike `Popen(preexec_fn=...)`: Python runs a preexec_fn in the forked
child, where a lock held by another thread of this heavily threaded process (executor
threads, Streamlit) can deadlock it. Where `prlimit` is missing (macOS) the limits fall back
to `setrlimit` in a preexec_fn: the only way to set them there without an extra tool, and
the risk the project lived with before.
"""

from __future__ import annotations

import functools
import os
import resource
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

MIB = 1024 * 1024
# prlimit's option name -> the resource it sets, for the preexec_fn fallback
_RESOURCES = {
    "as": resource.RLIMIT_AS,
    "cpu": resource.RLIMIT_CPU,
    "fsize": resource.RLIMIT_FSIZE,
    "core": resource.RLIMIT_CORE,
}


@dataclass(frozen=True)
class BoundedRun:
    returncode: int | None  # None: killed at the time limit
    stdout: str
    stderr: str
    duration_s: float
    network_isolated: bool

    @property
    def timed_out(self) -> bool:
        return self.returncode is None


@functools.cache
def _unshare_prefix() -> tuple[str, ...]:
    """The command prefix that drops the network here, or () when no form is permitted."""
    unshare = shutil.which("unshare")
    if not unshare:
        return ()
    for prefix in ((unshare, "-n", "--"), (unshare, "-r", "-n", "--")):
        probe = subprocess.run([*prefix, "true"], capture_output=True, timeout=10)
        if probe.returncode == 0:
            return prefix
    return ()


@functools.cache
def prlimit_path() -> str | None:
    """The `prlimit` executable, or None where the preexec_fn fallback must be used."""
    return shutil.which("prlimit")


def resource_limits(memory_mb: int | None, cpu_s: float, file_mb: int) -> dict[str, int]:
    """Soft and hard limit of each resource, by prlimit option name. The CPU limit is one
    second past the wall-clock timeout so the timeout, with its clearer message, comes first."""
    limits = {"cpu": max(1, int(cpu_s) + 1), "fsize": file_mb * MIB, "core": 0}
    if memory_mb:
        limits["as"] = memory_mb * MIB
    return limits


def _prlimit_prefix(prlimit: str, limits: dict[str, int]) -> list[str]:
    return [prlimit, *(f"--{name}={value}" for name, value in limits.items()), "--"]


def _setrlimits(limits: dict[str, int]) -> Callable[[], None]:
    def apply() -> None:
        for name, value in limits.items():
            resource.setrlimit(_RESOURCES[name], (value, value))

    return apply


def run_bounded(
    command: list[str],
    *,
    cwd: Path,
    timeout_s: float,
    memory_mb: int | None = None,
    file_mb: int = 512,
    isolate_network: bool = False,
    stdin_text: str | None = None,
) -> BoundedRun:
    """Run `command` in `cwd`; never raises for a slow, crashing or hostile child."""
    network = _unshare_prefix() if isolate_network else ()
    limits = resource_limits(memory_mb, timeout_s, file_mb)
    prlimit = prlimit_path()
    bounded = [*_prlimit_prefix(prlimit, limits), *network, *command] if prlimit else [*network, *command]
    started = time.monotonic()
    process = subprocess.Popen(
        bounded,
        cwd=cwd,
        stdin=subprocess.PIPE if stdin_text is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
        start_new_session=True,
        preexec_fn=None if prlimit else _setrlimits(limits),
        env={**os.environ, "LC_ALL": "C"},
    )
    try:
        stdout, stderr = process.communicate(stdin_text, timeout=timeout_s)
        code: int | None = process.returncode
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        stdout, stderr = process.communicate()
        code = None
    return BoundedRun(code, stdout, stderr, time.monotonic() - started, bool(network))
