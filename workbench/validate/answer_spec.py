"""What a question asks the sound to be, read from the words people use.

"a 440Hz sine", "delayed by a quarter second", "stereo in/out", "two outputs", "a button named
gate", "amplitude 0.25", "a lowpass at 1 kHz": each becomes a field of an `AnswerSpec`, which
`spec_checks` turns into checks of the rendered sound. Only what the question states is
read; a question that states nothing gives an empty spec and no checks.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "six": 6, "eight": 8, "single": 1, "a": 1}
_FRACTION_WORDS = {"a quarter": 0.25, "quarter": 0.25, "a half": 0.5, "half a": 0.5, "half": 0.5,
                   "a third": 1 / 3, "three quarters": 0.75, "one": 1.0, "two": 2.0, "a": 1.0}
_NUM = r"(\d+(?:\.\d+)?|\.\d+)"
_FREQUENCY = re.compile(rf"{_NUM}\s*(k?hz)\b", re.I)
_DELAY_NUMBER = re.compile(rf"{_NUM}\s*(ms|milliseconds?|msec|s|sec|secs|seconds?)\b", re.I)
_DELAY_WORDS = re.compile(r"\b(a quarter|quarter|a half|half a|half|a third|three quarters|one|two|a)"
                          r"(?:\s+of\s+a)?\s+(second|sec)s?\b", re.I)
_TONE_WORDS = re.compile(r"\b(sine|sinus|saw\w*|square|triangle|tone|oscillator|osc|carrier|wave|beep|pitch|note)\b", re.I)
_FILTER_KIND = re.compile(r"\b(low-?pass|high-?pass|band-?pass|resonant|notch|cutoff|filter)\b", re.I)
_MODULATOR = re.compile(r"\b(modulat\w*|lfo|tremolo|vibrato|deviation|rate)\b", re.I)
_COUNT = r"(\d+|one|two|three|four|six|eight|single|a)"
_INPUTS = re.compile(rf"\b{_COUNT}\s+(?:mono\s+|audio\s+)?inputs?\b", re.I)
_OUTPUTS = re.compile(rf"\b{_COUNT}\s+(?:mono\s+|audio\s+)?outputs?\b", re.I)
_STEREO_BOTH = re.compile(r"\bstereo\s+(in\s*/\s*out|in\s+and\s+out|inputs?\s+and\s+outputs?|i/o|effect)\b", re.I)
_CONTROL = re.compile(
    r"\b(button|checkbox|toggle|h(?:orizontal)?\s*slider|v(?:ertical)?\s*slider|slider|knob|nentry)\b"
    r"(?:\s+(?:named|called|labell?ed))\s+[\"'“]?([\w ]+?)[\"'”]?(?=[\s,.;)]|$)", re.I)
_AMPLITUDE = re.compile(
    rf"\b(?:peak\s+)?(?:amplitude|level|volume)(?:\s+of)?\s+{_NUM}\b|\bat\s+{_NUM}\s+amplitude\b"
    rf"|\bamplitude\s*[=:]\s*{_NUM}", re.I)
_PEAK_BELOW = re.compile(rf"\bpeak\s+(?:level|amplitude)?\s*(?:below|under|at most|<=?)\s+{_NUM}", re.I)


class Control(BaseModel):
    kind: str  # "button", "checkbox", "slider"
    label: str


class AnswerSpec(BaseModel):
    """What the question states about the sound; None / empty: it says nothing of that."""

    tone_hz: float | None = None  # the pitch to hear (a sine at 440 Hz)
    filter_kind: str | None = None  # "lowpass", "highpass", "bandpass"
    filter_hz: float | None = None
    delay_s: float | None = None
    inputs: int | None = None
    outputs: int | None = None
    amplitude: float | None = None  # the generated signal's peak
    peak_max: float | None = None  # "peak below 0.5"
    controls: list[Control] = Field(default_factory=list)
    envelope: bool = False  # a gate opens and closes the sound
    dc_free: bool = False  # "DC blocker", "remove the offset"

    def is_empty(self) -> bool:
        return self == AnswerSpec()


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBER_WORDS[word.lower()]


def _hz(value: str, unit: str) -> float:
    return float(value) * (1000 if unit.lower() == "khz" else 1)


def _near(text: str, start: int, end: int, pattern: re.Pattern, before: int = 40, after: int = 25) -> re.Match | None:
    return pattern.search(text[max(0, start - before) : end + after])


def _frequencies(question: str, spec: AnswerSpec) -> None:
    for match in _FREQUENCY.finditer(question):
        hz = _hz(match.group(1), match.group(2))
        start, end = match.start(), match.end()
        window_before = question[max(0, start - 40) : start]
        window_after = question[end : end + 25]
        filter_word = _FILTER_KIND.search(window_before.split(",")[-1] + " " + window_after.split(",")[0])
        if filter_word and spec.filter_hz is None:
            kind = filter_word.group(1).lower().replace("-", "")
            spec.filter_kind = kind if kind in ("lowpass", "highpass", "bandpass") else (
                "bandpass" if "band" in window_before + window_after else spec.filter_kind or "lowpass")
            spec.filter_hz = hz
            continue
        if hz < 20 or _MODULATOR.search(window_before[-25:]) or re.search(r"\bby\s+(a|an)?\s*$", window_before):
            continue  # an LFO rate or a modulator, not the pitch
        if spec.tone_hz is None and (_near(question, start, end, _TONE_WORDS) or not _FILTER_KIND.search(question)):
            spec.tone_hz = hz


def _delay(question: str, spec: AnswerSpec) -> None:
    if not re.search(r"\b(delay\w*|echo\w*|later|lag)\b", question, re.I):
        return
    for match in _DELAY_NUMBER.finditer(question):
        unit = match.group(2).lower()
        spec.delay_s = float(match.group(1)) / (1000 if unit.startswith("m") else 1)
        return
    if words := _DELAY_WORDS.search(question):
        spec.delay_s = _FRACTION_WORDS[words.group(1).lower()]


def _channels(question: str, spec: AnswerSpec) -> None:
    if inputs := _INPUTS.search(question):
        spec.inputs = _count(inputs.group(1))
    if outputs := _OUTPUTS.search(question):
        spec.outputs = _count(outputs.group(1))
    if _STEREO_BOTH.search(question):
        spec.inputs = spec.inputs or 2
        spec.outputs = spec.outputs or 2
    elif re.search(r"\bstereo\b", question, re.I):
        spec.outputs = spec.outputs or 2
    elif re.search(r"\bmono\b", question, re.I) and not re.search(r"\bmono\s+(input|in)\b", question, re.I):
        spec.outputs = spec.outputs or 1
    if re.search(r"\bmono\s+(input|in)\b", question, re.I):
        spec.inputs = spec.inputs or 1


def _controls(question: str, spec: AnswerSpec) -> None:
    for match in _CONTROL.finditer(question):
        word = match.group(1).lower()
        kind = "button" if word == "button" else "checkbox" if word in ("checkbox", "toggle") else "slider"
        label = match.group(2).strip()
        spec.controls.append(Control(kind=kind, label=label))
    gated = any(c.kind == "button" for c in spec.controls) or re.search(r"\bgate\b", question, re.I)
    spec.envelope = bool(gated and re.search(r"\b(adsr|asr|ar|envelope|gate[ds]?|pressed|attack|release)\b", question, re.I))


def extract_spec(question: str) -> AnswerSpec:
    """The spec a question states; empty for a question that states nothing checkable."""
    spec = AnswerSpec()
    if not question.strip():
        return spec
    _frequencies(question, spec)
    _delay(question, spec)
    _channels(question, spec)
    _controls(question, spec)
    if below := _PEAK_BELOW.search(question):
        spec.peak_max = float(below.group(1))
    elif amplitude := _AMPLITUDE.search(question):
        spec.amplitude = float(next(g for g in amplitude.groups() if g))
    spec.dc_free = bool(re.search(r"\b(dc\s*block\w*|remov\w+ (the )?(dc|offset))\b", question, re.I))
    return spec
