"""One entry point per question: check this code, or every code block of this answer.

FAUST goes through the lint against the installed libraries, the compiler, the sandboxed
render and, when the question stated what the sound should be, the checks of that spec; C++
is syntax-checked against the JUCE headers and its errors are mapped to the declarations they
name. Every finding lands in the `ValidationResult`, so the UI, the CLI and the repair prompt
all show the same thing.
"""

from __future__ import annotations

import re
import tempfile
import time
from pathlib import Path

from workbench.config import Settings
from workbench.validate.answer_spec import AnswerSpec, extract_spec
from workbench.validate.code_blocks import extract_code_blocks
from workbench.validate.faust_compiler import compile_faust
from workbench.validate.faust_fixes import asked_control, control_definition
from workbench.validate.faust_lint import lint_faust
from workbench.validate.faust_render import render_faust
from workbench.validate.faust_symbols import faust_symbols
from workbench.validate.juce_errors import explain_cpp_errors
from workbench.validate.juce_syntax import check_cpp
from workbench.validate.results import CodeError, ValidationResult
from workbench.validate.spec_checks import check_spec, spec_needs_inputs
from workbench.validate.tools import find_tools

CHECKED_LANGUAGES = ("faust", "cpp")
_UNDEFINED = re.compile(r"undefined symbol\s*:\s*([\w.]+)")
_NUM_INPUTS = re.compile(r"getNumInputs\(\)\s*\{\s*return\s+(\d+)\s*;")


def merge_findings(lint: list[CodeError], compiler: list[CodeError], prefixes: set[str]) -> list[CodeError]:
    """The lint's findings first (they carry the suggestions), then the compiler's messages
    that no finding already explains. A compiler that accepted the program overrules the
    lint (see `_settle_partial_calls` for the calls with too few arguments)."""
    if not compiler:
        return []
    explained = {part for e in lint if e.symbol for part in (e.symbol, e.symbol.split(".")[-1])}
    if any(e.kind == "missing_import" for e in lint):
        explained |= prefixes  # "undefined symbol : os" is the missing import
    rest = [e for e in compiler
            if not ((found := _UNDEFINED.search(e.message)) and found.group(1) in explained)]
    return [*lint, *rest]


def program_inputs(code: str, settings: Settings) -> int | None:
    """How many inputs the compiled program has, read from the C++ faust generates."""
    with tempfile.TemporaryDirectory(prefix="wb-faust-io-") as scratch:
        compiled = compile_faust(code, settings, Path(scratch))
        if compiled.cpp_path is None:
            return None
        found = _NUM_INPUTS.search(compiled.cpp_path.read_text(errors="replace"))
    return int(found.group(1)) if found else None


def _with_spec(result: ValidationResult, spec: AnswerSpec, samples, settings: Settings) -> ValidationResult:
    inputs = program_inputs(result.code, settings) if spec_needs_inputs(spec) else None
    result.spec = check_spec(spec, samples, result.render, result.code, inputs)
    failed = [c for c in result.spec if not c.passed]
    if failed:
        result.ok = False
        result.errors.append(CodeError(kind="spec", message="the sound does not do what was asked: "
                                       + "; ".join(c.line() for c in failed)))
    return result


def _settle_partial_calls(result: ValidationResult, lint: list[CodeError]) -> ValidationResult:
    """A call with fewer arguments than its documented usage compiles (the missing ones become
    inputs) and is sometimes meant, so in a program that compiled it fails nothing by itself:
    it is a warning, and an error beside whatever else failed, where it is the likely cause."""
    partial = [e for e in lint if e.kind == "argument_count"]
    if not partial or "compiled" not in result.checks:
        return result
    if result.ok is False:
        result.errors = [*partial, *result.errors]
    else:
        result.warnings += [e.text() for e in partial]
    return result


