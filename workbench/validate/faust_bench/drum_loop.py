"""The built-in drum loop, rendered by FAUST from the project's own `drum_loop.dsp` through
the same bench build as any program (so it is built once and cached like one)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from workbench.config import Settings
from workbench.validate.faust_bench.program import build_bench
from workbench.validate.faust_bench.render import render_bench

SOURCE = Path(__file__).with_name("drum_loop.dsp")
LOOP_SECONDS = 2.0  # one bar of 16 steps at 120 BPM


def drum_loop(settings: Settings) -> np.ndarray:
    """One bar of the loop, frames x 1; raises RuntimeError when FAUST or g++ cannot make it."""
    build = build_bench(SOURCE.read_text(), settings)
    if build.program is None:
        raise RuntimeError("the drum loop could not be built: " + "; ".join(e.message for e in build.errors))
    rendered = render_bench(build.program, settings, {}, None, LOOP_SECONDS)
    if rendered.samples is None:
        raise RuntimeError("the drum loop could not be rendered: " + "; ".join(e.message for e in rendered.errors))
    return rendered.samples[:, :1]
