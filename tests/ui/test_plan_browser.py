"""The plan is on the page before the first token, in a real browser: `streamlit run app.py`
with the real decomposer splitting the question and a scripted model that holds its first
token back (a model still loading), driven by Debian's chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.ui.test_browser import page, running_app  # noqa: F401 - page is a fixture
from workbench.ui.plan_view import PLAN_COLUMNS

FIRST_TOKEN_DELAY_S = 12  # long enough to see the page between the plan and the first word on 2 shared cores
FIRST_WORD = "Reverberation"
TIMEOUT_MS = 120_000


@pytest.fixture
def scripted_server(tmp_path: Path) -> Iterator[str]:
    env = {"WORKBENCH_DATA_DIR": str(tmp_path / "data"), "WORKBENCH_LLM__BACKEND": "scripted",
           "SCRIPTED_ANSWER": f"{FIRST_WORD} first, then the rest",
           "SCRIPTED_FIRST_TOKEN_DELAY_S": str(FIRST_TOKEN_DELAY_S)}
    with running_app(tmp_path, env, launcher="tests.ui.scripted_streamlit") as url:
        yield url


def test_the_plan_table_and_dag_are_visible_before_the_first_token(scripted_server: str, page: Page,  # noqa: F811
                                                                   tmp_path: Path):
    page.goto(scripted_server)
    expect(page.get_by_test_id("stSidebar").get_by_text("Active backend: scripted")).to_be_visible(timeout=30_000)
    page.get_by_test_id("stChatInputTextArea").fill("Write a FAUST reverb and wrap it in a JUCE plugin")
    page.keyboard.press("Enter")

    answer = page.get_by_test_id("stChatMessage").nth(1)
    table = answer.get_by_test_id("stMarkdownContainer").locator("table")
    expect(table).to_be_visible(timeout=TIMEOUT_MS)
    expect(table.locator("th")).to_have_text(list(PLAN_COLUMNS))
    expect(table.locator("tbody tr")).not_to_have_count(0)
    expect(answer.get_by_test_id("stPlotlyChart")).to_be_visible(timeout=TIMEOUT_MS)  # the DAG
    # the model has not said a word yet: no subtask text, no answer, a subtask box still running
    assert FIRST_WORD not in page.inner_text("body")
    expect(answer.get_by_test_id("stExpander").filter(has_text="(running)").first).to_be_visible()
    page.screenshot(path=str(tmp_path / "plan-before-first-token.png"), full_page=True)

    expect(answer).to_contain_text(FIRST_WORD, timeout=TIMEOUT_MS)  # then the words do come, under the plan
    expect(table).to_be_visible()
