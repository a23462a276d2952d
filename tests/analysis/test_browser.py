"""The Code analysis page in a real browser (Debian's chromium through Playwright) against a
real `streamlit run app.py`: type a folder, analyse, see the findings a person would see."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.ui.test_browser import page, server  # noqa: F401  (the UI room's fixtures)


def test_analyse_the_fixture_in_the_browser(server: str, page: Page, fixture_project: Path,  # noqa: F811
                                            tmp_path: Path) -> None:
    page.goto(f"{server}/Code_analysis")
    expect(page.get_by_role("heading", name="Code analysis")).to_be_visible(timeout=30_000)
    page.get_by_label("Folder or file to analyse").fill(str(fixture_project))
    page.get_by_role("button", name="Analyse").click()
    errors = page.get_by_test_id("stMetric").filter(has_text="Errors")
    expect(errors).to_contain_text("5", timeout=30_000)
    expect(page.get_by_text("Reset DSP state in prepareToPlay")).to_be_visible()
    # a plotly title: drawn once the browser has loaded plotly's 4.7 MB chunk, seconds on a busy machine
    expect(page.get_by_text("Complexity distribution")).to_be_visible(timeout=30_000)
    page.screenshot(path=str(tmp_path / "code-analysis.png"), full_page=True)

    folder = page.get_by_label("Folder or file to analyse")
    folder.fill("/no/such/folder")
    folder.press("Enter")  # commit the new value before the click reruns the page
    page.get_by_role("button", name="Analyse").click()
    expect(page.get_by_text("No such file or folder: /no/such/folder")).to_be_visible(timeout=30_000)
