"""Building a FAUST program into a small offline renderer, running it sandboxed, checking the sound.

The program is compiled with the workbench's own minimal architecture
(`architecture/render.cpp`: no audio driver, no GUI) and g++ -O1, which is measured about five
times faster than `faust2csvplot` here. The render binary is the only generated code the
workbench ever executes: in a bubblewrap sandbox (its own PID, mount, IPC and network
namespaces, a read-only system, its temporary directory the only writable place, nothing of
the user's visible) under time, memory and file-size limits (see `sandbox.py`), or not at all.
"""

from __future__ import annotations

import functools
import hashlib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from workbench.config import Settings
from workbench.validate.faust_compiler import compile_faust
from workbench.validate.render_cache import prune_renders
from workbench.validate.results import CodeError, RenderStats
from workbench.validate.outside_files import files_outside, gxx_search_dirs, real_roots, split_header_trace, withheld
from workbench.validate.sandbox import Confinement, confinement_problem, run_bounded, tool_confinement
from workbench.validate.signal_checks import analyse
from workbench.validate.wav_file import write_wav

ARCHITECTURE = Path(__file__).parent / "architecture" / "render.cpp"


@dataclass
class RenderOutcome:
    compiled: bool = False  # faust accepted the program (the later steps may still fail)
    errors: list[CodeError] = field(default_factory=list)
    stats: RenderStats | None = None
    samples: np.ndarray | None = None
    wav_path: Path | None = None
    warnings: list[str] = field(default_factory=list)


def _limit_error(what: str, seconds: float) -> CodeError:
    return CodeError(message=f"{what} did not finish within {seconds:g} s")


def _exit_message(code: int, stderr: str) -> str:
    if code < 0:
        return (f"the render binary was killed by signal {-code} (a crash, or the CPU or "
                "memory limit; see settings.validation.render_memory_mb)")
    return f"the render binary failed (exit {code}): {stderr.strip()[:300]}"


def _read_output(raw: Path, stdout: str) -> np.ndarray | str:
    """The rendered frames x channels, or why there are none. The binary prints
    "INPUTS OUTPUTS" as its last line when it finished normally."""
    last = stdout.strip().splitlines()[-1:] or [""]
    fields = last[0].split()
    if len(fields) != 2 or not all(f.isdigit() for f in fields) or not raw.is_file():
        return "the render binary ended without finishing its output (does the program exit or print?)"
    outputs = int(fields[1])  # faust itself refuses programs without outputs
    data = np.fromfile(raw, dtype="<f4")
    if data.size == 0 or data.size % outputs:
        return "the render binary wrote an incomplete output"
    return data.reshape(-1, outputs)


def _build(workdir: Path, settings: Settings) -> CodeError | None:
    """g++ of the generated C++ into `render`, confined like every tool; None when it built.
    The headers it read are checked: the FAUST code chooses some of them (ffunction)."""
    config = settings.validation
    build = run_bounded(
        [config.cxx_command, "-std=c++17", "-O1", "-w", "-H", "program.cpp", "-o", "render"],
        cwd=workdir, timeout_s=config.render_timeout_s, memory_mb=config.compiler_memory_mb,
        confinement=tool_confinement(workdir, (), config.cxx_command),
    )
    headers, stderr = split_header_trace(build.stderr)
    if outside := files_outside(headers, (*gxx_search_dirs(config.cxx_command), *real_roots([workdir])), workdir):
        return withheld(outside)[0]
    if build.timed_out:
        return _limit_error("building the render binary", config.render_timeout_s)
    if build.returncode != 0:
        first = next((line for line in stderr.splitlines() if "error" in line), stderr[-300:])
        return CodeError(message=f"the generated C++ did not build: {first.strip()}")
    return None


def run_render_binary(workdir: Path, settings: Settings, frames: int) -> np.ndarray | CodeError:
    """Run the generated `workdir/render` for `frames` frames inside the sandbox (own PID,
    mount, IPC and network namespaces; `workdir` its only writable place; see `sandbox.py`),
    under the time and memory limits; the samples, or what went wrong."""
    config = settings.validation
    run = run_bounded(
        ["./render", str(config.render_sample_rate), str(frames), "out.raw"],
        cwd=workdir, timeout_s=config.render_timeout_s, memory_mb=config.render_memory_mb,
        file_mb=max(64, frames * 64 * 4 // 2**20 + 1), confinement=Confinement(workdir),
    )
    if run.timed_out:
        return _limit_error("the render", config.render_timeout_s)
    if run.returncode != 0:
        return CodeError(message=_exit_message(run.returncode, run.stderr))
    samples = _read_output(workdir / "out.raw", run.stdout)
    return CodeError(message=samples) if isinstance(samples, str) else samples


def render_faust(code: str, settings: Settings, seconds: float | None = None) -> RenderOutcome:
    """Compile, build and run `code` for `seconds` of sound; never raises for bad programs.
    Where the sandbox cannot be built the program is compiled but not run, and a warning
    says why."""
    config = settings.validation
    seconds = config.render_seconds if seconds is None else seconds
    frames = max(1, int(seconds * config.render_sample_rate))
    with tempfile.TemporaryDirectory(prefix="wb-render-") as scratch:
        workdir = Path(scratch)
        compiled = compile_faust(code, settings, workdir, architecture=ARCHITECTURE)
        if compiled.errors or not compiled.cpp_path:
            return RenderOutcome(errors=compiled.errors or [CodeError(message="faust produced no C++")])
        done = functools.partial(RenderOutcome, compiled=True)
        if problem := confinement_problem():
            return done(warnings=[f"not rendered: generated code runs only in a sandbox, and {problem}"])
        if failed := _build(workdir, settings):
            return done(errors=[failed])
        samples = run_render_binary(workdir, settings, frames)
        if isinstance(samples, CodeError):
            return done(errors=[samples])
    stats = analyse(samples, config.render_sample_rate)
    digest = hashlib.sha256(f"{code}|{seconds}|{config.render_sample_rate}".encode()).hexdigest()[:16]
    wav = write_wav(settings.cache_dir / "renders" / f"{digest}.wav", samples, config.render_sample_rate)
    prune_renders(wav.parent, config.keep_renders)
    return RenderOutcome(
        compiled=True, errors=[CodeError(message=p) for p in stats.problems()],
        stats=stats, samples=samples, wav_path=wav,
    )
