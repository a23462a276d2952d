"""Analysis bench: what the code analysis costs on real code, each figure next to a baseline
measured in the same run.

    .venv/bin/python bench/analysis.py [--faust-files 12]

- metrics: our full per-file analysis (lizard + ast + patterns) of JUCE's juce_dsp module vs
  lizard alone on the same files (the baseline: the part we cannot make cheaper);
- real-time checks over the same C++ files, as a share of the per-file analysis;
- FAUST: our compile check of the shipped FAUST examples vs a bare `faust` run per file;
- corpus: build_corpus of juce_dsp vs the per-file analysis;
- advisor: the context building of an advisor run (analysis + ranking of the fixture project)
  on a scripted zero-latency backend vs the same question without a context folder.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import lizard

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from multi_model_system import MultiModelGLMSystem  # noqa: E402
from workbench.advisors.assistants import DebugAssistant  # noqa: E402
from workbench.analysis.analyzer import analyze_source  # noqa: E402
from workbench.analysis.audio_checks import check_realtime  # noqa: E402
from workbench.analysis.context_reader import read_sources  # noqa: E402
from workbench.analysis.corpus import build_corpus  # noqa: E402
from workbench.analysis.faust_check import check_faust  # noqa: E402
from workbench.config import load_settings  # noqa: E402
from workbench.llm.scripted import ScriptedBackend, use_backend  # noqa: E402

JUCE_DSP = Path("/usr/share/juce/modules/juce_dsp")
FAUST_EXAMPLES = Path("/usr/share/faust/examples")
FIXTURE = ROOT / "tests" / "analysis" / "fixture_project"


def timed(work) -> tuple[float, object]:
    started = time.perf_counter()
    value = work()
    return time.perf_counter() - started, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faust-files", type=int, default=12)
    args = parser.parse_args()
    settings = load_settings(data_dir=Path(tempfile.mkdtemp(prefix="bench-analysis-")),
                             llm={"backend": "embedded", "ollama_host": "http://127.0.0.1:9"})
    rows: list[tuple[str, str, float, str, float]] = []

    contents = read_sources(JUCE_DSP)
    cpp = [s for s in contents.files if s.language == "cpp"]
    lines = sum(s.text.count("\n") for s in cpp)
    base, _ = timed(lambda: [lizard.analyze_file.analyze_source_code("x.cpp", s.text) for s in cpp])
    ours, files = timed(lambda: [analyze_source(s, settings) for s in cpp])
    functions = sum(len(f.functions) for f in files)
    rows.append((f"metrics of juce_dsp ({len(cpp)} files, {lines} lines, {functions} functions)",
                 "s", ours, "lizard alone", base))
    checks, findings = timed(lambda: check_realtime(cpp))
    rows.append((f"real-time checks of juce_dsp ({len(findings)} findings)", "s", checks, "per-file analysis", ours))
    corpus_s, corpus = timed(lambda: build_corpus(JUCE_DSP))
    rows.append((f"build_corpus of juce_dsp ({corpus['metadata']['functions']} functions)", "s", corpus_s,
                 "per-file analysis", ours))

    dsp = [s for s in read_sources(FAUST_EXAMPLES).files if s.language == "faust"][: args.faust_files]
    ours_ms, bare_ms, failing = [], [], 0
    for source in dsp:
        seconds, found = timed(lambda: check_faust(source, settings))
        ours_ms.append(seconds * 1000)
        failing += any(f.severity == "error" for f in found)
        with tempfile.TemporaryDirectory() as scratch:
            seconds, _ = timed(lambda: subprocess.run(["faust", str(source.path), "-o", f"{scratch}/x.cpp"],
                                                      capture_output=True, cwd=source.path.parent))
        bare_ms.append(seconds * 1000)
    rows.append((f"FAUST check p50 ({len(dsp)} examples, {failing} failing)", "ms",
                 statistics.median(ours_ms), "bare faust p50", statistics.median(bare_ms)))

    glm = MultiModelGLMSystem(use_backend(settings, ScriptedBackend("ok\n1. step")), retriever=None, validator=None)
    advisor = DebugAssistant(glm=glm)
    question = "The plugin crackles when I move the gain slider"
    advisor.debug_problem(question)  # warm up: imports, the decomposer's first load
    without, _ = timed(lambda: advisor.debug_problem(question))
    with_context, _ = timed(lambda: advisor.debug_problem(question, FIXTURE))
    rows.append(("advisor run with the fixture as context (fake backend)", "s", with_context,
                 "same run without context", without))

    print(f"{'figure':<68} {'value':>10}  {'baseline':<26} {'value':>10} {'ratio':>7}")
    for name, unit, value, base_name, base_value in rows:
        ratio = value / base_value if base_value else float("nan")
        print(f"{name:<68} {value:>8.3f}{unit:>2}  {base_name:<26} {base_value:>8.3f}{unit:>2} {ratio:>6.2f}×")


if __name__ == "__main__":
    main()
