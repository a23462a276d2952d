"""The chat page's own cost: following a streaming run, and redrawing a long history.

1. Streaming: one direct answer of 200 words from a scripted backend at 5 ms per word,
   asked through the facade alone (baseline) and through the real chat page run by
   Streamlit's AppTest (polling the run's events, st.write_stream, storing, the rerun that
   redraws it from the database). The ratio is what the page adds to a run.
2. History: a rerun of the chat page showing a conversation of 1 exchange (baseline) and of
   50 exchanges, each answer with feedback widgets and its caption.
3. FAUST bench: from a slider change to the new sound being playable (goal <= 100 ms on 2
   cores). Baseline: what a changed program costs without the bench, faust compile + g++
   build + 0.5 s render (`render_faust`). Measured: the built bench binary re-run with the new
   value into a WAV (`render_bench`), and the whole bench view's rerun after a slider change
   in AppTest (widgets, render, waveform, spectrum, response plots, audio element), each
   value heard for the first time (no render cache hit).
4. Plan (--plan, or --plan-only for this case alone): from Enter to the plan table being
   drawn in a real browser (goal <= 1 s), for three questions the real router splits, asked
   in turn on one page (`streamlit run app.py` with a scripted model that holds its first
   token back, Debian's chromium). Baseline: the same questions through the facade alone,
   from the call to the run's PLAN event. The first question is shown apart (it loads the
   router); then the p50 of the others.

    .venv/bin/python bench/ui.py [--plan | --plan-only]
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["WORKBENCH_CONFIG"] = str(ROOT / "tests" / "no-such-settings.toml")

from streamlit.testing.v1 import AppTest  # noqa: E402

from multi_model_system import MultiModelGLMSystem  # noqa: E402
from workbench.config import load_settings  # noqa: E402
from workbench.domain import EventKind  # noqa: E402
from workbench.llm.scripted import ScriptedBackend, use_backend  # noqa: E402
from workbench.ui import session  # noqa: E402
from workbench.validate.faust_bench import TestInput, build_bench, generated_input, render_bench  # noqa: E402
from workbench.validate.faust_render import render_faust  # noqa: E402

WORDS = 200
TOKEN_DELAY_S = 0.005
REPEATS = 3
APP = str(ROOT / "app.py")
BENCH_PROGRAM = """import("stdfaust.lib");
process = _ * hslider("gain", 0.5, 0, 1, 0.001) : fi.lowpass(2, hslider("cutoff", 2000, 100, 8000, 1));
"""
BENCH_SECONDS = 0.5
BENCH_REPEATS = 9


def facade(data_dir: Path) -> MultiModelGLMSystem:
    settings = load_settings(data_dir=data_dir, llm={"backend": "embedded", "ollama_host": "http://127.0.0.1:9"})
    backend = ScriptedBackend(" ".join(f"word{i}" for i in range(WORDS)), token_delay_s=TOKEN_DELAY_S)
    return MultiModelGLMSystem(use_backend(settings, backend), retriever=None, validator=None)


def use(glm: MultiModelGLMSystem) -> None:
    session.facade_factory = lambda: glm
    session.get_system.clear()


def page(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(query or {})
    at.run()
    at.toggle(key="decompose").set_value(False)
    return at.run()


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def streaming(tmp: Path) -> tuple[float, float]:
    glm = facade(tmp / "stream")
    use(glm)
    direct = [timed(lambda: glm.chat_with_model_enhanced("q", use_hrm_decomposition=False)) for _ in range(REPEATS)]
    through_page = []
    for _ in range(REPEATS):
        at = page()
        at.chat_input[0].set_value("q")
        through_page.append(timed(lambda: at.run()))
        assert f"word{WORDS - 1}" in at.chat_message[1].markdown[0].value
    return statistics.median(direct), statistics.median(through_page)


def history(tmp: Path, exchanges: int) -> float:
    glm = facade(tmp / f"history-{exchanges}")
    glm.backend.token_delay_s = 0
    use(glm)
    first = glm.chat_with_model_enhanced("q0", use_hrm_decomposition=False)
    for i in range(1, exchanges):
        glm.chat_with_model_enhanced(f"q{i}", use_hrm_decomposition=False, conversation_id=first.conversation_id)
    at = page({"project": "default", "conversation": str(first.conversation_id)})
    assert len(at.chat_message) == 2 * exchanges
    return statistics.median(timed(lambda: at.run()) for _ in range(REPEATS))


def rebuild_and_render(data_dir: Path) -> float:
    """p50 of what a changed program costs without the bench: compile, build, render."""
    settings = load_settings(data_dir=data_dir)
    return statistics.median(timed(lambda: render_faust(BENCH_PROGRAM, settings, BENCH_SECONDS))
                             for _ in range(REPEATS))


def slider_to_sound(data_dir: Path) -> float:
    """p50 from a new gain value to its WAV, re-running the built bench binary."""
    settings = load_settings(data_dir=data_dir)
    program = build_bench(BENCH_PROGRAM, settings).program
    rate = settings.validation.render_sample_rate
    signal = generated_input(TestInput.WHITE_NOISE, int(BENCH_SECONDS * rate), rate)
    renders = [render_bench(program, settings, {"/program/gain": (i + 1) / 100}, signal, BENCH_SECONDS)
               for i in range(BENCH_REPEATS)]
    assert all(r.wav_bytes and not r.errors for r in renders)
    return statistics.median(r.duration_s for r in renders)


def _bench_page(data_dir: str, code: str) -> None:
    from workbench.config import load_settings
    from workbench.ui.faust_bench_view import render_faust_bench

    render_faust_bench(code, load_settings(data_dir=data_dir), key="bench")


def slider_to_sound_in_the_view(data_dir: Path) -> float:
    """p50 of the bench view's rerun after a slider change (AppTest, no browser)."""
    at = AppTest.from_function(_bench_page, args=(str(data_dir), BENCH_PROGRAM), default_timeout=60).run()
    at.toggle(key="bench-bench").set_value(True).run()
    assert not at.exception, at.exception
    at.select_slider(key="bench-seconds").set_value(BENCH_SECONDS).run()
    gain = next(s for s in at.slider if s.label == "gain")
    times = []
    for i in range(BENCH_REPEATS):
        gain.set_value(0.2 + i / 100)
        times.append(timed(lambda: at.run()))
        assert not at.exception and len(at.get("audio")) == 1
    return statistics.median(times)


