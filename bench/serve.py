"""What the two servers cost: MCP tool calls against the same work in-process, and the time to
the first answer token through `hrm-reason serve` against `hrm-reason ask` and the facade.

Everything runs on a private data dir: a BM25 index of the installed FAUST libraries and JUCE
headers, the embedded SmolLM2 model with a small answer limit. MCP calls go over stdio to a
real `hrm-reason mcp` subprocess through the SDK's client; `serve` runs as a real uvicorn
subprocess called by the official `openai` client; the CLI baseline is a fresh
`hrm-reason ask --no-decompose` process (what a script pays per question).

    .venv/bin/python bench/serve.py [RUNS]
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import anyio
import httpx
import openai
from mcp import Client
from mcp.client.stdio import StdioServerParameters

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from workbench.config import load_settings  # noqa: E402
from workbench.serve import tools  # noqa: E402

FAUST = 'import("stdfaust.lib");\nprocess = fi.lowpass(2, 1000, no.noise) * 0.5;\n'
QUERY = "butterworth lowpass filter"
QUESTIONS = ["What is a low-pass filter?", "What does a delay line do?", "How does a compressor work?",
             "What is aliasing?", "What is a wavetable oscillator?", "Why is my plugin clicking?",
             "What is a biquad?", "What does an envelope follower do?", "What is a comb filter?"]
ANSWER_TOKENS = 32


def median_s(call: Callable[[], object], runs: int) -> float:
    call()  # warm-up: file cache, first import, first model load
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def mcp_latencies(env: dict[str, str], runs: int) -> tuple[float, float]:
    params = StdioServerParameters(command=sys.executable, args=["-m", "workbench", "mcp"], env=env, cwd=str(REPO))

    async def measure() -> tuple[float, float]:
        async with Client(params, read_timeout_seconds=300) as client:
            async def timed(tool: str, arguments: dict) -> float:
                await client.call_tool(tool, arguments)
                times = []
                for _ in range(runs):
                    start = time.perf_counter()
                    result = await client.call_tool(tool, arguments)
                    times.append(time.perf_counter() - start)
                    assert not result.is_error, result.content
                return statistics.median(times)

            return (await timed("faust_check", {"code": FAUST}),
                    await timed("docs_search", {"query": QUERY, "k": 5}))

    return anyio.run(measure)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve_first_token(env: dict[str, str], runs: int) -> float:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "workbench", "serve", "--port", str(port)], env=env,
                              cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}/v1"
        for _ in range(300):
            try:
                httpx.get(f"{base}/models", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        client = openai.OpenAI(base_url=base, api_key="none", max_retries=0, timeout=300)
        questions = iter(QUESTIONS * 2)

        def first_token() -> None:
            stream = client.chat.completions.create(model="workbench-direct", stream=True,
                                                    messages=[{"role": "user", "content": next(questions)}])
            next(c for c in stream if c.choices and c.choices[0].delta.content)
            stream.close()

        return median_s(first_token, runs)
    finally:
        server.terminate()
        server.wait(timeout=30)


def cli_first_token(env: dict[str, str], runs: int) -> float:
    questions = iter(QUESTIONS * 2)

    def first_byte() -> None:
        process = subprocess.Popen([sys.executable, "-m", "workbench", "ask", next(questions), "--no-decompose"],
                                   env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        os.read(process.stdout.fileno(), 1)
        process.kill()
        process.wait()

    return median_s(first_byte, runs)


def facade_first_token(settings, runs: int) -> float:
    from multi_model_system import MultiModelGLMSystem
    from workbench.domain import EventKind

    glm = MultiModelGLMSystem(settings)
    questions = iter(QUESTIONS * 2)

    def first_token() -> None:
        handle = glm.start_run(next(questions), None, False, project="bench")
        next(e for e in handle if e.kind == EventKind.TOKEN and e.text)
        handle.cancel()
        handle.result()

    return median_s(first_token, runs)


def table(title: str, rows: list[tuple[str, float]]) -> None:
    baseline = rows[0][1]
    print(f"\n{title}")
    print(f"{'what':54} {'ms':>9} {'× baseline':>11}")
    for name, seconds in rows:
        print(f"{name:54} {seconds * 1000:9.1f} {seconds / baseline:11.2f}")


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 9
    data = Path(tempfile.mkdtemp(prefix="wb-bench-serve-"))
    overrides = {"WORKBENCH_DATA_DIR": str(data), "WORKBENCH_LLM__BACKEND": "embedded",
                 "WORKBENCH_LLM__MAX_ANSWER_TOKENS": str(ANSWER_TOKENS), "WORKBENCH_RETRIEVAL__USE_EMBEDDINGS": "false",
                 "WORKBENCH_CONFIG": str(data / "none.toml"), "OLLAMA_HOST": "127.0.0.1:9"}
    os.environ.update(overrides)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    settings = load_settings()
    from workbench.retrieval import KnowledgeBase

    kb = KnowledgeBase(settings)
    summary = kb.ingest()
    print(f"index: {summary['entries_total']} entries (BM25), {runs} runs each, medians; "
          f"embedded SmolLM2, answers of at most {ANSWER_TOKENS} tokens")

    faust_in = median_s(lambda: tools.faust_check(settings, FAUST), runs)
    search_in = median_s(lambda: tools.docs_search(kb, QUERY, k=5), runs)
    faust_mcp, search_mcp = mcp_latencies(env, runs)
    table("faust_check (compile only)", [("in-process tools.faust_check (baseline)", faust_in),
                                         ("MCP call over stdio", faust_mcp)])
    table("docs_search (k=5)", [("in-process tools.docs_search (baseline)", search_in),
                                ("MCP call over stdio", search_mcp)])
    table("time to the first answer token, direct answer", [
        ("hrm-reason ask --no-decompose, new process (baseline)", cli_first_token(env, runs)),
        ("hrm-reason serve, streaming, openai client", serve_first_token(env, runs)),
        ("facade start_run in-process", facade_first_token(settings, runs)),
    ])


if __name__ == "__main__":
    main()
