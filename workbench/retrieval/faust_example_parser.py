"""FAUST example programs (`.dsp`) as entries: one per file, described by what it does.

Few examples declare a description, so the entry says what the program is from what it
holds: its folder ("reverb", "physicalModeling"), its name split into words ("lowShelf" →
"low shelf"), the libraries it calls by their subject ("re." → reverb) and the controls it
shows ("Gain", "Freq", "Q"). The text keeps the leading comments and the code (capped, so one
long example cannot fill a prompt's budget on its own).
"""

from __future__ import annotations

import re
from pathlib import Path

from workbench.vocabulary import DocSource
from workbench.retrieval.entries import Entry

MAX_EXAMPLE_CHARS = 4000
_DECLARE = re.compile(r'^\s*declare\s+(\w+)\s+"([^"]*)"\s*;', re.M)
_LIBRARY_CALL = re.compile(r"\b([a-z]{2})\.(\w+)")
_CONTROL = re.compile(r'\b(?:h|v)?(?:slider|nentry|button|checkbox)\s*\(\s*"([^"\[]*)')
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|_")
SUBJECTS = {  # the standard prefixes of stdfaust.lib, by what their functions do
    "an": "analysis", "ba": "basics", "co": "compressor dynamics", "de": "delay",
    "dm": "demo", "dx": "dx7 fm synthesis", "ef": "effect", "en": "envelope",
    "fd": "finite difference physical model", "fi": "filter", "ho": "higher order ambisonics",
    "ma": "math", "mo": "modal physical model", "no": "noise", "os": "oscillator",
    "pf": "phaser flanger", "pm": "physical model", "re": "reverb", "ro": "routing",
    "sf": "soundfile", "si": "signal smoothing", "sp": "spatialization panning",
    "sy": "synthesizer", "ve": "virtual analog effect", "wa": "webaudio", "wd": "wave digital filter",
}


def _words(name: str) -> str:
    return _CAMEL.sub(" ", name).lower()


def describe(relative: str, name: str, text: str) -> str:
    """"reverb example "freeverb" (free verb): reverb, filter; controls: Damp, RoomSize"."""
    folder = relative.rsplit("/", 1)[0] if "/" in relative else ""
    calls = {prefix for prefix, _ in _LIBRARY_CALL.findall(text)}
    subjects = [SUBJECTS[p] for p in sorted(calls) if p in SUBJECTS and p not in ("ma", "ba", "ro")]
    controls = list(dict.fromkeys(c.strip() for c in _CONTROL.findall(text) if c.strip()))
    parts = [f"{_words(folder)} example \"{name}\" ({_words(Path(relative).stem)})".strip()]
    if subjects:
        parts.append("uses " + ", ".join(subjects))
    if controls:
        parts.append("controls: " + ", ".join(controls[:12]))
    return "; ".join(parts)


def parse_example(path: Path, root: Path) -> Entry:
    """One entry for one example program."""
    text = path.read_text(encoding="utf-8", errors="replace")
    relative = path.relative_to(root).as_posix()
    declares = dict(_DECLARE.findall(text))
    name = declares.get("name") or path.stem
    calls = sorted({f"{p}.{n}" for p, n in _LIBRARY_CALL.findall(text)})
    body = text if len(text) <= MAX_EXAMPLE_CHARS else text[:MAX_EXAMPLE_CHARS] + "\n…"
    summary = declares.get("description", "")
    what = describe(relative, name, text)
    return Entry(
        id=f"example:{relative}",
        source=DocSource.FAUST_EXAMPLES,
        kind="example",
        title=relative,
        location=f"{relative}:1",
        path=str(path),
        line=1,
        text=f"FAUST example {relative}: {name}. {summary}\n{what}\n{body}",
        embed_text=f"FAUST {what}. {summary} calls {' '.join(calls[:30])}",
    )
