"""Running a built bench program on a test input with chosen control values.

Only the binary runs (no compiler), sandboxed like every generated program
(`sandbox.run_bounded`: time, memory and file-size limits, no network), in a scratch folder
holding a hard link to the binary, the input and the output.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from workbench.config import Settings
from workbench.validate.faust_bench.program import BINARY, BenchProgram
from workbench.validate.results import CodeError, RenderStats
from workbench.validate.sandbox import Confinement, ConfinementUnavailable, run_bounded
from workbench.validate.signal_checks import analyse
from workbench.validate.wav_file import write_wav

MAX_SECONDS = 10.0  # the longest bench render; the sandbox's time limit bounds it as well


@dataclass(frozen=True)
class BenchRender:
    samples: np.ndarray | None  # frames x outputs
    sample_rate: int
    stats: RenderStats | None = None
    wav_bytes: bytes = b""
    errors: list[CodeError] = field(default_factory=list)
    duration_s: float = 0.0  # from the call to the playable WAV


def control_values(program: BenchProgram, values: Mapping[str, float]) -> list[float]:
    """One value per control in the binary's order: the given one (by address, clamped to
    its range) or the control's default."""
    return [c.clamp(values[c.address]) if c.address in values else c.default() for c in program.controls]


def _link(binary: Path, folder: Path) -> None:
    try:
        os.link(binary, folder / BINARY)
    except OSError:  # another filesystem
        shutil.copy2(binary, folder / BINARY)


def _error(message: str, rate: int, started: float) -> BenchRender:
    return BenchRender(None, rate, errors=[CodeError(message=message)], duration_s=time.monotonic() - started)


def render_bench(
    program: BenchProgram,
    settings: Settings,
    values: Mapping[str, float],
    test_input: np.ndarray | None,
    seconds: float,
) -> BenchRender:
    """Render `seconds` of the program with `values` and `test_input` (frames x channels at
    the validation sample rate; shorter inputs are padded with silence). Never raises for a
    crashing or endless program."""
    started = time.monotonic()
    config = settings.validation
    rate = config.render_sample_rate
    if not 0 < seconds <= MAX_SECONDS:
        return _error(f"a bench render lasts between 0 and {MAX_SECONDS:g} s, not {seconds:g}", rate, started)
    frames = max(1, int(seconds * rate))
    scratch_root = settings.cache_dir / "bench" / ".runs"
    scratch_root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=scratch_root) as scratch:
        workdir = Path(scratch)
        _link(program.binary, workdir)
        channels, source = 1, "-"
        if test_input is not None and program.inputs:
            frames_in = np.asarray(test_input, dtype="<f4").reshape(len(test_input), -1)[:frames]
            channels, source = frames_in.shape[1], "in.raw"
            np.ascontiguousarray(frames_in).tofile(workdir / source)
        command = [f"./{BINARY}", str(rate), str(frames), source, str(channels), "out.raw",
                   *(f"{v:.9g}" for v in control_values(program, values))]
        try:
            run = run_bounded(command, cwd=workdir, timeout_s=config.render_timeout_s,
                              memory_mb=config.render_memory_mb,
                              file_mb=max(64, frames * program.outputs * 4 // 2**20 + 1),
                              confinement=Confinement(workdir))
        except ConfinementUnavailable as error:
            return _error(f"not rendered: {error}", rate, started)
        if run.timed_out:
            return _error(f"the render did not finish within {config.render_timeout_s:g} s", rate, started)
        if run.returncode != 0:
            return _error(f"the bench binary failed (exit {run.returncode}): {run.stderr.strip()[:300]}", rate, started)
        data = np.fromfile(workdir / "out.raw", dtype="<f4")
        if data.size != frames * program.outputs:
            return _error("the bench binary wrote an incomplete output", rate, started)
        samples = data.reshape(frames, program.outputs)
        wav = write_wav(workdir / "out.wav", samples, rate).read_bytes()
    stats = analyse(samples, rate)
    return BenchRender(samples, rate, stats, wav, [CodeError(message=p) for p in stats.problems()],
                       time.monotonic() - started)
