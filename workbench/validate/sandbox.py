"""Running an external program bounded in time and memory, and confined when it is untrusted.

Every tool the validator calls (faust, g++) and the one program it ever executes (the
compiled FAUST render binary) goes through `run_bounded`: the child gets its own process
group so a timeout kills the whole tree (g++ runs cc1plus as a child), and address-space,
CPU, file-size and core-dump limits.

The limits are set by running the command under util-linux's `prlimit` (installed on every
Debian and most Linux systems), which sets them on itself and then execs the command. That
is thread-safe, unlike `Popen(preexec_fn=...)`: Python runs a preexec_fn in the forked
child, where a lock held by another thread of this heavily threaded process (executor
threads, Streamlit) can deadlock it. Where `prlimit` is missing (macOS) the limits fall back
to `setrlimit` in a preexec_fn: the only way to set them there without an extra tool, and
the risk the project lived with before.

A `Confinement` adds a box built by bubblewrap (`bwrap`, Debian `bubblewrap`): new user, PID,
mount, IPC, UTS, cgroup and network namespaces, all capabilities dropped, a root holding only
the system's programs and libraries (read-only), the paths it names read-only, one scratch
directory as the only writable place and a private /tmp. The home folder, the data directory
and every other process stay out of sight, so a program that calls `kill`, `open` or
`connect` finds nothing to reach. Generated code never runs without it: `confinement_problem`
says why the box cannot be built here, and callers refuse rather than run unboxed.
"""

from __future__ import annotations

import functools
import os
import resource
import shutil
import signal
import subprocess
import tempfile
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
# what every confined program may read: programs, libraries, the loader's cache, Debian's
# alternatives links (/usr/bin/c++ -> /etc/alternatives/c++); nothing of any user
SYSTEM_PATHS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc/ld.so.cache", "/etc/alternatives")
BWRAP_HINT = "install bubblewrap (`apt-get install bubblewrap`) so generated code can run isolated"


@dataclass(frozen=True)
class BoundedRun:
    returncode: int | None  # None: killed at the time limit
    stdout: str
    stderr: str
    duration_s: float
    confined: bool

    @property
    def timed_out(self) -> bool:
        return self.returncode is None


@dataclass(frozen=True)
class Confinement:
    """What a confined program sees besides the system: `scratch` read-write (its working
    directory), `readable` read-only; `keep_environment` False gives it only PATH and LC_ALL,
    so no token or path from this process's environment reaches generated code."""

    scratch: Path
    readable: tuple[Path, ...] = ()
    keep_environment: bool = False


def _mount_arguments(confinement: Confinement) -> list[str]:
    arguments: list[str] = []
    for name in SYSTEM_PATHS:
        path = Path(name)
        if path.is_symlink():  # merged /usr: /bin -> usr/bin
            arguments += ["--symlink", os.readlink(path), name]
        elif path.exists():
            arguments += ["--ro-bind", name, name]
    for path in confinement.readable:
        arguments += ["--ro-bind-try", str(path), str(path)]
    scratch = str(confinement.scratch)
    return [*arguments, "--bind", scratch, scratch, "--chdir", scratch]


def bwrap_prefix(confinement: Confinement, bwrap: str) -> list[str]:
    """The bubblewrap command line that runs a command inside `confinement`."""
    environment = [] if confinement.keep_environment else ["--clearenv", "--setenv", "PATH", "/usr/bin:/bin"]
    return [
        bwrap, "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL",
        "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
        *environment, "--setenv", "LC_ALL", "C", *_mount_arguments(confinement), "--",
    ]


@functools.cache
def confinement_problem() -> str | None:
    """Why no confined run is possible here (bwrap missing or refused by the kernel), None
    when it works: probed once by running `true` in a box."""
    bwrap = shutil.which("bwrap")
    if not bwrap:
        return f"bubblewrap (bwrap) is not installed — {BWRAP_HINT}"
    with tempfile.TemporaryDirectory(prefix="wb-probe-") as scratch:
        probe = subprocess.run([*bwrap_prefix(Confinement(Path(scratch)), bwrap), "true"],
                               capture_output=True, text=True, timeout=20)
    if probe.returncode != 0:
        reason = (probe.stderr.strip().splitlines() or ["no message"])[-1]
        return f"bubblewrap cannot build its sandbox here ({reason}); allow unprivileged user namespaces or {BWRAP_HINT}"
    return None


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


def prlimit_prefix(prlimit: str, limits: dict[str, int]) -> list[str]:
    return [prlimit, *(f"--{name}={value}" for name, value in limits.items()), "--"]


def _setrlimits(limits: dict[str, int]) -> Callable[[], None]:
    def apply() -> None:
        for name, value in limits.items():
            resource.setrlimit(_RESOURCES[name], (value, value))

    return apply


class ConfinementUnavailable(RuntimeError):
    """A confined run was asked for where no box can be built; the message says why."""


def run_bounded(
    command: list[str],
    *,
    cwd: Path,
    timeout_s: float,
    memory_mb: int | None = None,
    file_mb: int = 512,
    confinement: Confinement | None = None,
    stdin_text: str | None = None,
) -> BoundedRun:
    """Run `command` in `cwd`; never raises for a slow, crashing or hostile child. With a
    `confinement` it runs inside it or not at all (ConfinementUnavailable)."""
    box: list[str] = []
    if confinement is not None:
        if problem := confinement_problem():
            raise ConfinementUnavailable(problem)
        box = bwrap_prefix(confinement, shutil.which("bwrap") or "bwrap")
    limits = resource_limits(memory_mb, timeout_s, file_mb)
    prlimit = prlimit_path()
    bounded = [*prlimit_prefix(prlimit, limits), *box, *command] if prlimit else [*box, *command]
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
        if box and code is not None and code > 128:  # bwrap reports a child killed by signal N as 128 + N
            code = 128 - code
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # bwrap dies; --die-with-parent takes the box with it
        stdout, stderr = process.communicate()
        code = None
    return BoundedRun(code, stdout, stderr, time.monotonic() - started, bool(box))


def tool_confinement(scratch: Path, readable: tuple[Path, ...], executable: str) -> Confinement | None:
    """A box for a trusted tool (faust, g++) reading untrusted code: the system, `readable`
    and the tool's own install folder; None where no box can be built here, and the tool
    then runs unconfined (the checks of what it read, in `outside_files`, still hold)."""
    if confinement_problem():
        return None
    found = shutil.which(executable)
    prefix = Path(os.path.realpath(found)).parent.parent if found else None
    home = (prefix,) if prefix and not any(str(prefix).startswith(p) for p in SYSTEM_PATHS) else ()
    return Confinement(scratch, (*readable, *home), keep_environment=True)
