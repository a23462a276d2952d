import time

from tests.validate.conftest import OSC_440, with_validation
from workbench.validate import validate_code
from workbench.validate.faust_compiler import parse_faust_errors


def test_valid_program_compiles(vsettings):
    result = validate_code(OSC_440, "faust", vsettings)
    assert result.ok is True and result.checks == ["compiled"] and result.errors == []
    assert result.badge == "compiled"


def test_undefined_symbol_is_reported_on_its_line(vsettings):
    code = 'import("stdfaust.lib");\n\n// an oscillator\nprocess = os.oscx(440);\n'
    result = validate_code(code, "faust", with_validation(vsettings, lint=False))
    assert result.ok is False
    assert [(e.line, e.message) for e in result.errors] == [(4, "undefined symbol : oscx")]
    assert result.badge == "failed — line 4: undefined symbol : oscx"


def test_the_lint_explains_the_undefined_symbol_in_place_of_the_compiler(vsettings):
    code = 'import("stdfaust.lib");\n\n// an oscillator\nprocess = os.oscx(440);\n'
    result = validate_code(code, "faust", vsettings)
    assert result.ok is False
    assert [(e.line, e.kind, e.symbol) for e in result.errors] == [(4, "unknown_identifier", "os.oscx")]
    assert "os.osc(freq)" in result.errors[0].hint
    assert result.badge == "failed — line 4: `os.oscx` does not exist: oscillators.lib has no `oscx`"


def test_syntax_error_is_reported_on_its_line(vsettings):
    result = validate_code('import("stdfaust.lib");\nprocess = os.osc(440) *;\n', "faust", vsettings)
    assert result.ok is False and result.errors[0].line == 2
    assert "syntax error" in result.errors[0].message


def test_wrong_arity_is_located_on_the_composition_line(vsettings):
    code = 'import("stdfaust.lib");\nmix = +;\ngain = 0.5;\nprocess = os.osc(440) : mix : *(gain);\n'
    result = validate_code(code, "faust", vsettings)
    assert result.ok is False
    assert result.errors[0].line == 4
    assert "number of outputs [1]" in result.errors[0].message and "inputs [2]" in result.errors[0].message


def test_a_compile_that_explodes_is_stopped_by_the_timeout(vsettings):
    quick = with_validation(vsettings, faust_timeout_s=1.0)
    started = time.monotonic()
    result = validate_code("process = seq(i, 2000000, _);\n", "faust", quick)
    assert time.monotonic() - started < 5
    assert result.ok is False and "did not finish within 1 s" in result.errors[0].message


def test_errors_inside_libraries_keep_their_file_but_no_user_line():
    stderr = "/usr/share/faust/filters.lib : 12 : ERROR : undefined symbol : foo\n"
    [error] = parse_faust_errors(stderr, "process = 1;\n")
    assert error.line is None and error.message == "filters.lib line 12: undefined symbol : foo"
