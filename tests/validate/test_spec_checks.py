"""The question's spec checked against the real sandboxed render."""

from tests.validate.conftest import OSC_440
from workbench.validate import validate_answer, validate_code


def test_the_answer_says_what_was_checked_and_measured(vsettings):
    question = "Write a FAUST program that outputs a 440Hz sine wave at amplitude 0.5, stereo."
    code = 'import("stdfaust.lib");\nprocess = os.osc(440) * 0.5 <: _, _;\n'
    result = validate_code(code, "faust", vsettings, render_seconds=0.3, question=question)
    assert result.ok is True
    assert result.spec_summary == "peak at 440 Hz, asked 440 Hz ✓; 2 outputs ✓; peak 0.50, asked peak 0.5 ✓"
    assert result.badge.endswith("2 outputs ✓; peak 0.50, asked peak 0.5 ✓")


def test_a_sound_that_does_not_do_what_was_asked_fails(vsettings):
    results = validate_answer(f"```faust\n{OSC_440}```", vsettings, render_seconds=0.3,
                              question="a FAUST echo of the mono input, delayed by a quarter second")
    [result] = results
    assert result.ok is False and result.errors[-1].kind == "spec"
    assert "0 inputs, asked 1 input ✗" in result.spec_summary


def test_an_echo_is_measured_from_its_lag(vsettings):
    code = 'import("stdfaust.lib");\nprocess = _ <: _, de.delay(48000, 12000) * 0.5 :> _;\n'
    result = validate_code(code, "faust", vsettings, render_seconds=0.6,
                           question="output the mono input plus a copy delayed by 250 ms")
    assert result.ok is True and "echo at 250 ms, asked 250 ms ✓" in result.spec_summary


def test_a_filter_and_a_gate_button(vsettings):
    lowpass = 'import("stdfaust.lib");\nprocess = fi.lowpass(4, 1000);\n'
    assert validate_code(lowpass, "faust", vsettings, 0.3, "a lowpass at 1 kHz on the mono input").ok is True
    highpass_instead = 'import("stdfaust.lib");\nprocess = fi.highpass(4, 1000);\n'
    assert validate_code(highpass_instead, "faust", vsettings, 0.3, "a lowpass at 1 kHz on the mono input").ok is False
    voice = 'import("stdfaust.lib");\nprocess = os.osc(440) * en.adsr(0.01, 0.1, 0.7, 0.05, button("gate")) * 0.5;\n'
    result = validate_code(voice, "faust", vsettings, 0.5, "a 440 Hz sine with an ADSR driven by a button named gate")
    assert result.ok is True and 'button "gate" ✓' in result.spec_summary


def test_no_question_no_spec(vsettings):
    result = validate_code(OSC_440, "faust", vsettings, render_seconds=0.2)
    assert result.ok is True and result.spec == []
