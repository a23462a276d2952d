"""The lint on the FAUST libraries installed here (Debian's faust-common in CI)."""

import pytest

from workbench.validate import lint_faust, validate_code
from workbench.validate.faust_symbols import faust_symbols


@pytest.fixture
def symbols(vsettings):
    table = faust_symbols(vsettings)
    assert table is not None, "the FAUST libraries are not installed"
    return table


def test_a_bare_osc_suggests_the_library_oscillator(symbols):
    report = lint_faust('import("stdfaust.lib");\nprocess = osc(440) * 0.5;\n', symbols)
    [error] = report.errors
    assert (error.line, error.kind, error.symbol) == (2, "unknown_identifier", "osc")
    assert error.hint.startswith("did you mean os.osc(freq) (oscillators.lib:")


@pytest.mark.parametrize("name, expected", [("triangle", "os.triangle(freq)"), ("delay", "de.delay(n,d)"),
                                            ("saw", "os.sawtooth(freq)")])
def test_other_names_small_models_write_bare(symbols, name, expected):
    [error] = lint_faust(f'import("stdfaust.lib");\nprocess = {name}(440);\n', symbols).errors
    assert expected in error.hint


def test_a_lowpass_with_one_argument_reports_the_count_and_the_signature(symbols):
    [error] = lint_faust('import("stdfaust.lib");\nprocess = fi.lowpass(300);\n', symbols).errors
    assert error.kind == "argument_count" and error.line == 2
    assert error.message == "`fi.lowpass` takes 2 arguments, 1 given"
    assert error.hint.startswith("fi.lowpass(N,fc) (filters.lib:")


def test_a_partially_applied_delay_is_what_its_usage_shows(symbols):
    assert lint_faust('import("stdfaust.lib");\nprocess = de.delay(48000, 100);\n', symbols).errors == []


def test_an_unknown_member_of_a_library_is_named_with_its_library(symbols):
    [error] = lint_faust('import("stdfaust.lib");\nprocess = os.sine(440);\n', symbols).errors
    assert error.message == "`os.sine` does not exist: oscillators.lib has no `sine`"


def test_a_missing_import_is_called_out(symbols):
    [error] = lint_faust("process = os.osc(440) * 0.5;\n", symbols).errors
    assert error.kind == "missing_import" and 'import("stdfaust.lib");' in error.message


@pytest.mark.parametrize("code, language", [
    ("import numpy as np\n\ndef sine(freq):\n    return np.sin(freq)\n", "Python"),
    ("#include <cmath>\nfloat osc(float f) { return std::sin(f); }\n", "C++"),
])
def test_code_that_is_not_faust_is_called_out_before_any_compiler(code, language, vsettings):
    report = lint_faust(code, None)
    assert report.not_faust and report.errors[0].message.startswith(f"this block is {language}, not FAUST")
    result = validate_code(code, "faust", vsettings)
    assert result.ok is False and result.errors[0].kind == "not_faust" and result.checks == []


def test_correct_programs_with_local_names_pass_clean(symbols):
    code = (
        'import("stdfaust.lib");\ndeclare name "voice";\n'
        'freq = hslider("freq[unit:Hz]", 440, 20, 2000, 1);\n'
        'voice(f) = os.osc(f) * env with { env = en.adsr(0.01, 0.1, 0.7, 0.2, button("gate")); };\n'
        "echo = + ~ (de.delay(4800, 4799) * 0.5);\n"
        "process = voice(freq) : echo <: par(i, 2, *(0.5)) : \\(x).(x * 2), _ : ma.tanh, fi.dcblocker;\n"
    )
    assert lint_faust(code, symbols).errors == []


def test_a_partial_call_that_compiles_warns_and_explains_a_failure(vsettings):
    code = 'import("stdfaust.lib");\nprocess = fi.lowpass(2);\n'
    alone = validate_code(code, "faust", vsettings)  # faust accepts it: fc becomes an input
    assert alone.ok is True and "`fi.lowpass` takes 2 arguments, 1 given" in alone.warnings[0]
    asked = validate_code(code, "faust", vsettings, 0.3, "a lowpass at 1 kHz on the mono input")
    assert asked.ok is False and asked.errors[0].kind == "argument_count"
    assert "2 inputs, asked 1 input ✗" in asked.spec_summary


def test_the_lint_stays_quiet_on_the_examples_that_ship_with_faust(symbols, vsettings):
    """Real programs by the FAUST authors: at most 1 in 20 may get an unknown-name or import
    finding (the few left are dead code naming functions that no longer exist)."""
    from workbench.retrieval.discovery import find_faust_examples

    examples = find_faust_examples(vsettings.retrieval.faust_examples_dir, None).root
    files = sorted(examples.rglob("*.dsp")) if examples else []
    if not files:
        pytest.skip("no FAUST examples installed")
    wrong = {"unknown_identifier", "unknown_prefix", "missing_import", "not_faust"}
    flagged = [f.name for f in files
               if any(e.kind in wrong for e in lint_faust(f.read_text(errors="replace"), symbols).errors)]
    assert len(flagged) <= len(files) // 20, flagged


def test_a_control_the_question_names_but_the_code_never_defines_gets_its_definition_as_hint(vsettings):
    """The nearest library name to `gate` is `dm.gate_demo`, which a small model then pastes in;
    the question asked for a button named gate, so that is what the hint says to define."""
    question = "A 440 Hz sine shaped by an ADSR envelope driven by a button named gate."
    code = 'import("stdfaust.lib");\nprocess = os.osc(440) * en.adsr(0.01, 0.1, 0.8, 0.2, gate);\n'
    [error] = validate_code(code, "faust", vsettings, question=question).errors
    assert error.kind == "unknown_identifier" and error.symbol == "gate"
    assert error.hint.endswith('gate = button("gate");') and "gate_demo" not in error.hint
    [unasked] = validate_code(code, "faust", vsettings, question="A 440 Hz sine with an ADSR.").errors
    assert unasked.symbol == "gate" and "button" not in unasked.hint


def test_c_declarations_and_bare_expressions_are_named_with_the_definition_they_meant(symbols):
    code = ('import("stdfaust.lib");\nfloat attack = 0.1; // seconds\nbutton("gate");\n'
            "process = os.osc(440) * en.adsr(attack, 0.1, 0.8, 0.2, 1);\n")
    errors = lint_faust(code, symbols).errors
    assert [(e.line, e.kind, e.hint) for e in errors] == [
        (2, "typed_definition", "write attack = 0.1;"),
        (3, "no_definition", 'name it and use the name: gate = button("gate");'),
    ]  # and `attack`, meant as a definition, is not reported again as unknown
    fine = 'import("stdfaust.lib");\ngain = 0.5;\nprocess = _ * gain with { k = 1; };\n'
    assert lint_faust(fine, symbols).errors == []
