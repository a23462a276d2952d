"""The test signals a user can send through a program on the bench.

All are deterministic (fixed seeds), mono unless an uploaded WAV has more channels, at the
validation sample rate, amplitude 0.5 (the impulse is a full-scale single sample).
"""

from __future__ import annotations

import io
import wave
from enum import Enum

import numpy as np

AMPLITUDE = 0.5
SWEEP_HZ = (20.0, 20_000.0)


class TestInput(str, Enum):
    __test__ = False  # not a pytest class

    SILENCE = "silence"
    WHITE_NOISE = "white noise"
    PINK_NOISE = "pink noise"
    SINE_SWEEP = "sine sweep"
    IMPULSE = "impulse"
    DRUM_LOOP = "drum loop"
    WAV = "uploaded WAV"


def white_noise(frames: int) -> np.ndarray:
    return np.random.default_rng(12345).uniform(-AMPLITUDE, AMPLITUDE, frames).astype(np.float32)


def pink_noise(frames: int) -> np.ndarray:
    """Noise whose power falls 3 dB per octave: white noise shaped by 1/sqrt(f) in the
    frequency domain, scaled to the common peak."""
    spectrum = np.fft.rfft(np.random.default_rng(54321).standard_normal(max(frames, 2)))
    bins = np.arange(len(spectrum), dtype=np.float64)
    bins[0] = 1.0
    shaped = np.fft.irfft(spectrum / np.sqrt(bins), n=max(frames, 2))[:frames]
    shaped -= shaped.mean()
    return (AMPLITUDE * shaped / max(np.max(np.abs(shaped)), 1e-12)).astype(np.float32)


def sine_sweep(frames: int, sample_rate: int) -> np.ndarray:
    """An exponential sweep from 20 Hz to 20 kHz (capped below Nyquist) over the whole input."""
    low, high = SWEEP_HZ[0], min(SWEEP_HZ[1], 0.45 * sample_rate)
    duration = frames / sample_rate
    t = np.arange(frames) / sample_rate
    rate = np.log(high / low)
    phase = 2 * np.pi * low * duration / rate * (np.exp(t * rate / duration) - 1)
    return (AMPLITUDE * np.sin(phase)).astype(np.float32)


def impulse(frames: int) -> np.ndarray:
    signal = np.zeros(frames, dtype=np.float32)
    signal[0] = 1.0
    return signal


def decode_wav(data: bytes, sample_rate: int) -> np.ndarray:
    """Frames x channels floats of an uploaded PCM WAV, resampled (linearly) to `sample_rate`.
    Raises ValueError with a one-line reason for anything else."""
    try:
        with wave.open(io.BytesIO(data), "rb") as source:
            channels, width, rate = source.getnchannels(), source.getsampwidth(), source.getframerate()
            raw = source.readframes(source.getnframes())
    except (wave.Error, EOFError) as error:
        raise ValueError(f"not a PCM WAV file ({error}); export it as 16- or 24-bit PCM") from error
    if width == 3:
        bytes3 = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 3)
        ints = (bytes3[:, 0].astype(np.int32) | bytes3[:, 1].astype(np.int32) << 8 | bytes3[:, 2].astype(np.int32) << 16)
        values = np.where(ints >= 2**23, ints - 2**24, ints) / 2**23
    elif width in (1, 2, 4):
        kind = {1: np.uint8, 2: "<i2", 4: "<i4"}[width]
        ints = np.frombuffer(raw, dtype=kind).astype(np.float64)
        values = (ints - 128) / 128 if width == 1 else ints / 2 ** (8 * width - 1)
    else:
        raise ValueError(f"a WAV of {8 * width}-bit samples is not supported; export it as 16- or 24-bit PCM")
    frames = values.reshape(-1, channels)
    if not len(frames):
        raise ValueError("the WAV file holds no samples")
    if rate != sample_rate:
        positions = np.arange(int(len(frames) * sample_rate / rate)) * rate / sample_rate
        frames = np.column_stack([np.interp(positions, np.arange(len(frames)), frames[:, c]) for c in range(channels)])
    return frames.astype(np.float32)


def fit_length(signal: np.ndarray, frames: int, *, loop: bool) -> np.ndarray:
    """`signal` cut or extended to `frames` frames: repeated when `loop`, else padded with silence."""
    signal = signal.reshape(len(signal), -1)
    if len(signal) >= frames:
        return signal[:frames]
    if loop:
        return np.tile(signal, (frames // len(signal) + 1, 1))[:frames]
    return np.vstack([signal, np.zeros((frames - len(signal), signal.shape[1]), dtype=signal.dtype)])


def generated_input(kind: TestInput, frames: int, sample_rate: int) -> np.ndarray:
    """A signal made here (not the drum loop or an upload, which need more than a length)."""
    makers = {
        TestInput.SILENCE: lambda: np.zeros(frames, dtype=np.float32),
        TestInput.WHITE_NOISE: lambda: white_noise(frames),
        TestInput.PINK_NOISE: lambda: pink_noise(frames),
        TestInput.SINE_SWEEP: lambda: sine_sweep(frames, sample_rate),
        TestInput.IMPULSE: lambda: impulse(frames),
    }
    if kind not in makers:
        raise ValueError(f"{kind.value} is not a generated signal")
    return makers[kind]().reshape(frames, 1)
