"""End to end in a real browser: `streamlit run app.py` on the real embedded model, driven
by Debian's chromium through Playwright (no browser is ever downloaded).

A person's path: open the page, see which backend answers, ask, watch the answer stream,
reload, find the conversation again. Screenshots land in the test's tmp dir.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Locator, Page, expect, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.ui.conftest import ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
START_TIMEOUT_S = 60
ANSWER_TIMEOUT_MS = 60_000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_app(tmp_path: Path, env: dict[str, str], launcher: str = "streamlit") -> Iterator[str]:
    """A real `streamlit run app.py` on 127.0.0.1 with `env` over this process's environment
    (the embedded backend, no Ollama, unless `env` says otherwise); its URL once healthy, and
    the server stopped afterwards. Its log is `tmp_path/streamlit.log`. `launcher` is the
    module run with `python -m` (`tests.ui.scripted_streamlit`: the scripted backend first)."""
    port = free_port()
    env = {**os.environ, "WORKBENCH_LLM__BACKEND": "embedded", "WORKBENCH_LLM__OLLAMA_HOST": "http://127.0.0.1:9",
           **env}
    log_path = tmp_path / "streamlit.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", launcher, "run", "app.py", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_until_healthy(url, process, log_path)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """The app on the embedded backend with a private data dir."""
    with running_app(tmp_path, {"WORKBENCH_DATA_DIR": str(tmp_path / "data"),
                                "WORKBENCH_LLM__MAX_ANSWER_TOKENS": "64"}) as url:
        yield url


def _wait_until_healthy(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"streamlit exited with {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{url}/_stcore/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"streamlit did not answer within {START_TIMEOUT_S} s:\n{log.read_text()}")


@pytest.fixture
def page() -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser.new_page(viewport={"width": 1280, "height": 900})
        finally:
            browser.close()


def test_ask_watch_the_stream_reload_and_find_the_history(server: str, page: Page, tmp_path: Path):
    page.goto(server)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text("Active backend: embedded")).to_be_visible(timeout=30_000)
    page.get_by_text("Decompose complex questions").click()

    page.get_by_test_id("stChatInputTextArea").fill("What is FAUST?")
    page.keyboard.press("Enter")
    answer = page.get_by_test_id("stChatMessage").nth(1)
    expect(answer).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    snapshots = _answer_text_while_streaming(answer)
    expect(answer.get_by_test_id("stFeedback")).to_be_visible(timeout=ANSWER_TIMEOUT_MS)  # stored and redrawn
    final = _words(answer.get_by_test_id("stMarkdownContainer").first.inner_text())
    page.screenshot(path=str(tmp_path / "answered.png"), full_page=True)
    assert final, "the embedded model gave an empty answer"
    partial = [s for s in snapshots if s and len(s) < len(final)]
    assert partial and final.startswith(partial[0]), f"no partial answer was seen: {snapshots}"
    assert "conversation=" in page.url and "project=default" in page.url

    page.reload()
    messages = page.get_by_test_id("stChatMessage")
    expect(messages.nth(1)).to_be_visible(timeout=30_000)
    expect(messages.nth(0)).to_contain_text("What is FAUST?")
    expect(messages.nth(1)).to_contain_text(final[:40])
    expect(page.get_by_test_id("stSidebar").get_by_role("button", name="What is FAUST?")).to_be_visible()
    page.screenshot(path=str(tmp_path / "reloaded.png"), full_page=True)


def test_the_sidebar_names_every_page_and_a_deep_link_opens_its_page(server: str, page: Page):
    page.goto(server)
    nav = page.get_by_test_id("stSidebarNav")
    expected = {"Chat": "", "Projects": "Projects", "Run history": "Run_history", "Knowledge": "Knowledge",
                "Code analysis": "Code_analysis"}
    for title, path in expected.items():
        link = nav.get_by_role("link", name=title)
        expect(link).to_be_visible(timeout=30_000)
        assert link.get_attribute("href").rstrip("/").endswith(f"/{path}".rstrip("/"))

    page.goto(f"{server}/Run_history?project=default")
    expect(page.get_by_role("heading", name="Run history")).to_be_visible(timeout=30_000)
    assert "project=default" in page.url


def _words(text: str) -> str:
    return " ".join(text.split())


def _answer_text_while_streaming(answer: Locator) -> list[str]:
    """The answer's text, sampled until the stored answer (with its feedback) is drawn."""
    seen: list[str] = []
    deadline = time.monotonic() + ANSWER_TIMEOUT_MS / 1000
    text = answer.get_by_test_id("stMarkdownContainer").first
    while time.monotonic() < deadline and not answer.get_by_test_id("stFeedback").count():
        try:
            snapshot = _words(text.inner_text(timeout=500))
        except PlaywrightTimeoutError:  # redrawn between two samples
            continue
        if snapshot and (not seen or snapshot != seen[-1]):
            seen.append(snapshot)
        time.sleep(0.02)
    return seen
