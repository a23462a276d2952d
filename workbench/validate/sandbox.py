"""Running an external program bounded in time and memory.

Every tool the validator calls (faust, g++) and the one program it ever executes (the
compiled FAUST render binary) goes through `run_bounded`: the child gets its own process
group so a timeout kills the whole tree (g++ runs cc1plus as a child), address-space, CPU
and file-size limits through `setrlimit`, and optionally no network (`unshare -n`, a fresh
network namespace with no interfaces; where that is not permitted the run goes on and
`network_isolated` says so).
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


def _limits(memory_mb: int | None, cpu_s: float, file_mb: int) -> Callable[[], None]:
    def apply() -> None:
        if memory_mb:
            size = memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (size, size))
        cpu = max(1, int(cpu_s) + 1)
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
        file_size = file_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

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
    prefix = _unshare_prefix() if isolate_network else ()
    started = time.monotonic()
    process = subprocess.Popen(
        [*prefix, *command],
        cwd=cwd,
        stdin=subprocess.PIPE if stdin_text is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
        start_new_session=True,
        preexec_fn=_limits(memory_mb, timeout_s, file_mb),
        env={**os.environ, "LC_ALL": "C"},
    )
    try:
        stdout, stderr = process.communicate(stdin_text, timeout=timeout_s)
        code: int | None = process.returncode
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        stdout, stderr = process.communicate()
        code = None
    return BoundedRun(code, stdout, stderr, time.monotonic() - started, bool(prefix))
