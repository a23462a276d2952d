"""Make a JSON schema safe for llama.cpp's grammar engine.

llama.cpp turns a schema into a GBNF grammar in which `maxLength: 4000` becomes thousands of
repeated rules; past its "sane defaults" the parser gives up and the process crashes. The
bounds that explode are dropped here; the caller validates the answer against the full schema
(pydantic) anyway, so nothing is lost but the grammar's share of the checking.
"""

from __future__ import annotations

from typing import Any

MAX_GRAMMAR_REPEAT = 32
_BOUNDED = ("maxLength", "minLength", "maxItems", "minItems")


def grammar_safe_schema(schema: Any) -> Any:
    """A copy of `schema` without string patterns and without length bounds over
    `MAX_GRAMMAR_REPEAT`, recursively."""
    if isinstance(schema, list):
        return [grammar_safe_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    safe = {}
    for key, value in schema.items():
        if key == "pattern" and isinstance(value, str):
            continue
        if key in _BOUNDED and isinstance(value, int) and value > MAX_GRAMMAR_REPEAT:
            continue
        if key == "properties" and isinstance(value, dict):
            safe[key] = {name: grammar_safe_schema(sub) for name, sub in value.items()}
        else:
            safe[key] = grammar_safe_schema(value)
    return safe
