"""Execution: concurrency gain of independent branches and the cost of orchestration.

1. A scripted backend with a fixed per-token latency (workbench/llm/scripted.py) runs a plan of two
   independent branches of two subtasks each, once with two requests allowed at a time and
   once with one (sequential, the baseline). Target: ≥ 1.8× faster concurrently.
2. Orchestration overhead: the same concurrent plan through the whole facade (SQLite
   storage, events, synthesis) against the baseline of the same four requests streamed by
   two plain threads, one per branch, in the same run. Target: ≤ 1 % of the run.
3. Streaming many small chunks: `stream_into` (pump thread, queue, deadline and Stop
   checks) against iterating the same zero-latency scripted backend directly.
4. The overview: a 3-subtask run (two independent parts, then one joining them) with and
   without the reasoning model's overview above the assembled parts, on the scripted
   backend; the overview is one more sequential call as long as a subtask's answer.
5. The real embedded SmolLM2 model: a 3-subtask run through the facade against the very
   prompts it sent, replayed straight to the backend — tokens/s of each, and the run's time
   outside generation as its overhead.

    .venv/bin/python bench/execution.py
"""

from __future__ import annotations

import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from multi_model_system import MultiModelGLMSystem  # noqa: E402
from workbench.config import load_settings  # noqa: E402
from workbench.domain import ChatMessage, GenerationOptions, Role  # noqa: E402
from workbench.execute.caller import ModelCaller  # noqa: E402
from workbench.execute.events import EventEmitter  # noqa: E402
from workbench.execute.executor import DAGExecutor  # noqa: E402
from workbench.execute.prompts import build_subtask_messages  # noqa: E402
from workbench.execute.scripted_plans import FixedDecomposer, make_plan  # noqa: E402
from workbench.execute.streaming import Generation, stream_into  # noqa: E402
from workbench.llm.embedded import EmbeddedBackend  # noqa: E402
from workbench.llm.scripted import ScriptedBackend, use_backend  # noqa: E402

TOKEN_DELAY_S = 0.01
WORDS = 60  # per subtask: 0.6 s of "generation"
BRANCHES = make_plan("Build a FAUST reverb inside a JUCE plugin", [
    ("a1", Role.REASONING, []), ("a2", Role.CODER, ["a1"]),
    ("b1", Role.MATH, []), ("b2", Role.CODER, ["b1"]),
])
JOINED = make_plan("Design and code a FAUST tremolo", [
    ("s1", Role.REASONING, []), ("s2", Role.MATH, []), ("s3", Role.CODER, ["s1", "s2"]),
])
REPEATS = 3
CHUNKS = 20_000


def fake() -> ScriptedBackend:
    return ScriptedBackend(" ".join(["tok"] * WORDS), token_delay_s=TOKEN_DELAY_S)


def best_of(run) -> float:
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def executor_wall(settings, concurrency: int) -> float:
    settings.execution.concurrency_per_backend = concurrency
    return best_of(lambda: DAGExecutor(settings, ModelCaller(settings, fake())).run(BRANCHES, EventEmitter(None, [])))


