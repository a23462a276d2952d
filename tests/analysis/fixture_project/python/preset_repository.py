"""Presets of the fixture plugin, stored as JSON (written for the analysis tests)."""

import json
from pathlib import Path


class PresetRepository:
    """Loads and saves presets in one folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get(self, name: str) -> dict:
        """The preset called `name`."""
        return json.loads((self.folder / f"{name}.json").read_text())

    def save(self, name: str, values: dict) -> None:
        (self.folder / f"{name}.json").write_text(json.dumps(values))


def route_message(kind, channel, note, velocity, controller, value, strict):
    if kind == "note_on":
        if velocity == 0:
            return ("note_off", channel, note)
        if strict and not 0 <= note < 128:
            raise ValueError(note)
        return ("note_on", channel, note, velocity)
    elif kind == "note_off":
        return ("note_off", channel, note)
    elif kind == "cc":
        if controller == 64:
            return ("sustain", channel, value >= 64)
        elif controller == 1:
            return ("mod", channel, value)
        elif controller == 7:
            return ("volume", channel, value)
        elif controller == 10:
            return ("pan", channel, value)
        elif strict:
            raise ValueError(controller)
    elif kind == "pitch":
        return ("bend", channel, value - 8192 if value else 0)
    elif kind == "aftertouch" and value:
        return ("pressure", channel, value)
    return None
