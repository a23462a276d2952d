"""Checking a rendered FAUST program against what its question asked (`AnswerSpec`).

Every check reads the real render (`signal_checks`) or the program's declared inputs, and
says what was asked and what was measured, so the answer can show "peak at 441 Hz, asked
440 Hz ✓; 2 outputs ✓" and a repair prompt can say what the sound did instead. The render
feeds every input white noise and holds buttons down for the first half (see
`architecture/render.cpp`), which is what the filter, echo and envelope checks rely on.
"""

from __future__ import annotations

import re

import numpy as np

from workbench.validate.answer_spec import AnswerSpec
from workbench.validate.results import RenderStats, SpecCheck
from workbench.validate.signal_checks import band_level_db, echo_lag_s

TONE_TOLERANCE = 0.03  # 3 %: about half a semitone
DELAY_TOLERANCE_S = 0.003
AMPLITUDE_RANGE = (0.75, 1.25)  # band-limited waves overshoot a little
MIN_ATTENUATION_DB = 12.0
_UI_CALL = {"button": r"button", "checkbox": r"checkbox", "slider": r"(?:h|v)slider|nentry"}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _tone(spec: AnswerSpec, stats: RenderStats) -> SpecCheck:
    asked = spec.tone_hz or 0.0
    measured = stats.peak_hz
    passed = measured is not None and abs(measured - asked) <= asked * TONE_TOLERANCE
    shown = f"peak at {measured:.0f} Hz" if measured is not None else "no pitch (silence)"
    return SpecCheck(what="frequency", asked=f"{asked:g} Hz", measured=shown, passed=passed)


def _filter(spec: AnswerSpec, samples: np.ndarray, rate: int) -> SpecCheck:
    f, nyquist = spec.filter_hz or 0.0, rate / 2 * 0.9
    kind = spec.filter_kind or "lowpass"
    low, high = (f / 8, f / 2), (min(4 * f, nyquist / 2), min(8 * f, nyquist))
    if kind == "bandpass":
        passed_band, stopped_band = (0.9 * f, 1.1 * f), (f / 10, f / 3)
    elif kind == "highpass":
        passed_band, stopped_band = high, low
    else:
        passed_band, stopped_band = low, high
    gap = band_level_db(samples, rate, *passed_band) - band_level_db(samples, rate, *stopped_band)
    where = f"{stopped_band[0]:.0f}-{stopped_band[1]:.0f} Hz"
    return SpecCheck(what="filter", asked=f"{kind} at {f:g} Hz",
                     measured=f"{gap:.0f} dB down at {where}",
                     passed=gap >= MIN_ATTENUATION_DB)


def _delay(spec: AnswerSpec, samples: np.ndarray, rate: int) -> SpecCheck:
    asked = spec.delay_s or 0.0
    lag = echo_lag_s(samples, rate)
    return SpecCheck(what="delay", asked=f"{asked * 1000:g} ms", measured=f"echo at {lag * 1000:.0f} ms",
                     passed=abs(lag - asked) <= DELAY_TOLERANCE_S)


def _envelope(samples: np.ndarray) -> SpecCheck:
    n = len(samples)
    on = float(np.sqrt(np.mean(samples[n // 10 : n // 2] ** 2)))
    off = float(np.sqrt(np.mean(samples[-max(1, n // 10) :] ** 2)))
    passed = on >= 0.01 and off <= max(0.002, on * 0.05)
    return SpecCheck(what="envelope", asked="the gate opens and closes the sound",
                     measured=f"RMS {on:.3f} gate held, {off:.4f} released", passed=passed)


def _control(kind: str, label: str, code: str) -> SpecCheck:
    pattern = rf'\b(?:{_UI_CALL[kind]})\s*\(\s*"\s*{re.escape(label)}\s*(?:\[[^"]*)?"'
    found = re.search(pattern, code, re.I) is not None
    shown = f'{kind} "{label}"'
    return SpecCheck(what="control", asked=shown, measured=shown if found else f'no {kind} "{label}"', passed=found)


def _count(what: str, asked: int, measured: int) -> SpecCheck:
    return SpecCheck(what=what, asked=_plural(asked, what[:-1]), measured=_plural(measured, what[:-1]),
                     passed=asked == measured)


def check_spec(spec: AnswerSpec, samples: np.ndarray, stats: RenderStats, code: str,
               inputs: int | None) -> list[SpecCheck]:
    """One check per thing the spec states that this render can show."""
    rate = stats.sample_rate
    checks: list[SpecCheck] = []
    if spec.tone_hz:
        checks.append(_tone(spec, stats))
    if spec.filter_hz and inputs:
        checks.append(_filter(spec, samples, rate))
    if spec.delay_s and inputs:
        checks.append(_delay(spec, samples, rate))
    if spec.inputs is not None and inputs is not None:
        checks.append(_count("inputs", spec.inputs, inputs))
    if spec.outputs is not None:
        checks.append(_count("outputs", spec.outputs, stats.channels))
    if spec.amplitude and not inputs:
        low, high = (spec.amplitude * f for f in AMPLITUDE_RANGE)
        checks.append(SpecCheck(what="amplitude", asked=f"peak {spec.amplitude:g}", measured=f"peak {stats.peak:.2f}",
                                passed=low <= stats.peak <= high))
    if spec.peak_max:
        checks.append(SpecCheck(what="amplitude", asked=f"peak below {spec.peak_max:g}",
                                measured=f"peak {stats.peak:.2f}", passed=stats.peak <= spec.peak_max))
    if spec.envelope:
        checks.append(_envelope(samples))
    if spec.dc_free:
        checks.append(SpecCheck(what="dc", asked="no DC offset", measured=f"DC {stats.dc:+.3f}",
                                passed=abs(stats.dc) <= 0.02))
    checks += [_control(c.kind, c.label, code) for c in spec.controls]
    return checks


def spec_needs_inputs(spec: AnswerSpec) -> bool:
    """Whether the checks need to know how many inputs the program has."""
    return bool(spec.filter_hz or spec.delay_s or spec.inputs is not None or spec.amplitude)
