"""Separate inline `<think>…</think>` reasoning from the answer while it streams.

Some servers (llama.cpp server, vLLM without a reasoning parser, older Ollama builds) put a
reasoning model's thoughts into the answer text between `<think>` tags. The tags can be cut
anywhere between two chunks, so the splitter holds back only the few characters that could
still become a tag. Whatever way a text is cut into chunks, the concatenated output is the
same as `split_think(text)` on the whole text.
"""

from __future__ import annotations

OPEN_TAG = "<think>"
CLOSE_TAG = "</think>"


class ThinkSplitter:
    """A streaming state machine: `feed()` each chunk, `flush()` once at the end.

    Each call returns `(content, thinking)`: the text now known to be answer, and the text
    now known to be reasoning. Leading whitespace of each part is dropped, because models
    put blank lines around the tags.
    """

    def __init__(self) -> None:
        self._inside = False
        self._pending = ""
        self._started = {False: False, True: False}  # has this part emitted text yet?

    def feed(self, text: str) -> tuple[str, str]:
        out = {False: [], True: []}
        rest = self._pending + text
        while True:
            tag = CLOSE_TAG if self._inside else OPEN_TAG
            at = rest.find(tag)
            if at < 0:
                break
            out[self._inside].append(self._emit(rest[:at]))
            self._inside = not self._inside
            rest = rest[at + len(tag):]
        keep = _partial_tag_suffix(rest, CLOSE_TAG if self._inside else OPEN_TAG)
        self._pending = rest[len(rest) - keep:] if keep else ""
        out[self._inside].append(self._emit(rest[: len(rest) - keep]))
        return "".join(out[False]), "".join(out[True])

    def flush(self) -> tuple[str, str]:
        """Release what was held back; an unclosed `<think>` stays thinking."""
        text = self._emit(self._pending)
        self._pending = ""
        return ("", text) if self._inside else (text, "")

    def _emit(self, text: str) -> str:
        if not self._started[self._inside]:
            text = text.lstrip()
            self._started[self._inside] = bool(text)
        return text


def _partial_tag_suffix(text: str, tag: str) -> int:
    """Length of the longest end of `text` that is the start of `tag`."""
    for size in range(min(len(tag) - 1, len(text)), 0, -1):
        if tag.startswith(text[-size:]):
            return size
    return 0


def split_think(text: str) -> tuple[str, str]:
    """Split a whole answer into `(content, thinking)`."""
    splitter = ThinkSplitter()
    content, thinking = splitter.feed(text)
    tail_content, tail_thinking = splitter.flush()
    return content + tail_content, thinking + tail_thinking