def direct_branches_wall() -> float:
    """The same four requests streamed by two plain threads, one per branch, with no
    executor, events or storage: what the run would cost with zero orchestration."""
    def stream_branch(subtasks) -> None:
        backend = fake()
        for subtask in subtasks:
            for _ in backend.chat("m", build_subtask_messages(subtask, question=BRANCHES.query)):
                pass

    def both() -> None:
        threads = [threading.Thread(target=stream_branch, args=(BRANCHES.subtasks[i:i + 2],)) for i in (0, 2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return best_of(both)


def chunk_rows() -> list[tuple[str, float, str, str]]:
    backend = ScriptedBackend(" ".join(["t"] * CHUNKS))
    messages = [ChatMessage(role="user", content="q")]
    raw = best_of(lambda: sum(1 for _ in backend.chat("m", messages)))
    streamed = best_of(lambda: stream_into(Generation(model="m"), backend, messages, timeout_s=600,
                                           cancel=threading.Event(), on_content=lambda _text: None))
    return [
        (f"fake: {CHUNKS} chunks, backend only", raw, f"{raw / CHUNKS * 1e6:.1f} µs/chunk", "baseline"),
        (f"fake: {CHUNKS} chunks via stream_into", streamed, f"{streamed / CHUNKS * 1e6:.1f} µs/chunk",
         f"{streamed / raw:.3f}× baseline"),
    ]


def overview_rows(data_dir: Path) -> list[tuple[str, float, str, str]]:
    walls, shares = {}, []
    for mode in ("off", "on"):
        settings = load_settings(data_dir=data_dir / f"overview-{mode}")
        settings.execution.synthesis_summary = mode
        glm = MultiModelGLMSystem(use_backend(settings, fake()), hrm=FixedDecomposer(JOINED),
                                  retriever=None, validator=None)

        def run() -> None:
            result = glm.chat_with_model_enhanced(JOINED.query)
            if result.overview is not None:
                shares.append(result.overview.duration_ms / 1000)
        walls[mode] = best_of(run)
    share = min(shares) / walls["on"]
    return [
        ("fake: 3-subtask run, no overview", walls["off"], "", "baseline"),
        ("fake: 3-subtask run with overview", walls["on"], f"overview {share:.1%} of run",
         f"{walls['on'] / walls['off']:.2f}× baseline"),
    ]


class Recording:
    """Passes requests through to a backend and keeps the messages, to replay them raw."""

    def __init__(self, backend) -> None:
        self.backend, self.name, self.sent = backend, backend.name, []

    def chat(self, model, messages, **kwargs):
        self.sent.append(messages)
        return self.backend.chat(model, messages, **kwargs)

    def list_models(self):
        return self.backend.list_models()

    def health(self):
        return self.backend.health()


def embedded_rows(data_dir: Path) -> list[tuple[str, float, str, str]]:
    settings = load_settings(data_dir=data_dir / "embedded", llm={"backend": "embedded"})
    settings.execution.concurrency_per_backend = 1  # llama.cpp serves one request at a time
    backend = EmbeddedBackend(settings)
    recording = Recording(backend)
    options = GenerationOptions(max_tokens=48, temperature=0.0, seed=1)
    plan = make_plan("Design and code a FAUST tremolo", [
        ("s1", Role.REASONING, []), ("s2", Role.MATH, []), ("s3", Role.CODER, ["s1", "s2"])])
    glm = MultiModelGLMSystem(use_backend(settings, recording), hrm=FixedDecomposer(plan), retriever=None,
                              validator=None, options=options)
    glm.chat_with_model_enhanced("warm-up", use_hrm_decomposition=False)  # loads the model
    recording.sent.clear()
    started = time.perf_counter()
    result = glm.chat_with_model_enhanced(plan.query)
    run_s = time.perf_counter() - started
    run_tokens = sum(s.completion_tokens or 0 for s in result.subtasks)
    # generation attempts are timed under the backend's semaphore: queueing is not counted
    generation_s = sum(a["duration_ms"] for s in result.subtasks for a in s.attempts
                       if a["kind"] == "generation") / 1000

    started = time.perf_counter()
    raw_tokens = 0
    for messages in recording.sent:  # the very prompts the run sent, straight to the backend
        for chunk in backend.chat(backend.model_name, messages, options=options):
            raw_tokens += chunk.completion_tokens or 0
    raw_s = time.perf_counter() - started
    overhead = (run_s - generation_s) / run_s
    return [
        ("embedded: direct backend, 3 prompts", raw_s, f"{raw_tokens / raw_s:.0f} tok/s", "baseline"),
        ("embedded: 3-subtask run via facade", run_s, f"{run_tokens / run_s:.0f} tok/s",
         f"{(run_tokens / run_s) / (raw_tokens / raw_s):.2f}× tok/s"),
        ("embedded: orchestration overhead", run_s - generation_s, f"{overhead:.1%} of run", ""),
    ]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(data_dir=Path(tmp) / "fake")
        sequential = executor_wall(settings, 1)
        concurrent = executor_wall(settings, 2)
        baseline = direct_branches_wall()
        settings.execution.concurrency_per_backend = 2
        settings.execution.synthesis_summary = "off"  # the baseline streams the four subtasks only
        glm = MultiModelGLMSystem(use_backend(settings, fake()), hrm=FixedDecomposer(BRANCHES),
                                  retriever=None, validator=None)
        facade = best_of(lambda: glm.chat_with_model_enhanced(BRANCHES.query))
        share = (facade - baseline) / facade
        rows = [
            ("fake: 2 branches, sequential", sequential, "", "baseline"),
            ("fake: 2 branches, concurrent", concurrent, "", f"{sequential / concurrent:.2f}× faster (≥ 1.80)"),
            ("fake: 2 plain threads, backend only", baseline, "", "baseline"),
            ("fake: concurrent run via facade", facade, f"{share:.2%} overhead (≤ 1 %)",
             f"{facade / baseline:.3f}× baseline"),
        ]
        rows += overview_rows(Path(tmp))
        rows += chunk_rows()
        rows += embedded_rows(Path(tmp))
    print(f"per-token latency {TOKEN_DELAY_S * 1000:.0f} ms, {WORDS} tokens per subtask, best of {REPEATS}\n")
    print(f"{'measurement':<38} {'wall s':>8}  {'figure':<24} ratio")
    for name, seconds, figure, ratio in rows:
        print(f"{name:<38} {seconds:>8.3f}  {figure:<24} {ratio}")


if __name__ == "__main__":
    main()