SPLIT_QUESTIONS = [f"Write a FAUST {effect} and wrap it in a JUCE plugin" for effect in ("reverb", "delay", "tremolo")]
PLAN_FIRST_TOKEN_DELAY_S = 2.0  # the model starts after the plan is drawn, so it does not share the cores


def question_to_plan(data_dir: Path) -> list[float]:
    """Baseline: seconds from asking each of SPLIT_QUESTIONS to the run's PLAN event, through the
    facade alone (real decomposer, scripted model, no page); the first includes loading the router."""
    settings = load_settings(data_dir=data_dir, llm={"backend": "embedded", "ollama_host": "http://127.0.0.1:9"})
    glm = MultiModelGLMSystem(use_backend(settings, ScriptedBackend("ok")), retriever=None, validator=None)
    seconds = []
    for question in SPLIT_QUESTIONS:
        planned: list[float] = []
        started = time.perf_counter()
        result = glm.chat_with_model_enhanced(question, on_event=lambda e: planned.append(time.perf_counter())
                                              if e.kind == EventKind.PLAN else None)
        assert len(result.subtasks) > 1, f"the router answered {question!r} directly: pick a question it splits"
        seconds.append(planned[0] - started)
    return seconds


PLAN_TABLE = "[data-testid=stMarkdownContainer] table"  # the plan table inside an answer
# the page's own clock: Enter's keydown, then each animation frame until the plan table has a size
# (Playwright's expect polls every 0.5 s once 0.27 s have passed, which rounded a 0.4 s plan up to 0.8 s)
ENTER_CLOCK = ("document.addEventListener('keydown', "
               "e => { if (e.key === 'Enter') window.enteredAt = performance.now(); }, true);")
PLAN_SHOWN = """([answer, table]) => {
    const shown = document.querySelectorAll('[data-testid=stChatMessage]')[answer]?.querySelector(table);
    return shown && shown.getBoundingClientRect().height > 0 && (performance.now() - window.enteredAt) / 1000;
}"""


