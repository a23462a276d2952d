"""Hosts: two real llama.cpp servers against one, and what health checks cost a page load.

1. A plan's two independent generations (same prompt, same token count), sent at once through
   the project's `openai_compat` backend: to two llama-cpp-python server processes (one host
   each) against both to one process (the baseline: one server runs one generation at a time,
   as a single Ollama with OLLAMA_NUM_PARALLEL=1 does). Each server gets one thread.
2. Health checks at page load: `probe_hosts` (health, latency, model details of every host,
   concurrently) for 1 to 4 hosts, against one bare `GET /v1/models` as the baseline; plus a
   host that refuses connections, which must cost no more than a live one.

    .venv/bin/python bench/hosts.py [--tokens 96] [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402

from tests.llm.llama_server import LlamaServer  # noqa: E402
from workbench.config import load_settings  # noqa: E402
from workbench.domain import ChatMessage, GenerationOptions  # noqa: E402
from workbench.llm.host_status import probe_hosts  # noqa: E402
from workbench.llm.hosts import HostPool  # noqa: E402

PROMPT = [ChatMessage(role="user", content="Describe, step by step, how a FAUST reverb is wrapped in a JUCE plugin.")]


def settings_for(data_dir: Path, urls: dict[str, str], ollama: str = "http://127.0.0.1:9"):
    return load_settings(data_dir=data_dir, llm={"ollama_host": ollama, "request_timeout_s": 300.0},
                         hosts={name: {"backend": "openai", "base_url": url} for name, url in urls.items()})


def generate(pool: HostPool, host: str, model: str, tokens: int, out: list[int]) -> None:
    chunks = list(pool.backend(host).chat(model, PROMPT, options=GenerationOptions(
        max_tokens=tokens, temperature=0.0, seed=1, stop=["<|im_end|>"])))
    out.append(sum(1 for c in chunks if c.content))


def two_at_once(pool: HostPool, hosts: tuple[str, str], model: str, tokens: int) -> tuple[float, list[int]]:
    counts: list[int] = []
    threads = [threading.Thread(target=generate, args=(pool, h, model, tokens, counts)) for h in hosts]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, counts


def timed(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tokens", type=int, default=96)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="bench-hosts-"))
    with LlamaServer() as a, LlamaServer() as b:
        pool = HostPool(settings_for(data, {"a": a.base_url, "b": b.base_url}))
        generate(pool, "a", a.model, 8, [])  # warm both: first prompt evaluation, page cache
        generate(pool, "b", b.model, 8, [])
        one, two, counts = [], [], []
        for _ in range(args.repeats):
            seconds, got = two_at_once(pool, ("a", "a"), a.model, args.tokens)
            one.append(seconds)
            counts += got
            seconds, got = two_at_once(pool, ("a", "b"), a.model, args.tokens)
            two.append(seconds)
            counts += got
        one_s, two_s = statistics.median(one), statistics.median(two)
        print(f"\n## Two independent generations of {args.tokens} tokens (median of {args.repeats}; "
              f"streamed chunks per generation {min(counts)}-{max(counts)})\n")
        print("| setup | wall s | ratio to one server |\n|---|---:|---:|")
        print(f"| both on one llama.cpp server (baseline) | {one_s:.2f} | 1.00 |")
        print(f"| one each on two llama.cpp servers | {two_s:.2f} | {two_s / one_s:.2f} ({one_s / two_s:.2f}x faster) |")

        bare = timed(lambda: httpx.get(f"{a.base_url}/models", timeout=5), args.repeats * 3)
        print(f"\n## Health checks at page load (median of {args.repeats * 3})\n")
        print("| hosts probed | ms | per host ms | ratio to one bare GET /v1/models |\n|---|---:|---:|---:|")
        print(f"| bare GET /v1/models (baseline) | {bare * 1000:.1f} | {bare * 1000:.1f} | 1.00 |")
        cases = {
            "embedded only": ({}, 1),
            "embedded + a": ({"a": a.base_url}, 2),
            "embedded + a + b": ({"a": a.base_url, "b": b.base_url}, 3),
            "embedded + a + b + refused": ({"a": a.base_url, "b": b.base_url, "gone": "http://127.0.0.1:9/v1"}, 4),
        }
        for label, (urls, count) in cases.items():
            pool = HostPool(settings_for(data, urls))
            names = ["embedded", *urls]
            pool.hosts = {name: pool.hosts[name] for name in names}  # leave the built-in Ollama out
            seconds = timed(lambda: probe_hosts(pool), args.repeats * 3)
            print(f"| {label} | {seconds * 1000:.1f} | {seconds * 1000 / count:.1f} | {seconds / bare:.2f} |")


if __name__ == "__main__":
    main()
