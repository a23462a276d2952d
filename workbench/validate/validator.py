"""One entry point per question: check this code, or every code block of this answer."""

from __future__ import annotations

import time

from workbench.config import Settings
from workbench.validate.code_blocks import extract_code_blocks
from workbench.validate.faust_compiler import compile_faust
from workbench.validate.faust_render import render_faust
from workbench.validate.juce_syntax import check_cpp
from workbench.validate.results import ValidationResult
from workbench.validate.tools import find_tools

CHECKED_LANGUAGES = ("faust", "cpp")


def _validate_faust(code: str, settings: Settings, render_seconds: float | None) -> ValidationResult:
    if render_seconds and render_seconds > 0:
        outcome = render_faust(code, settings, render_seconds)
        checks = (["compiled"] if outcome.compiled else []) + (["rendered"] if outcome.stats and not outcome.errors else [])
        return ValidationResult(
            ok=not outcome.errors, language="faust", checks=checks, errors=outcome.errors,
            warnings=outcome.warnings, render=outcome.stats, wav_path=outcome.wav_path, code=code,
        )
    compiled = compile_faust(code, settings)
    return ValidationResult(
        ok=not compiled.errors, language="faust", checks=[] if compiled.errors else ["compiled"],
        errors=compiled.errors, code=code,
    )


def validate_code(code: str, language: str, settings: Settings, render_seconds: float | None = None) -> ValidationResult:
    """Check `code` with the real tools. FAUST is compiled (and rendered when
    `render_seconds` > 0); C++ is syntax-checked against the JUCE headers. ok=None means not
    checked: an unknown language, or a missing tool (`tool_status` says how to install it)."""
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
        result = _validate_faust(code, settings, render_seconds)
    else:
        errors, _ = check_cpp(code, settings, tools.juce_modules)
        result = ValidationResult(ok=not errors, language="cpp", checks=[] if errors else ["syntax"],
                                  errors=errors, code=code)
    result.duration_ms = (time.monotonic() - started) * 1000
    return result


def validate_answer(markdown: str, settings: Settings, render_seconds: float | None = None) -> list[ValidationResult]:
    """A result for every code block of a model's answer, in order (unchecked languages
    included, so the UI can badge each block)."""
    seconds = settings.validation.render_seconds if render_seconds is None else render_seconds
    return [validate_code(block.code, block.language, settings, seconds) for block in extract_code_blocks(markdown)]
