"""Plotly figures of sound: a render's waveform and spectrum, an effect's impulse and
frequency response. Plain functions, thinned to at most MAX_POINTS points per trace."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from workbench.validate.signal_checks import spectrum

MAX_POINTS = 4000
IMPULSE_MS = 50.0  # the part of an impulse response worth plotting for most effects


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


def impulse_response_figure(impulse_response: np.ndarray, sample_rate: int) -> go.Figure:
    """The first IMPULSE_MS of each output's response to one full-scale sample."""
    frames = impulse_response.reshape(len(impulse_response), -1)[: int(sample_rate * IMPULSE_MS / 1000)]
    times_ms = np.arange(len(frames)) * 1000 / sample_rate
    figure = go.Figure()
    for channel in range(frames.shape[1]):
        figure.add_trace(go.Scattergl(x=times_ms, y=frames[:, channel], mode="lines", name=f"output {channel + 1}"))
    figure.update_layout(title="Impulse response", xaxis_title="time (ms)", yaxis_title="amplitude", height=260,
                         margin=dict(l=40, r=10, t=40, b=40))
    return figure


def frequency_response_figure(freqs: np.ndarray, magnitude_db: np.ndarray) -> go.Figure:
    """Magnitude of each output's response (dB) on a log-frequency axis."""
    step = max(1, len(freqs) // MAX_POINTS)
    figure = go.Figure()
    for channel in range(magnitude_db.shape[1]):
        figure.add_trace(go.Scattergl(x=freqs[1::step], y=magnitude_db[1::step, channel], mode="lines",
                                      name=f"output {channel + 1}"))
    figure.update_layout(title="Frequency response (to one impulse)", xaxis_title="frequency (Hz)",
                         yaxis_title="dB", xaxis_type="log", height=260, margin=dict(l=40, r=10, t=40, b=40))
    return figure
