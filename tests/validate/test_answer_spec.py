"""Reading what a question asks of the sound, in the words people use."""

import pytest

from workbench.validate import extract_spec


@pytest.mark.parametrize("question, fields", [
    ("make me a 440Hz sine", {"tone_hz": 440.0}),
    ("a 1.5 kHz square wave at amplitude 0.25", {"tone_hz": 1500.0, "amplitude": 0.25}),
    ("an echo delayed by a quarter second", {"delay_s": 0.25}),
    ("a slapback delay of 120 ms on the mono input", {"delay_s": 0.12, "inputs": 1}),
    ("a stereo in/out chorus", {"inputs": 2, "outputs": 2}),
    ("one mono input, two outputs, panned by a slider", {"inputs": 1, "outputs": 2}),
    ("a stereo reverb", {"outputs": 2}),
    ("a 4th-order lowpass at 1 kHz on the mono input", {"filter_kind": "lowpass", "filter_hz": 1000.0, "inputs": 1}),
    ("a highpass filter at 2000 Hz", {"filter_kind": "highpass", "filter_hz": 2000.0}),
    ("a 440 Hz sine with a 5 Hz tremolo, peak level below 0.5", {"tone_hz": 440.0, "peak_max": 0.5}),
    ("a 440 Hz carrier modulated by a 110 Hz sine", {"tone_hz": 440.0}),
    ("remove the DC offset with a DC blocker", {"dc_free": True}),
])
def test_phrasings(question, fields):
    assert extract_spec(question).model_dump(exclude_defaults=True) == fields


def test_a_named_button_and_its_envelope():
    spec = extract_spec("a 220 Hz saw shaped by an ADSR driven by a button named gate")
    assert [(c.kind, c.label) for c in spec.controls] == [("button", "gate")] and spec.envelope


def test_a_question_that_states_nothing_checkable_gives_an_empty_spec():
    assert extract_spec("Why does my plugin crackle when I move the gain knob?").is_empty()
    assert extract_spec("").is_empty()
