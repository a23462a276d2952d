"""Embedded backend: how often the 135M model loops, with the shipped repeat penalty and without.

A looping answer repeats the same lines until the token limit; its share of distinct word
4-grams drops far below that of normal prose (~0.9+). The baseline is llama-cpp-python's own
default (repeat_penalty 1.0), measured in the same run on the same questions and seeds.

    .venv/bin/python bench/embedded_quality.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workbench.config import LLMSettings, load_settings  # noqa: E402
from workbench.domain import ChatMessage, GenerationOptions  # noqa: E402
from workbench.llm.embedded import EmbeddedBackend  # noqa: E402

QUESTIONS = [
    "Design the architecture of a JUCE plugin with a FAUST reverb, a custom GUI and presets",
    "Write the reverb module in FAUST",
    "Explain how a biquad filter works",
    "How do I avoid denormals in a JUCE filter?",
    "Integrate the FAUST DSP into JUCE",
    "Write a FAUST lowpass filter with a cutoff slider",
    "What is the difference between a compressor and a limiter?",
    "Build the GUI of a JUCE plugin with a gain knob",
    "Optimize a JUCE plugin's processBlock",
    "What does fi.lowpass do in FAUST?",
]
SEEDS = (0, 1)
MAX_TOKENS = 250
LOOPING = 0.5  # an answer with fewer distinct 4-grams than this repeats itself


def distinct_4grams(text: str) -> float:
    words = text.split()
    grams = [tuple(words[i : i + 4]) for i in range(len(words) - 3)]
    return len(set(grams)) / max(1, len(grams))


def measure(penalty: float, data_dir: Path) -> dict[str, float]:
    backend = EmbeddedBackend(load_settings(data_dir=data_dir, llm={"embedded_repeat_penalty": penalty}))
    scores, seconds = [], []
    for seed in SEEDS:
        for question in QUESTIONS:
            started = time.perf_counter()
            chunks = backend.chat("any", [ChatMessage(role="user", content=question)],
                                  options=GenerationOptions(seed=seed, max_tokens=MAX_TOKENS))
            scores.append(distinct_4grams("".join(c.content for c in chunks)))
            seconds.append(time.perf_counter() - started)
    return {"distinct": statistics.fmean(scores), "looping": sum(s < LOOPING for s in scores) / len(scores),
            "seconds": statistics.median(seconds)}


def main() -> None:
    shipped = LLMSettings().embedded_repeat_penalty
    with tempfile.TemporaryDirectory() as data_dir:
        base = measure(1.0, Path(data_dir))
        ours = measure(shipped, Path(data_dir))
    print(f"{len(QUESTIONS)} questions x {len(SEEDS)} seeds, {MAX_TOKENS} tokens, default sampling")
    print(f"{'figure':<34}{'penalty 1.0 (baseline)':>24}{f'penalty {shipped} (shipped)':>26}{'ratio':>8}")
    for label, key in (("distinct word 4-grams, mean", "distinct"), ("answers that loop (< 0.5)", "looping"),
                       ("seconds per answer, median", "seconds")):
        ratio = f"{ours[key] / base[key]:.2f}" if base[key] else "-"
        print(f"{label:<34}{base[key]:>24.3f}{ours[key]:>26.3f}{ratio:>8}")


if __name__ == "__main__":
    main()
