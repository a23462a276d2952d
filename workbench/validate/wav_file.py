"""16-bit PCM WAV files of rendered sound, for the chat's audio player and waveform view."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np


def write_wav(path: Path, samples: np.ndarray, sample_rate: int) -> Path:
    """Write frames x channels float samples (non-finite as 0, clipped to ±1)."""
    frames = np.nan_to_num(samples.reshape(len(samples), -1), nan=0.0, posinf=0.0, neginf=0.0)
    pcm = (np.clip(frames, -1.0, 1.0) * 32767).astype("<i2")
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(frames.shape[1])
        out.setsampwidth(2)
        out.setframerate(sample_rate)
        out.writeframes(pcm.tobytes())
    return path


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    """Frames x channels floats in [-1, 1] and the sample rate."""
    with wave.open(str(path), "rb") as source:
        channels, rate = source.getnchannels(), source.getframerate()
        data = np.frombuffer(source.readframes(source.getnframes()), dtype="<i2")
    return data.reshape(-1, channels).astype(np.float32) / 32767, rate
