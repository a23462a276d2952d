"""Streamlit view of validation results: a badge per code block, the rendered sound
(waveform, spectrum, audio player), and for valid FAUST a JUCE plugin project download and
the FAUST bench (`faust_bench_view.py`).

The chat page calls `render_validation(results, settings)` under an answer; the figures are
built by plain functions (`sound_figures.py`) so they can be tested without a browser.
"""

from __future__ import annotations

import streamlit as st

from workbench.config import Settings
from workbench.ui.faust_bench_view import render_faust_bench
from workbench.ui.sound_figures import spectrum_figure, waveform_figure
from workbench.validate import ValidationResult
from workbench.validate.wav_file import read_wav


def badge_color(result: ValidationResult) -> str:
    return {True: "green", False: "red", None: "gray"}[result.ok]


def _sound(result: ValidationResult, key: str) -> None:
    if not (result.wav_path and result.wav_path.is_file()):
        return
    samples, rate = read_wav(result.wav_path)
    stats = result.render
    if stats:
        peak_hz = f"{stats.peak_hz:.1f} Hz" if stats.peak_hz else "—"
        st.caption(f"{stats.seconds:g} s at {stats.sample_rate} Hz · peak {stats.peak:.3f} · rms {stats.rms:.3f} · "
                   f"dc {stats.dc:.3f} · loudest frequency {peak_hz}")
    left, right = st.columns(2)
    left.plotly_chart(waveform_figure(samples, rate), key=f"{key}-wave")
    right.plotly_chart(spectrum_figure(samples, rate), key=f"{key}-spectrum")
    st.audio(result.wav_path.read_bytes(), format="audio/wav")


def render_validation(results: list[ValidationResult], settings: Settings, *, key: str = "validation") -> None:
    """One section per code block, in the order of the answer."""
    for index, result in enumerate(results):
        block_key = f"{key}-{index}"
        st.badge(f"{result.language} · {result.badge}", color=badge_color(result))
        for error in result.errors[1:]:
            st.caption(f"line {error.line}: {error.message}" if error.line else error.message)
        for warning in result.warnings:
            st.caption(f"⚠ {warning}")
        if result.render:
            _sound(result, block_key)
        if result.language == "faust" and result.ok:
            render_faust_bench(result.code, settings, key=block_key)
