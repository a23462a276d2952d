"""The installed documentation a repair prompt quotes: the usage line of every library function
the failing FAUST code calls, so the model sees the real signatures next to its own calls
(the suggestions for unknown names are in the errors' hints already). JUCE errors carry
their declarations in their hints (`juce_errors`), so C++ needs nothing more here."""

from __future__ import annotations

import re

from workbench.config import Settings
from workbench.validate.faust_source import mask
from workbench.validate.faust_symbols import faust_symbols
from workbench.validate.results import ValidationResult

MAX_LINES = 8
_QUALIFIED = re.compile(r"(?<![\w.])([a-z]{2})\.([A-Za-z_]\w*)")


def symbol_docs(code: str, language: str, result: ValidationResult, settings: Settings) -> str:
    """One line per library function the code uses, most relevant (named in an error) first."""
    if language != "faust" or not settings.validation.lint:
        return ""
    symbols = faust_symbols(settings)
    if symbols is None:
        return ""
    named = {e.symbol for e in result.errors if e.symbol}
    used = list(dict.fromkeys(_QUALIFIED.findall(mask(code))))
    used.sort(key=lambda pair: f"{pair[0]}.{pair[1]}" not in named)
    lines = []
    for prefix, name in used:
        if symbol := symbols.member(prefix, name):
            lines.append("- " + symbols.card(prefix, symbol))
    return "\n".join(lines[:MAX_LINES])
