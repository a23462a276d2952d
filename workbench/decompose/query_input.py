"""Checks on what a caller hands the decomposer: the question text and its context.

Bad input fails here with a ValueError that says what is wrong and what to do, before
any analysis, cache or file sees it.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

_SPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_CONTEXT_CHARS = 20_000


def normalize_query(query: object, max_chars: int) -> str:
    """The question with whitespace collapsed and Unicode in NFC form.

    Raises ValueError for a non-string, an empty or over-long question, text that is not
    valid Unicode, or text that looks like binary data rather than something typed.
    """
    if not isinstance(query, str):
        raise ValueError(f"The question must be text, not {type(query).__name__}.")
    if len(query) > max_chars:
        raise ValueError(
            f"The question is {len(query):,} characters; the limit is {max_chars:,} "
            "(settings.limits.max_question_chars). Shorten it or attach the code as a project file."
        )
    try:
        query.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(
            f"The question is not valid Unicode text (unpaired surrogate at position {exc.start}); "
            "paste it again as plain text."
        ) from None
    if "\x00" in query or len(_CONTROL.findall(query)) > max(2, len(query) // 20):
        raise ValueError(
            "The question looks like binary data (NUL or many control characters); "
            "type the question as text, or paste the file's text rather than its bytes."
        )
    text = _SPACE.sub(" ", unicodedata.normalize("NFC", query)).strip()
    if not text:
        raise ValueError("Type a question first: the question is empty.")
    return text


def check_context(context: Mapping[str, Any] | None) -> dict[str, Any]:
    """A JSON-serializable copy of `context` (project_type, target_platform, ...)."""
    if context is None:
        return {}
    if not isinstance(context, Mapping):
        raise ValueError(
            f"The context must be a JSON object such as {{\"target_platform\": \"mac_vst\"}}, "
            f"not {type(context).__name__}."
        )
    try:
        text = json.dumps(dict(context), sort_keys=True, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"The context must hold only JSON values (text, numbers, lists, objects): {exc}") from None
    if len(text) > MAX_CONTEXT_CHARS:
        raise ValueError(
            f"The context is {len(text):,} characters of JSON; the limit is {MAX_CONTEXT_CHARS:,}. "
            "Put large material in project files instead."
        )
    return json.loads(text)
