"""Streamlit view of validation results: a badge per code block, the rendered sound
(waveform, spectrum, audio player) and a JUCE plugin project download for valid FAUST.

The chat page calls `render_validation(results, settings)` under an answer; the figures are
built by plain functions so they can be tested without a browser.
"""

from __future__ import annotations

import hashlib

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from workbench.config import Settings
from workbench.validate import ValidationResult, make_juce_project
from workbench.validate.signal_checks import spectrum
from workbench.validate.wav_file import read_wav

MAX_POINTS = 4000


def badge_color(result: ValidationResult) -> str:
    return {True: "green", False: "red", None: "gray"}[result.ok]


def waveform_figure(samples: np.ndarray, sample_rate: int) -> go.Figure:
    """Amplitude over time of each channel, thinned to at most MAX_POINTS points."""
    frames = samples.reshape(len(samples), -1)
    step = max(1, len(frames) // MAX_POINTS)
    times = np.arange(0, len(frames), step) / sample_rate
    figure = go.Figure()
    for channel in range(frames.shape[1]):
        figure.add_trace(go.Scattergl(x=times, y=frames[::step, channel], mode="lines", name=f"channel {channel + 1}"))
    figure.update_layout(title="Waveform", xaxis_title="time (s)", yaxis_title="amplitude", height=260,
                         margin=dict(l=40, r=10, t=40, b=40))
    return figure


def spectrum_figure(samples: np.ndarray, sample_rate: int) -> go.Figure:
    """Magnitude spectrum (dBFS) on a log-frequency axis, thinned to at most MAX_POINTS points."""
    freqs, db = spectrum(samples, sample_rate)
    step = max(1, len(freqs) // MAX_POINTS)
    figure = go.Figure(go.Scattergl(x=freqs[1::step], y=db[1::step], mode="lines", name="spectrum"))
    figure.update_layout(title="Spectrum", xaxis_title="frequency (Hz)", yaxis_title="dBFS", xaxis_type="log",
                         height=260, margin=dict(l=40, r=10, t=40, b=40))
    return figure


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


def _juce_download(result: ValidationResult, settings: Settings, key: str) -> None:
    """Offer the faust2juce project; built only when asked, kept for the session."""
    store_key = f"{key}-juce-{hashlib.sha256(result.code.encode()).hexdigest()[:12]}"
    if store_key not in st.session_state:
        if not st.button("Make a JUCE plugin project", key=f"{key}-make-juce"):
            return
        with st.spinner("Running faust2juce…"):
            st.session_state[store_key] = make_juce_project(result.code, settings)
    project = st.session_state[store_key]
    if project.ok:
        st.download_button(f"Download {project.file_name}", project.zip_bytes, file_name=project.file_name,
                           mime="application/zip", key=f"{key}-download-juce")
    else:
        st.warning(project.status)


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
            _juce_download(result, settings, block_key)
