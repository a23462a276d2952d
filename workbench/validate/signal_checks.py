"""Numbers about a rendered signal: the checks a listener would make by ear, done with numpy."""

from __future__ import annotations

import numpy as np

from workbench.validate.results import RenderStats

SILENCE_PEAK = 1e-4  # -80 dBFS: nothing a listener would hear
CLIP_PEAK = 1.0


def spectrum(samples: np.ndarray, sample_rate: int) -> tuple[np.ndarray, np.ndarray]:
    """Frequencies (Hz) and magnitudes (dBFS) of the mono mix, Hann-windowed."""
    mono = np.nan_to_num(samples.reshape(len(samples), -1).mean(axis=1), nan=0.0, posinf=0.0, neginf=0.0)
    if len(mono) < 2:
        return np.zeros(1), np.full(1, -120.0)
    window = np.hanning(len(mono))
    magnitude = np.abs(np.fft.rfft(mono * window)) * 2 / window.sum()
    freqs = np.fft.rfftfreq(len(mono), 1 / sample_rate)
    return freqs, 20 * np.log10(np.maximum(magnitude, 1e-6))


def peak_frequency(samples: np.ndarray, sample_rate: int) -> float | None:
    """The loudest frequency above DC, refined between bins; None for silence."""
    freqs, db = spectrum(samples, sample_rate)
    if len(db) < 4:
        return None
    index = int(np.argmax(db[1:-1])) + 1
    if db[index] <= 20 * np.log10(SILENCE_PEAK):
        return None
    left, centre, right = db[index - 1], db[index], db[index + 1]
    curvature = left - 2 * centre + right
    offset = 0.5 * (left - right) / curvature if curvature else 0.0
    return float(freqs[index] + offset * (freqs[1] - freqs[0]))


def band_level_db(samples: np.ndarray, sample_rate: int, low_hz: float, high_hz: float) -> float:
    """The mean power (dB) in a frequency band, for filter checks (attenuation above cutoff)."""
    freqs, db = spectrum(samples, sample_rate)
    band = (freqs >= low_hz) & (freqs < high_hz)
    if not band.any():
        return -120.0
    return float(10 * np.log10(np.mean(10 ** (db[band] / 10))))


def echo_lag_s(samples: np.ndarray, sample_rate: int, min_lag_s: float = 0.002) -> float:
    """The lag (seconds) at which the first channel best matches itself, past the zero-lag
    peak: where an echo or a delay line repeats the input."""
    mono = samples.reshape(len(samples), -1)[:, 0]
    mono = np.nan_to_num(mono - mono.mean())
    spectrum_ = np.fft.rfft(mono, 2 * len(mono))
    correlation = np.fft.irfft(spectrum_ * np.conj(spectrum_))[: len(mono)]
    skip = max(1, int(min_lag_s * sample_rate))
    return (int(np.argmax(correlation[skip:])) + skip) / sample_rate


def analyse(samples: np.ndarray, sample_rate: int) -> RenderStats:
    """Stats and flags of `samples` (frames x channels)."""
    frames = samples.reshape(len(samples), -1)
    finite = np.isfinite(frames)
    clean = np.where(finite, frames, 0.0)
    peak = float(np.max(np.abs(clean))) if clean.size else 0.0
    return RenderStats(
        seconds=len(frames) / sample_rate,
        sample_rate=sample_rate,
        channels=frames.shape[1],
        peak_hz=peak_frequency(clean, sample_rate),
        rms=float(np.sqrt(np.mean(clean**2))) if clean.size else 0.0,
        peak=peak,
        dc=float(np.mean(clean)) if clean.size else 0.0,
        nan=not bool(finite.all()),
        silent=peak < SILENCE_PEAK,
        clipped=peak > CLIP_PEAK,
    )