def enter_to_plan_visible(data_dir: Path) -> list[float]:
    """Seconds from Enter in the chat to the plan table being drawn in a real browser, for each
    of SPLIT_QUESTIONS asked in turn on one page (`streamlit run app.py`, Debian's chromium,
    the real decomposer, a scripted model holding its first token back), on the page's clock."""
    from playwright.sync_api import expect, sync_playwright

    from tests.ui.test_browser import CHROMIUM, CHROMIUM_ARGS, running_app

    env = {"WORKBENCH_DATA_DIR": str(data_dir / "data"), "WORKBENCH_LLM__BACKEND": "scripted",
           "SCRIPTED_FIRST_TOKEN_DELAY_S": str(PLAN_FIRST_TOKEN_DELAY_S)}
    data_dir.mkdir(parents=True, exist_ok=True)
    seconds = []
    with running_app(data_dir, env, launcher="tests.ui.scripted_streamlit") as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.add_init_script(ENTER_CLOCK)
        page.goto(url)
        for number, question in enumerate(SPLIT_QUESTIONS):
            box = page.get_by_test_id("stChatInputTextArea")
            expect(box).to_be_enabled(timeout=60_000)
            box.fill(question)
            page.keyboard.press("Enter")
            shown = page.wait_for_function(PLAN_SHOWN, arg=[2 * number + 1, PLAN_TABLE], polling="raf",
                                           timeout=120_000)
            seconds.append(shown.json_value())
            answer = page.get_by_test_id("stChatMessage").nth(2 * number + 1)
            expect(answer.get_by_test_id("stFeedback")).to_be_visible(timeout=120_000)  # stored: ask the next
        browser.close()
    return seconds


def plan_rows(tmp: Path) -> list[tuple[str, float, float]]:
    facade_s, page_s = question_to_plan(tmp / "plan-facade"), enter_to_plan_visible(tmp / "plan-page")
    facade_warm, page_warm = statistics.median(facade_s[1:]), statistics.median(page_s[1:])
    return [
        ("question -> plan event, facade alone, first question (baseline)", facade_s[0], 1.0),
        ("Enter -> plan table visible (browser), first question", page_s[0], page_s[0] / facade_s[0]),
        (f"question -> plan event, facade alone, p50 of the next {len(facade_s) - 1} (baseline)", facade_warm, 1.0),
        (f"Enter -> plan table visible (browser), p50 of the next {len(page_s) - 1}", page_warm,
         page_warm / facade_warm),
    ]


def main() -> None:
    if "--plan-only" in sys.argv:
        with tempfile.TemporaryDirectory() as tmp:
            print_rows(plan_rows(Path(tmp)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        direct, through_page = streaming(Path(tmp))
        short, long = history(Path(tmp), 1), history(Path(tmp), 50)
        rebuild = rebuild_and_render(Path(tmp) / "faust")
        rerun = slider_to_sound(Path(tmp) / "faust")
        in_view = slider_to_sound_in_the_view(Path(tmp) / "faust")
        plan = plan_rows(Path(tmp)) if "--plan" in sys.argv else []
    rows = [
        (f"direct answer, {WORDS} words at {TOKEN_DELAY_S * 1000:g} ms: facade alone (baseline)", direct, 1.0),
        ("same answer through the chat page (AppTest)", through_page, through_page / direct),
        ("chat page rerun, 1 exchange (baseline)", short, 1.0),
        ("chat page rerun, 50 exchanges", long, long / short),
        (f"FAUST change: compile + build + {BENCH_SECONDS:g} s render, p50 (baseline)", rebuild, 1.0),
        ("slider change -> playable WAV, bench binary re-run, p50", rerun, rerun / rebuild),
        ("slider change -> bench view redrawn (AppTest), p50", in_view, in_view / rebuild),
        *plan,
    ]
    print_rows(rows)


def print_rows(rows: list[tuple[str, float, float]]) -> None:
    width = max(len(r[0]) for r in rows)
    print(f"{'what':<{width}}  {'seconds':>8}  {'ratio':>6}")
    for what, seconds, ratio in rows:
        print(f"{what:<{width}}  {seconds:8.3f}  {ratio:6.2f}")


if __name__ == "__main__":
    main()
