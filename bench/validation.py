"""Validation bench: how often the embedded model's FAUST compiles and behaves, before and
after the repair rounds (`validation.repair_rounds`), and how long each kind of check takes.

    .venv/bin/python bench/validation.py [--tasks N] [--max-tokens 256] [--sandbox-only]

Every task of `faust_tasks.jsonl` carries a reference program written by the project; the
references go through the same checks first (the baseline: it shows the checks are fair).
Latency p50s come from the same run; the JUCE check is timed with and without the
precompiled header (PCH built fresh in a temp cache, its one-off build time reported).
The sandbox rows time a trivial command run bare, with limits set by a preexec_fn and with
limits set by `prlimit` (what `run_bounded` uses on Linux); a compile + render makes three
sandboxed runs, so its overhead is three times the per-run difference.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workbench.config import Settings, load_settings  # noqa: E402
from workbench.domain import ChatMessage, GenerationOptions  # noqa: E402
from workbench.llm.embedded import EmbeddedBackend  # noqa: E402
from workbench.validate import CodeError, ValidationResult, extract_code_blocks, repair_code, validate_code  # noqa: E402
from workbench.validate.faust_compiler import compile_faust  # noqa: E402
from workbench.validate.faust_lint import lint_faust  # noqa: E402
from workbench.validate.faust_symbols import faust_symbols  # noqa: E402
from workbench.validate.juce_syntax import check_cpp, precompiled_header  # noqa: E402
from workbench.validate import sandbox  # noqa: E402
from workbench.validate.repair import code_from_reply  # noqa: E402
from workbench.validate.signal_checks import band_level_db, echo_lag_s  # noqa: E402
from workbench.validate.tools import find_tools  # noqa: E402
from workbench.validate.wav_file import read_wav  # noqa: E402

TASKS = Path(__file__).with_name("faust_tasks.jsonl")
RENDER_SECONDS = 0.5
SYSTEM = ("You are an expert FAUST programmer. Reply with one complete FAUST program in a ```faust code "
          'block. Start it with import("stdfaust.lib"); and define process. Example of the form:\n'
          '```faust\nimport("stdfaust.lib");\nprocess = os.osc(1000) * 0.1;\n```')
JUCE_SNIPPET = """class Gain : public juce::AudioProcessor {
public:
    void processBlock (juce::AudioBuffer<float>& b, juce::MidiBuffer&) override { b.applyGainz (0.5f); }
};
"""


def check_behaviour(result: ValidationResult, checks: list[dict]) -> bool:
    """The task's own checks of the rendered sound (on top of validate_code's sanity flags)."""
    if not result.ok or not result.render or not result.wav_path:
        return False
    samples, rate = read_wav(result.wav_path)
    stats, n = result.render, len(samples)
    for check in checks:
        kind = check["kind"]
        if kind == "peak_hz":
            passed = stats.peak_hz is not None and abs(stats.peak_hz - check["hz"]) <= check["hz"] * check["tolerance"]
        elif kind == "peak_level":
            passed = check["min"] <= stats.peak <= check["max"]
        elif kind == "rms":
            passed = check["min"] <= stats.rms <= check["max"]
        elif kind == "dc":
            passed = abs(stats.dc) <= check["max"]
        elif kind == "channels":
            passed = stats.channels == check["count"]
        elif kind == "attenuation":
            kept = band_level_db(samples, rate, *check["pass_band"])
            passed = kept - band_level_db(samples, rate, *check["stop_band"]) >= check["min_db"]
        elif kind == "envelope":  # gate held for the first half of the render
            on = float(np.sqrt(np.mean(samples[n // 10 : n // 2] ** 2)))
            off = float(np.sqrt(np.mean(samples[-n // 10 :] ** 2)))
            passed = on >= check["on_rms_min"] and off <= check["off_rms_max"]
        elif kind == "echo_lag":
            passed = abs(echo_lag_s(samples, rate) - check["seconds"]) <= check["tolerance"]
        else:
            raise ValueError(f"unknown check kind {kind!r} in {TASKS.name}")
        if not passed:
            return False
    return True


def _p50_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def run_references(tasks: list[dict], settings: Settings) -> tuple[int, list[float], list[float], list[float]]:
    passed, compile_s, render_s, lint_s = 0, [], [], []
    symbols = faust_symbols(settings)
    for task in tasks:
        started = time.monotonic()
        lint_faust(task["reference"], symbols)
        lint_s.append(time.monotonic() - started)
        started = time.monotonic()
        compile_faust(task["reference"], settings)
        compile_s.append(time.monotonic() - started)
        result = validate_code(task["reference"], "faust", settings, RENDER_SECONDS)
        render_s.append(result.duration_ms / 1000)
        ok = check_behaviour(result, task["checks"])
        passed += ok
        if not ok:
            print(f"  reference {task['id']} fails its checks: {result.badge}", file=sys.stderr)
    return passed, compile_s, render_s, lint_s


def run_model(tasks: list[dict], settings: Settings, max_tokens: int) -> dict[str, int]:
    backend = EmbeddedBackend(settings)

    def generate(prompt: str) -> str:
        messages = [ChatMessage(role="system", content=SYSTEM), ChatMessage(role="user", content=prompt)]
        options = GenerationOptions(temperature=0, seed=1, max_tokens=max_tokens)
        return "".join(chunk.content for chunk in backend.chat("coder", messages, options=options))

    counts = dict.fromkeys(["compiled", "behaved", "compiled_after", "behaved_after", "no_code"], 0)
    for task in tasks:
        reply = generate(task["prompt"])
        code = code_from_reply(reply, "faust")
        if code is None:  # e.g. Python instead of FAUST: check what it wrote, as FAUST
            counts["no_code"] += 1
            blocks = extract_code_blocks(reply)
            code = blocks[0].code if blocks else reply
        first = validate_code(code, "faust", settings, RENDER_SECONDS, question=task["prompt"])
        behaved = check_behaviour(first, task["checks"])
        final = first
        if not behaved:
            if first.ok:  # sanity passed, the task's check did not: say which, like a reviewer would
                first = first.model_copy(update={"ok": False, "errors": [
                    *first.errors, CodeError(message="the sound does not do what the task asked: " + task["prompt"])]})
            final = repair_code(code, "faust", first, generate, settings, question=task["prompt"]).final.result
        counts["compiled"] += "compiled" in first.checks
        counts["behaved"] += behaved
        counts["compiled_after"] += "compiled" in final.checks
        counts["behaved_after"] += check_behaviour(final, task["checks"])
        print(f"  {task['id']:<22} first: {first.badge[:60]!r} final: {final.badge[:40]!r}", file=sys.stderr)
    return counts


def juce_latency(settings: Settings, repeats: int) -> tuple[float, float, float]:
    modules = find_tools(settings).juce_modules
    plain = [check_cpp(JUCE_SNIPPET, settings, modules, use_pch=False)[1].duration_s for _ in range(repeats)]
    started = time.monotonic()
    precompiled_header(settings, modules)
    build = time.monotonic() - started
    with_pch = [check_cpp(JUCE_SNIPPET, settings, modules, use_pch=True)[1].duration_s for _ in range(repeats)]
    return _p50_ms(plain), _p50_ms(with_pch), build


def sandbox_latency(repeats: int) -> tuple[float, float, float]:
    """p50 ms of `true` run bare, bounded through a preexec_fn, bounded through prlimit."""
    here = Path.cwd()
    bounded = lambda: sandbox.run_bounded(["true"], cwd=here, timeout_s=10, memory_mb=512)  # noqa: E731

    def p50(run) -> float:
        times = []
        for _ in range(repeats):
            started = time.monotonic()
            run()
            times.append(time.monotonic() - started)
        return _p50_ms(times)

    bare = p50(lambda: subprocess.run(["true"], start_new_session=True, capture_output=True))
    with mock.patch.object(sandbox, "prlimit_path", lambda: None):
        preexec = p50(bounded)
    if not sandbox.prlimit_path():
        raise SystemExit("prlimit is not installed here: nothing to compare")
    return bare, preexec, p50(bounded)


def sandbox_rows(repeats: int, render_ms: float) -> list[tuple[str, str, str]]:
    bare, preexec, prlimit = sandbox_latency(repeats)
    extra = 3 * (prlimit - preexec)
    return [
        ("sandboxed `true` p50, no limits (baseline)", f"{bare:.2f} ms", "1.00"),
        ("sandboxed `true` p50, limits by preexec_fn", f"{preexec:.2f} ms", f"{preexec / bare:.2f}"),
        ("sandboxed `true` p50, limits by prlimit", f"{prlimit:.2f} ms", f"{prlimit / bare:.2f}"),
        ("prlimit vs preexec_fn per compile + render (3 runs)", f"{extra:+.1f} ms", f"{extra / render_ms:+.3f} of render p50"),
    ]


def print_table(rows: list[tuple[str, str, str]]) -> None:
    width = max(len(r[0]) for r in rows)
    print(f"{'figure':<{width}}  {'value':>14}  ratio to baseline")
    for name, value, ratio in rows:
        print(f"{name:<{width}}  {value:>14}  {ratio}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=0, help="only the first N tasks (0: all)")
    parser.add_argument("--max-tokens", type=int, default=160)
    parser.add_argument("--juce-repeats", type=int, default=3)
    parser.add_argument("--sandbox-repeats", type=int, default=200)
    parser.add_argument("--sandbox-only", action="store_true",
                        help="only the reference renders and the sandbox overhead (no model, no JUCE)")
    args = parser.parse_args()
    tasks = [json.loads(line) for line in TASKS.read_text().splitlines() if line.strip()]
    tasks = tasks[: args.tasks] if args.tasks else tasks
    with tempfile.TemporaryDirectory(prefix="wb-bench-validation-") as data_dir:
        settings = load_settings(data_dir=Path(data_dir))
        started = time.monotonic()
        faust_symbols(settings)  # built once into the (fresh) cache: the one-off cost
        symbols_s = time.monotonic() - started
        ref_passed, compile_s, render_s, lint_s = run_references(tasks, settings)
        sandbox_table = sandbox_rows(args.sandbox_repeats, _p50_ms(render_s))
        lint_rows = [
            ("FAUST compile p50 (baseline)", f"{_p50_ms(compile_s):.0f} ms", "1.00"),
            ("FAUST lint p50, symbol table built", f"{_p50_ms(lint_s):.1f} ms", f"{_p50_ms(lint_s) / _p50_ms(compile_s):.3f}"),
            ("FAUST symbol table one-off build", f"{symbols_s * 1000:.0f} ms", f"{symbols_s / statistics.median(compile_s):.1f}"),
        ]
        if args.sandbox_only:
            print_table([*lint_rows, ("FAUST compile + build + render p50", f"{_p50_ms(render_s):.0f} ms", ""), *sandbox_table])
            return 0
        model = run_model(tasks, settings, args.max_tokens)
        plain_ms, pch_ms, pch_build_s = juce_latency(settings, args.juce_repeats)
    n = len(tasks)
    rate = lambda k: f"{k}/{n} ({100 * k / n:.0f}%)"  # noqa: E731
    rows = [
        ("reference programs passing their checks (baseline)", rate(ref_passed), "1.00"),
        ("embedded model: compiles, first answer", rate(model["compiled"]), f"{model['compiled'] / max(ref_passed, 1):.2f}"),
        ("embedded model: compiles, after repair", rate(model["compiled_after"]), f"{model['compiled_after'] / max(ref_passed, 1):.2f}"),
        ("embedded model: behaves, first answer", rate(model["behaved"]), f"{model['behaved'] / max(ref_passed, 1):.2f}"),
        ("embedded model: behaves, after repair", rate(model["behaved_after"]), f"{model['behaved_after'] / max(ref_passed, 1):.2f}"),
        ("embedded model: first answer has no FAUST block", rate(model["no_code"]), ""),
        *lint_rows,
        (f"FAUST compile + build + render {RENDER_SECONDS} s p50", f"{_p50_ms(render_s):.0f} ms", f"{_p50_ms(render_s) / _p50_ms(compile_s):.1f}"),
        ("JUCE syntax check p50, no PCH (baseline)", f"{plain_ms:.0f} ms", "1.00"),
        ("JUCE syntax check p50, with PCH", f"{pch_ms:.0f} ms", f"{pch_ms / plain_ms:.2f}"),
        ("JUCE PCH one-off build", f"{pch_build_s:.1f} s", f"{pch_build_s * 1000 / plain_ms:.1f}"),
        *sandbox_table,
    ]
    print_table(rows)
    print(f"({n} tasks, bench wall time {time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
