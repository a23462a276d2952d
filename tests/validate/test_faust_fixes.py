"""The lint's own fixes, on the FAUST libraries installed here: each one has a single right
answer, and a program a small model wrote with several of them compiles after them."""

from __future__ import annotations

from tests.validate.test_repair import ScriptedCoder
from workbench.validate import repair_code, validate_code
from workbench.validate.answer_spec import extract_spec
from workbench.validate.faust_fixes import autofix, level_fix
from workbench.validate.faust_symbols import faust_symbols

QUESTION = "A 440 Hz sine shaped by an ADSR envelope driven by a button named gate."
# the shape of what Qwen2.5-Coder-1.5B wrote for bench/faust_tasks.jsonl's adsr-sine
WRITTEN = """// envelope
float attack = 0.01; // seconds
button("gate");
process = osc(440) * en.adsr(attack, 0.1, 0.8, 0.2, gate);
"""


def test_c_types_bare_controls_missing_prefixes_and_the_import_are_fixed(vsettings):
    symbols = faust_symbols(vsettings)
    errors = validate_code(WRITTEN, "faust", vsettings, question=QUESTION).errors
    code, fixes = autofix(WRITTEN, errors, symbols, extract_spec(QUESTION))
    assert code == ('import("stdfaust.lib");\n// envelope\nattack = 0.01; // seconds\ngate = button("gate");\n'
                    "process = os.osc(440) * en.adsr(attack, 0.1, 0.8, 0.2, gate);\n")
    assert fixes == ["`float attack = 0.01` written without its C type", '`button("gate")` named gate',
                     "osc -> os.osc", 'added import("stdfaust.lib");']
    assert validate_code(code, "faust", vsettings).ok


def test_a_name_with_more_than_one_right_answer_is_left_to_the_model(vsettings):
    code = 'import("stdfaust.lib");\nprocess = saw(110) * 0.3;\n'  # saw2? saw3? sawtooth?
    errors = validate_code(code, "faust", vsettings).errors
    assert autofix(code, errors, faust_symbols(vsettings), extract_spec("")) == (code, [])


def test_the_repair_loop_fixes_what_the_lint_can_before_asking_the_model(vsettings):
    first = validate_code(WRITTEN, "faust", vsettings, question=QUESTION)
    coder = ScriptedCoder()  # never called: the lint's fixes pass
    outcome = repair_code(WRITTEN, "faust", first, coder, vsettings, question=QUESTION)
    assert outcome.stopped == "passed" and coder.prompts == []
    assert outcome.best.round == 1 and outcome.best.prompt is None and "osc -> os.osc" in outcome.best.fixes


def test_a_model_that_repeats_itself_still_gets_the_lint_fixes(vsettings):
    """Seen on the 1.5B model: the repair reply is the original code, unchanged."""
    half = WRITTEN.replace("process = osc(440)", "process = osc(440) + nothing_here")
    first = validate_code(half, "faust", vsettings, question=QUESTION)
    coder = ScriptedCoder(f"```faust\n{half}```")
    outcome = repair_code(half, "faust", first, coder, vsettings, question=QUESTION)
    assert len(coder.prompts) == 1 and outcome.stopped == "no progress"
    assert outcome.best.fixes and "float attack" not in outcome.best.code


def test_a_program_without_process_outputs_its_one_unused_definition(vsettings):
    """highpass-2k in bench/faust_tasks.jsonl: the filter written, `process` forgotten."""
    code = 'import("stdfaust.lib");\ncutoff = 2000;\nhighpass = fi.highpass(2, cutoff);\n'
    errors = validate_code(code, "faust", vsettings).errors
    fixed, fixes = autofix(code, errors, faust_symbols(vsettings), extract_spec(""))
    assert fixes == ["added process = highpass;"] and fixed.endswith("process = highpass;\n")
    assert validate_code(fixed, "faust", vsettings).ok


def test_two_unused_definitions_leave_the_missing_process_to_the_model(vsettings):
    code = 'import("stdfaust.lib");\nlow = fi.lowpass(2, 500);\nhigh = fi.highpass(2, 500);\n'
    errors = validate_code(code, "faust", vsettings).errors
    assert autofix(code, errors, faust_symbols(vsettings), extract_spec("")) == (code, [])


