"""The run timeline in a real browser, after a decomposed run stored in the data directory."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.ui.seeded_runs import seed_run
from tests.ui.test_browser import page, server  # noqa: F401 - the real streamlit server and chromium

TIMEOUT_MS = 120_000  # generous: the suite shares 2 cores


@pytest.fixture
def conversation(tmp_path: Path) -> int:
    """Seeded before `server` starts (it is named first in the test's arguments)."""
    return seed_run(tmp_path / "data", "one two three four five six", "Build a guitar effect",
                    decompose=True, token_delay_s=0.02)


def test_the_timeline_shows_each_subtask_under_the_answer_and_on_run_history(
        conversation: int, server: str, page: Page, tmp_path: Path):  # noqa: F811
    page.goto(f"{server}/?project=default&conversation={conversation}")
    answer = page.get_by_test_id("stChatMessage").nth(1)
    expect(answer.get_by_test_id("stFeedback")).to_be_visible(timeout=TIMEOUT_MS)  # the page is drawn
    timeline = answer.get_by_test_id("stExpander").filter(has_text="Timeline")
    timeline.locator("summary").click(timeout=TIMEOUT_MS)
    chart = timeline.get_by_test_id("stPlotlyChart")
    expect(chart).to_be_visible(timeout=TIMEOUT_MS)
    for row in ("whole run", "s1 · Design the distortion", "s2 · Sketch the GUI", "s3 · Integrate"):
        expect(chart).to_contain_text(row, timeout=TIMEOUT_MS)
    expect(chart).to_contain_text("tok/s")
    page.screenshot(path=str(tmp_path / "timeline-chat.png"), full_page=True)

    page.goto(f"{server}/Run_history?project=default")
    expect(page.get_by_role("heading", name="Timeline")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("stPlotlyChart").last).to_contain_text("s3 · Integrate", timeout=TIMEOUT_MS)
    page.screenshot(path=str(tmp_path / "timeline-history.png"), full_page=True)
