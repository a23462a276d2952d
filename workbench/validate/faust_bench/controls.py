"""The controls of a compiled FAUST program, read from `faust -json`'s UI description.

The "ui" tree lists the widgets depth-first in the order of the program's
`buildUserInterface`, the order the bench binary takes its values in; bargraphs are outputs
and are left out. A `[style:menu{'a':0;'b':1}]` or `[style:radio{...}]` on a slider or
number entry becomes a choice of named values.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Literal

from pydantic import BaseModel

ControlKind = Literal["hslider", "vslider", "nentry", "button", "checkbox"]
CONTROL_KINDS: tuple[str, ...] = ControlKind.__args__
_CHOICE = re.compile(r"^(?:menu|radio)\{(?P<items>.*)\}$")
_CHOICE_ITEM = re.compile(r"'(?P<name>[^']*)'\s*:\s*(?P<value>-?[0-9.eE+-]+)")


class Control(BaseModel):
    """One input widget of the program; `address` is FAUST's own path, unique per program."""

    kind: ControlKind
    label: str
    address: str
    init: float = 0.0
    min: float = 0.0
    max: float = 1.0
    step: float = 0.0
    unit: str = ""
    tooltip: str = ""
    choices: dict[str, float] = {}  # name -> value, for menu and radio styles

    @property
    def is_switch(self) -> bool:
        return self.kind in ("button", "checkbox")

    def default(self) -> float:
        """The value the bench starts with: the program's own (a checkbox starts off), except
        that a button is pressed, so a synth gated by one is heard at once."""
        return 1.0 if self.kind == "button" else self.init

    def clamp(self, value: float) -> float:
        if self.is_switch:
            return 1.0 if value else 0.0
        return min(max(float(value), min(self.min, self.max)), max(self.min, self.max))


def _meta(item: dict[str, Any]) -> dict[str, str]:
    return {key: str(value) for entry in item.get("meta", []) for key, value in entry.items()}


def _choices(style: str) -> dict[str, float]:
    found = _CHOICE.match(style.strip())
    if not found:
        return {}
    return {m["name"]: float(m["value"]) for m in _CHOICE_ITEM.finditer(found["items"])}


def _walk(items: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for item in items:
        if "items" in item:
            yield from _walk(item["items"])
        else:
            yield item


def parse_controls(ui_json: dict[str, Any]) -> list[Control]:
    """The program's input controls in binary order; raises ValueError for a malformed tree."""
    controls = []
    for item in _walk(ui_json.get("ui", [])):
        if item.get("type") not in CONTROL_KINDS:
            continue
        meta = _meta(item)
        numeric = {k: float(item[k]) for k in ("init", "min", "max", "step") if k in item}
        try:
            controls.append(Control(
                kind=item["type"], label=item["label"], address=item["address"], **numeric,
                unit=meta.get("unit", ""), tooltip=meta.get("tooltip", ""),
                choices=_choices(meta.get("style", "")),
            ))
        except (KeyError, ValueError) as error:
            raise ValueError(f"faust's UI description has a malformed {item.get('type')}: {error}") from error
    return controls