def test_an_expression_standing_alone_without_its_semicolon_becomes_the_process(vsettings):
    """What Qwen2.5-Coder-1.5B answered for highpass-2k: the right filter, as a bare line."""
    code = 'import("stdfaust.lib");\n\n// highpass at 2 kHz\nfi.highpass(1, 2000) : _\n'
    errors = validate_code(code, "faust", vsettings).errors
    fixed, fixes = autofix(code, errors, faust_symbols(vsettings), extract_spec(""))
    assert fixed == 'import("stdfaust.lib");\n\n// highpass at 2 kHz\nprocess = fi.highpass(1, 2000) : _;\n'
    assert fixes == ["added the missing `;` on line 4", "`fi.highpass(1, 2000) : _` made the program's process"]
    assert validate_code(fixed, "faust", vsettings).ok


def test_a_semicolon_is_added_before_the_next_definition_but_not_inside_an_expression(vsettings):
    code = ('import("stdfaust.lib");\nx = fi.highpass(1, 2000)\n  : _ // high\nprocess = x\n'
            '  : *(hslider("gain", 0.5, 0, 1, 0.01));\n')
    fixed, fixes = autofix(code, [], faust_symbols(vsettings), extract_spec(""))
    assert fixed == code.replace("  : _ // high\n", "  : _; // high\n")
    assert fixes == ["added the missing `;` on line 3"]
    assert validate_code(fixed, "faust", vsettings).ok


def test_a_signal_composed_into_a_bare_number_is_scaled_by_it(vsettings):
    """noise in bench/faust_tasks.jsonl: `no.noise : 0.1`, which the compiler refuses."""
    code = 'import("stdfaust.lib");\nprocess = no.noise : 0.1;\n'
    errors = validate_code(code, "faust", vsettings).errors
    fixed, fixes = autofix(code, errors, faust_symbols(vsettings), extract_spec(""))
    assert fixed == 'import("stdfaust.lib");\nprocess = no.noise : *(0.1);\n' and fixes == ["`: 0.1` -> `: *(0.1)`"]
    assert validate_code(fixed, "faust", vsettings).ok
    kept = 'import("stdfaust.lib");\nprocess = _ <: _, _ :> *(0.5) : fi.lowpass(2, 1000);\n'
    assert autofix(kept, [], faust_symbols(vsettings), extract_spec("")) == (kept, [])


def test_a_bare_control_whose_label_lost_its_quotes_is_named_and_quoted(vsettings):
    """gated-noise in bench/faust_tasks.jsonl: `button(gate);` on a line of its own."""
    code = 'import("stdfaust.lib");\nbutton(gate);\nprocess = no.noise * en.ar(0.01, 0.01, gate);\n'
    errors = validate_code(code, "faust", vsettings).errors
    fixed, fixes = autofix(code, errors, faust_symbols(vsettings), extract_spec(""))
    assert 'gate = button("gate");' in fixed and fixes == ["`button(gate)` named gate"]
    assert validate_code(fixed, "faust", vsettings).ok


def test_a_generator_at_the_wrong_level_is_scaled_to_the_asked_peak(vsettings):
    """triangle-330 and noise in bench/faust_tasks.jsonl: library generators that are not
    unit-amplitude (os.polyblep_triangle peaks near 1.9x its gain, no.gnoise near 3.6)."""
    question = "Write a FAUST program that outputs white noise at amplitude 0.1."
    code = 'import("stdfaust.lib");\nprocess = no.gnoise(10);\n'
    first = validate_code(code, "faust", vsettings, 0.5, question=question)
    assert first.ok is False and first.render.clipped
    coder = ScriptedCoder()  # never called: the level fix passes
    outcome = repair_code(code, "faust", first, coder, vsettings, question=question)
    assert outcome.stopped == "passed" and coder.prompts == []
    assert outcome.best.fixes[0].startswith("scaled the output by ") and "process = no.gnoise(10) : *(" in outcome.best.code


def test_an_effect_or_a_wrong_pitch_is_not_scaled(vsettings):
    question = "Write a FAUST program that outputs a 440 Hz sine wave at amplitude 0.5."
    code = 'import("stdfaust.lib");\nprocess = os.osc(220);\n'  # wrong pitch and wrong level
    result = validate_code(code, "faust", vsettings, 0.5, question=question)
    assert level_fix(code, result, extract_spec(question), 0) == (code, [])
    effect = 'import("stdfaust.lib");\nprocess = *(4);\n'  # its level is its input's
    question = "Write a FAUST effect with an output level of 0.5."
    result = validate_code(effect, "faust", vsettings, 0.5, question=question)
    assert level_fix(effect, result, extract_spec(question), 1) == (effect, [])
