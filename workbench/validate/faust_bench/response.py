"""Impulse and frequency response of an effect at its current control values.

The response is measured, not derived: one full-scale sample goes through the built binary
and what comes out is the impulse response; its FFT is the frequency response. For a
nonlinear or time-varying program (distortion, a modulated delay) this is the response to
that one impulse, which the plots' titles say.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from workbench.config import Settings
from workbench.validate.faust_bench.inputs import impulse
from workbench.validate.faust_bench.program import BenchProgram
from workbench.validate.faust_bench.render import BenchRender, render_bench

RESPONSE_SECONDS = 0.5


@dataclass(frozen=True)
class Response:
    render: BenchRender
    impulse_response: np.ndarray  # frames x outputs
    freqs: np.ndarray  # Hz
    magnitude_db: np.ndarray  # len(freqs) x outputs


def frequency_response(impulse_response: np.ndarray, sample_rate: int) -> tuple[np.ndarray, np.ndarray]:
    """Frequencies and magnitude (dB, floored at -120) of each output's impulse response."""
    frames = impulse_response.reshape(len(impulse_response), -1)
    magnitude = np.abs(np.fft.rfft(np.nan_to_num(frames), axis=0))
    freqs = np.fft.rfftfreq(len(frames), 1 / sample_rate)
    return freqs, 20 * np.log10(np.maximum(magnitude, 1e-6))


def measure_response(program: BenchProgram, settings: Settings, values: Mapping[str, float]) -> Response | None:
    """The program's response with `values`; None when it has no inputs (a synth) or the
    render failed (its errors are in the bench's own render)."""
    if not program.is_effect:
        return None
    frames = int(RESPONSE_SECONDS * settings.validation.render_sample_rate)
    rendered = render_bench(program, settings, values, impulse(frames).reshape(-1, 1), RESPONSE_SECONDS)
    if rendered.samples is None:
        return None
    freqs, db = frequency_response(rendered.samples, rendered.sample_rate)
    return Response(rendered, rendered.samples, freqs, db)
