"""The FAUST bench in a real browser: open it under a checked FAUST block, see the block
diagram, move a slider and hear (measure) the new sound."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.ui.seeded_runs import seed_run
from tests.ui.test_browser import page, server  # noqa: F401 - the real streamlit server and chromium

TIMEOUT_MS = 120_000  # generous: the suite shares 2 cores
ANSWER = """A gain stage:

```faust
process = _ * hslider("gain", 0.5, 0, 1, 0.01);
```
"""
PEAK = re.compile(r"^peak (\d\.\d{3}) ·")


@pytest.fixture
def conversation(tmp_path: Path) -> int:
    """Seeded before `server` starts (it is named first in the test's arguments)."""
    return seed_run(tmp_path / "data", ANSWER, "A FAUST gain stage, please", decompose=False)


def _peak(page: Page) -> str:
    return PEAK.match(page.get_by_text(PEAK).inner_text())[1]


def test_a_slider_change_rerenders_and_the_block_diagram_is_shown(
        conversation: int, server: str, page: Page, tmp_path: Path):  # noqa: F811
    page.goto(f"{server}/?project=default&conversation={conversation}")
    expect(page.get_by_test_id("stFeedback")).to_be_visible(timeout=TIMEOUT_MS)  # the page is drawn
    page.get_by_role("button", name="Check the code").click(timeout=TIMEOUT_MS)
    page.get_by_text("Open the FAUST bench").click(timeout=TIMEOUT_MS)
    expect(page.get_by_text(PEAK)).to_be_visible(timeout=TIMEOUT_MS)
    assert _peak(page) == "0.250"  # white noise of amplitude 0.5 at gain 0.5
    diagram = page.get_by_test_id("stImage").locator("img")
    expect(diagram).to_be_visible(timeout=TIMEOUT_MS)
    assert diagram.evaluate("img => img.naturalWidth") > 0
    expect(page.get_by_test_id("stAudio")).to_have_count(2)  # the check's render and the bench's

    page.get_by_test_id("stSlider").filter(has_text="gain").get_by_role("slider").focus()
    page.keyboard.press("End")  # gain 1
    expect(page.get_by_text(re.compile(r"^peak 0\.500 ·"))).to_be_visible(timeout=TIMEOUT_MS)
    page.screenshot(path=str(tmp_path / "bench.png"), full_page=True)
