"""The Models page in a real browser: a role's missing model pulled from a local server that
streams Ollama's pull lines, the progress bar moving while the pull is still running."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.llm.test_model_pull import PULL_LINES, PullServer, pull_server
from tests.ui.test_browser import page, running_app  # noqa: F401 - page is a fixture

HELD_AT = 2  # the server pauses after "25 of 50 MB"


@pytest.fixture
def ollama() -> Iterator[PullServer]:
    with pull_server(PULL_LINES, hold_after=HELD_AT) as server:
        yield server


@pytest.fixture
def app(tmp_path: Path, ollama: PullServer) -> Iterator[str]:
    config = tmp_path / "settings.toml"
    config.write_text(f'[hosts.laptop]\nbackend = "ollama"\nbase_url = "{ollama.url}"\n'
                      '[roles.coder]\nhost = "laptop"\n')
    with running_app(tmp_path, {"WORKBENCH_CONFIG": str(config), "WORKBENCH_DATA_DIR": str(tmp_path / "data")}) as url:
        yield url


def test_the_pull_progress_bar_moves_while_ollama_streams(app: str, page: Page, ollama: PullServer, tmp_path: Path):
    page.goto(f"{app}/Models")
    expect(page.get_by_text("not installed there")).to_be_visible(timeout=30_000)
    page.get_by_role("button", name="Pull qwen2.5-coder:32b on laptop").click()

    bar = page.get_by_test_id("stProgress")
    expect(bar).to_contain_text("pulling 6a0746a1ec1a — 25 of 50 MB", timeout=30_000)
    assert not ollama.gate.is_set()  # seen while the server is still holding the rest back
    page.screenshot(path=str(tmp_path / "pulling.png"), full_page=True)
    ollama.gate.set()
    expect(page.get_by_text("Pulled qwen2.5-coder:32b on laptop")).to_be_visible(timeout=30_000)
    expect(bar).to_contain_text("success")
