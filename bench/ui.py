"""The chat page's own cost: following a streaming run, and redrawing a long history.

1. Streaming: one direct answer of 200 words from a scripted backend at 5 ms per word,
   asked through the facade alone (baseline) and through the real chat page run by
   Streamlit's AppTest (polling the run's events, st.write_stream, storing, the rerun that
   redraws it from the database). The ratio is what the page adds to a run.
2. History: a rerun of the chat page showing a conversation of 1 exchange (baseline) and of
   50 exchanges, each answer with feedback widgets and its caption.

    .venv/bin/python bench/ui.py
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
from workbench.llm.scripted import ScriptedBackend, use_backend  # noqa: E402
from workbench.ui import session  # noqa: E402

WORDS = 200
TOKEN_DELAY_S = 0.005
REPEATS = 3
APP = str(ROOT / "app.py")


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


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        direct, through_page = streaming(Path(tmp))
        short, long = history(Path(tmp), 1), history(Path(tmp), 50)
    rows = [
        (f"direct answer, {WORDS} words at {TOKEN_DELAY_S * 1000:g} ms: facade alone (baseline)", direct, 1.0),
        ("same answer through the chat page (AppTest)", through_page, through_page / direct),
        ("chat page rerun, 1 exchange (baseline)", short, 1.0),
        ("chat page rerun, 50 exchanges", long, long / short),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'what':<{width}}  {'seconds':>8}  {'ratio':>6}")
    for what, seconds, ratio in rows:
        print(f"{what:<{width}}  {seconds:8.3f}  {ratio:6.2f}")


if __name__ == "__main__":
    main()
