"""Reliability bench: the hostile cases of issue 19, tried and passed, and what the sandbox
costs per render.

    .venv/bin/python bench/reliability.py [--repeats 15] [--skip-cases]

Cases: each file of `tests/reliability/` is one case of the issue (named after it), and so
are the files of `ROOM_CASES` that keep a case beside its room's tests; the bench runs them
with pytest (JUnit XML) and prints, per case, the tests tried and passed. A
case whose file sets `DATA_AT_STAKE = True` (streamed work, crash recovery) counts as data
lost when any of its tests fails.

Cost: one FAUST oscillator is compiled and built once; its render binary (0.5 s of sound) is
then run `--repeats` times the way the render ran before this sandbox (prlimit + `unshare -n`,
the baseline) and the way it runs now (prlimit + bubblewrap), interleaved, in the same run;
the whole compile + build + render is timed both ways too (tools confined or not).
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbench.config import load_settings  # noqa: E402
from workbench.validate import faust_render, sandbox  # noqa: E402
from workbench.validate.faust_compiler import compile_faust  # noqa: E402
from workbench.validate.faust_render import ARCHITECTURE, render_faust  # noqa: E402
from workbench.validate.sandbox import Confinement, prlimit_prefix, resource_limits, run_bounded  # noqa: E402

CASES = ROOT / "tests" / "reliability"
# the issue's cases that live with their own rooms' tests: streamed work and crash recovery,
# a backend that is down or never answers, bounded ingest
ROOM_CASES = [ROOT / "tests" / "execute" / "test_run_failures.py",
              ROOT / "tests" / "retrieval" / "test_bounded_reads.py"]
OSC = 'import("stdfaust.lib");\nprocess = os.osc(440) * 0.5;\n'
RATE, FRAMES = 48_000, 24_000


def run_cases() -> list[tuple[str, int, int, bool]]:
    """(case, tests tried, tests passed, data lost) per file of tests/reliability."""
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "cases.xml"
        subprocess.run([sys.executable, "-m", "pytest", str(CASES), *map(str, ROOM_CASES), "-q",
                        "-p", "no:randomly", f"--junitxml={report}"], cwd=ROOT, capture_output=True)
        cases = ElementTree.parse(report).getroot().iter("testcase")
        tally: dict[str, list[int]] = {}
        for case in cases:
            name = case.get("classname", "").rsplit(".", 1)[-1]
            failed = any(child.tag in ("failure", "error") for child in case)
            skipped = any(child.tag == "skipped" for child in case)
            counts = tally.setdefault(name, [0, 0])
            counts[0] += not skipped
            counts[1] += not (failed or skipped)
    rows = []
    for name, (tried, passed) in sorted(tally.items()):
        source = next((p for p in [*ROOM_CASES, CASES / f"{name}.py"] if p.stem == name), CASES / f"{name}.py")
        at_stake = re.search(r"^DATA_AT_STAKE = True", source.read_text(), re.MULTILINE)
        rows.append((name.removeprefix("test_").replace("_", " "), tried, passed, bool(at_stake) and passed < tried))
    return rows


def _p50_ms(run: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def render_costs(repeats: int) -> list[tuple[str, float, float]]:
    """(what, baseline p50 ms, sandboxed p50 ms)."""
    with tempfile.TemporaryDirectory(prefix="wb-bench-") as scratch:
        settings = load_settings(data_dir=Path(scratch) / "data")
        workdir = Path(scratch)
        compiled = compile_faust(OSC, settings, workdir, architecture=ARCHITECTURE)
        assert compiled.cpp_path, compiled.errors
        subprocess.run(["g++", "-std=c++17", "-O1", "-w", "program.cpp", "-o", "render"], cwd=workdir, check=True)
        render = ["./render", str(RATE), str(FRAMES), "out.raw"]
        limits = resource_limits(settings.validation.render_memory_mb, settings.validation.render_timeout_s, 64)
        before = [*prlimit_prefix(sandbox.prlimit_path(), limits), "unshare", "-n", "--", *render]

        def old() -> None:
            subprocess.run(before, cwd=workdir, check=True, capture_output=True, start_new_session=True)

        def new() -> None:
            run = run_bounded(render, cwd=workdir, timeout_s=settings.validation.render_timeout_s,
                              memory_mb=settings.validation.render_memory_mb, file_mb=64,
                              confinement=Confinement(workdir))
            assert run.returncode == 0, run.stderr

        old(), new()  # warm the page cache
        olds, news = [], []
        for _ in range(repeats):  # interleaved, so load on the machine hits both alike
            olds.append(_p50_ms(old, 1))
            news.append(_p50_ms(new, 1))
        rows = [("render binary run, 0.5 s of sound", statistics.median(olds), statistics.median(news))]

        def whole() -> None:
            outcome = render_faust(OSC, settings, 0.5)
            assert outcome.stats and not outcome.errors, outcome.errors

        confined = _p50_ms(whole, max(3, repeats // 3))
        with mock.patch.object(sandbox, "confinement_problem", lambda: "off for the baseline"), \
                mock.patch.object(faust_render, "Confinement", lambda scratch: None):
            unconfined = _p50_ms(whole, max(3, repeats // 3))
        rows.append(("whole check: compile + build + render, all confined vs none", unconfined, confined))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--skip-cases", action="store_true", help="only the sandbox's cost")
    args = parser.parse_args()
    if sandbox.confinement_problem():
        raise SystemExit(f"no sandbox here: {sandbox.confinement_problem()}")
    if not args.skip_cases:
        rows = run_cases()
        width = max(len(r[0]) for r in rows)
        print(f"{'case (tests/reliability)':<{width}}  tried  passed  data lost")
        for name, tried, passed, lost in rows:
            print(f"{name:<{width}}  {tried:>5}  {passed:>6}  {'yes' if lost else 'no':>9}")
        print(f"{'all cases: ' + str(len(rows)):<{width}}  {sum(r[1] for r in rows):>5}  "
              f"{sum(r[2] for r in rows):>6}  {sum(r[3] for r in rows):>9}")
        print()
    print(f"{'cost per render (p50)':<60}  {'before: prlimit + unshare -n':>28}  {'now: prlimit + bwrap':>20}  ratio")
    for name, before, now in render_costs(args.repeats):
        print(f"{name:<60}  {before:>25.1f} ms  {now:>17.1f} ms  {now / before:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