def _hint_asked_controls(errors: list[CodeError], spec: AnswerSpec) -> list[CodeError]:
    """An unknown name that the question asked for as a control ("a button named gate") gets
    the definition it lacks as its hint, instead of the nearest library name (`dm.gate_demo`)."""
    hinted = []
    for error in errors:
        if control := asked_control(error, spec):
            error = error.model_copy(update={"hint": (
                f"the request asks for a {control.kind} named {control.label}: define it, "
                f"{control_definition(error.symbol or control.label, control)}")})
        hinted.append(error)
    return hinted


def _validate_faust(code: str, settings: Settings, render_seconds: float | None, spec: AnswerSpec) -> ValidationResult:
    symbols = faust_symbols(settings) if settings.validation.lint else None
    lint = lint_faust(code, symbols)
    lint.errors = _hint_asked_controls(lint.errors, spec)
    prefixes = set(symbols.prefixes) if symbols else set()
    if lint.not_faust:
        return ValidationResult(ok=False, language="faust", errors=lint.errors, code=code)
    if render_seconds and render_seconds > 0:
        outcome = render_faust(code, settings, render_seconds)
        compiler_errors = [] if outcome.compiled else outcome.errors
        errors = merge_findings(lint.errors, compiler_errors, prefixes) + (outcome.errors if outcome.compiled else [])
        checks = (["compiled"] if outcome.compiled else []) + (["rendered"] if outcome.stats and not outcome.errors else [])
        result = ValidationResult(
            ok=not errors, language="faust", checks=checks, errors=errors,
            warnings=outcome.warnings, render=outcome.stats, wav_path=outcome.wav_path, code=code,
        )
        if result.ok and outcome.samples is not None and settings.validation.spec_checks and not spec.is_empty():
            result = _with_spec(result, spec, outcome.samples, settings)
        return _settle_partial_calls(result, lint.errors)
    compiled = compile_faust(code, settings)
    errors = merge_findings(lint.errors, compiled.errors, prefixes)
    return _settle_partial_calls(ValidationResult(
        ok=not errors, language="faust", checks=[] if compiled.errors else ["compiled"], errors=errors, code=code,
    ), lint.errors)


def validate_code(
    code: str, language: str, settings: Settings, render_seconds: float | None = None, question: str = "",
) -> ValidationResult:
    """Check `code` with the real tools. FAUST is linted and compiled (and rendered when
    `render_seconds` > 0, then checked against what `question` asked); C++ is syntax-checked
    against the JUCE headers. ok=None means not checked: an unknown language, or a missing
    tool (`tool_status` says how to install it)."""
    started = time.monotonic()
    if language not in CHECKED_LANGUAGES:
        return ValidationResult(ok=None, language=language, code=code,
                                tool_status=f"no checker for {language or 'untagged'} code")
    if not settings.validation.enabled:
        return ValidationResult(ok=None, language=language, code=code, tool_status="validation is turned off in settings")
    tools = find_tools(settings)
    missing = tools.missing_for(language, render=bool(render_seconds))
    if missing:
        return ValidationResult(ok=None, language=language, code=code, tool_status=missing)
    if language == "faust":
        result = _validate_faust(code, settings, render_seconds, extract_spec(question))
    else:
        errors, _ = check_cpp(code, settings, tools.juce_modules)
        if settings.validation.lint:
            errors = explain_cpp_errors(errors, tools.juce_modules, settings, code)
        result = ValidationResult(ok=not errors, language="cpp", checks=[] if errors else ["syntax"],
                                  errors=errors, code=code)
    result.duration_ms = (time.monotonic() - started) * 1000
    return result


def validate_answer(
    markdown: str, settings: Settings, render_seconds: float | None = None, question: str = "",
) -> list[ValidationResult]:
    """A result for every code block of a model's answer, in order (unchecked languages
    included, so the UI can badge each block); FAUST blocks are checked against what
    `question` asked of the sound."""
    seconds = settings.validation.render_seconds if render_seconds is None else render_seconds
    return [validate_code(block.code, block.language, settings, seconds, question)
            for block in extract_code_blocks(markdown)]
