"""Giving the coder model its own errors back: the repair prompt and the repair loop.

The loop only needs a `generate(prompt) -> str` callable, so the executor can pass one that
runs the coder model (with streaming, storage, cancellation) and tests can pass a script.
Each round's prompt carries the compiler's and the lint's errors, the installed
documentation of the symbols involved, and what the sound did against what the question
asked. Before the first round, and after each reply, the lint's own fixes (`faust_fixes`:
a C declaration, a bare control, a missing prefix or import; `juce_fixes`: an override with
the wrong signature, the pure virtual functions left out) are tried without a model, as a
step of their own. The loop asks the model up to `settings.validation.repair_rounds` times
to repair the best version so far, and when a round does not improve on it, asks for up to
`settings.validation.resamples` fresh answers to the request instead (sampled at
`resample_temperature`, a new seed each): a small model that cannot fix its own program often
writes a right one from scratch, and the checks pick it out. It stops as soon as a version
passes, and keeps the best version (not merely the last). Every attempt is kept with its code
and its result; the original is attempt 0.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel

from workbench.config import Settings
from workbench.validate.answer_spec import extract_spec
from workbench.validate.code_blocks import extract_code_blocks, guess_language
from workbench.validate.faust_fixes import autofix, level_fix
from workbench.validate.faust_symbols import faust_symbols
from workbench.validate.juce_fixes import autofix as juce_autofix
from workbench.validate.repair_docs import symbol_docs
from workbench.validate.results import CodeError, ValidationResult
from workbench.validate.tools import find_tools
from workbench.validate.validator import program_inputs, validate_code

_LANGUAGE_NAMES = {"faust": "FAUST", "cpp": "C++ (JUCE)"}
_TOOL_NAMES = {"faust": "the FAUST compiler and a render of its sound", "cpp": "g++ against the JUCE headers"}
Stop = Literal["nothing to repair", "passed", "no progress", "rounds used", "request failed"]


def attempt_score(code: str, result: ValidationResult) -> tuple:
    """How close a version is to done, for "did this round help?" and "which is best?":
    code at all, then passing, then compiling, then the asked-for checks met, then fewer errors."""
    compiled = bool({"compiled", "syntax"} & set(result.checks))
    spec_met = sum(check.passed for check in result.spec)
    return (bool(code.strip()), result.ok is True, compiled, spec_met, -len(result.errors))


class RepairAttempt(BaseModel):
    round: int  # 0: the original code
    code: str
    result: ValidationResult
    prompt: str | None = None  # the repair prompt (None for the original, the lint's fixes and a fresh answer)
    reply: str | None = None  # the model's whole reply
    started_at: float | None = None  # UNIX seconds a repair round took (its request and check), for the timeline
    finished_at: float | None = None
    fixes: list[str] = []  # what the lint fixed by itself (`faust_fixes`), without a model
    seed: int | None = None  # a fresh answer's sampling seed: the request itself was sent again

    @property
    def score(self) -> tuple:
        return attempt_score(self.code, self.result)

    @property
    def resampled(self) -> bool:
        """A fresh answer to the request, not a repair of earlier code."""
        return self.seed is not None

    @property
    def seconds(self) -> float | None:
        """How long the attempt took, its model request included."""
        if self.started_at is None or self.finished_at is None:
            return None
        return round(self.finished_at - self.started_at, 3)


class RepairOutcome(BaseModel):
    attempts: list[RepairAttempt]
    stopped: Stop = "nothing to repair"  # why the loop ended

    @property
    def original(self) -> RepairAttempt:
        return self.attempts[0]

    @property
    def best(self) -> RepairAttempt:
        """The best version seen (the earliest of equals): what the answer should show."""
        return max(self.attempts, key=lambda a: (a.score, -a.round))

    @property
    def final(self) -> RepairAttempt:
        return self.best

    @property
    def repaired(self) -> bool:
        return self.original.result.ok is False and self.best.result.ok is True

    @property
    def improved(self) -> bool:
        """A repair round produced a better version than the original, passing or not."""
        return self.best.round > 0

    @property
    def rounds_used(self) -> int:
        return len(self.attempts) - 1


def build_repair_prompt(code: str, language: str, result: ValidationResult, docs: str | None = None,
                        question: str = "") -> str:
    """The errors (with the lint's hints), the numbered code, what the sound did against what
    was asked, and the docs of the symbols involved, asking for one complete corrected block
    in the same language."""
    name = _LANGUAGE_NAMES.get(language, language)
    tag = "faust" if language == "faust" else "cpp"
    numbered = "\n".join(f"{n:4d} | {text}" for n, text in enumerate(code.splitlines(), start=1))
    parts = [f"This {name} code failed when checked with {_TOOL_NAMES.get(language, 'its compiler')}."]
    if question.strip():
        parts.append(f"It was written for this request:\n{question.strip()}")
    parts.append(f"Errors:\n{result.error_text() or 'no message'}")
    if result.spec:
        parts.append("What the sound did, against what was asked:\n"
                     + "\n".join(f"- {check.line()}" for check in result.spec))
    parts.append(f"Code (line numbers added for reference):\n{numbered}")
    if docs and docs.strip():
        parts.append(f"Documentation of the symbols involved:\n{docs.strip()}")
    parts.append(
        f"Fix the errors. Reply with the complete corrected program in one ```{tag} code block, "
        "without line numbers. Keep everything that already works."
    )
    return "\n\n".join(parts)


def code_from_reply(reply: str, language: str) -> str | None:
    """The first block of `language` in the reply (or an untagged reply that is all code)."""
    blocks = extract_code_blocks(reply)
    for block in blocks:
        if block.language == language:
            return block.code
    if not blocks and guess_language("", reply) == language:
        return reply.strip() + "\n"
    return None


def _docs_for(code: str, language: str, result: ValidationResult, docs: str | None, settings: Settings) -> str:
    own = symbol_docs(code, language, result, settings)
    return "\n".join(part for part in (own, (docs or "").strip()) if part)


def _fixed_code(attempt: RepairAttempt, language: str, settings: Settings, question: str) -> tuple[str, list[str]]:
    """What the lint's own fixes make of the attempt's code, and what they fixed: FAUST's
    (`faust_fixes`, then the level against the question's spec), JUCE's (`juce_fixes`)."""
    if language == "cpp":
        modules = find_tools(settings).juce_modules
        if modules is None:
            return attempt.code, []
        return juce_autofix(attempt.code, attempt.result.errors, modules, settings.cache_dir)
    symbols = faust_symbols(settings)
    if symbols is None:
        return attempt.code, []
    spec = extract_spec(question)
    code, fixes = autofix(attempt.code, attempt.result.errors, symbols, spec)
    if (not fixes or code == attempt.code) and attempt.result.render is not None and spec.amplitude:
        code, fixes = level_fix(attempt.code, attempt.result, spec, program_inputs(attempt.code, settings))
    return code, fixes


def _lint_fixed(attempt: RepairAttempt, language: str, settings: Settings, render_seconds: float | None,
                question: str) -> RepairAttempt | None:
    """The version the lint's own fixes make of a failing attempt, checked, or None when it
    has nothing to fix."""
    if language not in ("faust", "cpp") or attempt.result.ok is not False or not attempt.code.strip() \
            or not settings.validation.lint:
        return None
    started_at = time.time()
    code, fixes = _fixed_code(attempt, language, settings, question)
    if not fixes or code == attempt.code:
        return None
    checked = validate_code(code, language, settings, render_seconds, question)
    return RepairAttempt(round=attempt.round + 1, code=code, result=checked, fixes=fixes,
                         started_at=started_at, finished_at=time.time())


def _model_attempt(round_number: int, reply: str, prompt: str | None, language: str, settings: Settings,
                   render_seconds: float | None, question: str, seed: int | None) -> RepairAttempt:
    """The checked version a model's reply gives (no code block in it: an attempt without code)."""
    code = code_from_reply(reply, language)
    if code is None:
        code, checked = "", ValidationResult(ok=False, language=language, code="", errors=[CodeError(
            message=f"the reply contained no {_LANGUAGE_NAMES.get(language, language)} code block")])
    else:
        checked = validate_code(code, language, settings, render_seconds, question)
    return RepairAttempt(round=round_number, code=code, result=checked, prompt=prompt, reply=reply, seed=seed)


def repair_code(
    code: str,
    language: str,
    result: ValidationResult,
    generate: Callable[[str], str],
    settings: Settings,
    docs: str | None = None,
    question: str = "",
    resample: Callable[[int], str] | None = None,
) -> RepairOutcome:
    """Up to `settings.validation.repair_rounds` rounds of: send the errors, re-check the reply
    (against `question`'s spec too). After a round that does not improve on the best so far,
    up to `settings.validation.resamples` calls of `resample(seed)` (the request answered
    afresh; for the languages in `resample_languages`) take its place; a resample that improves
    is repaired in turn. Stops at the first passing version or when neither kind of call is
    left; a failing model call ends the loop and is recorded."""
    attempts = [RepairAttempt(round=0, code=code, result=result)]
    if result.ok is not False:
        return RepairOutcome(attempts=attempts)
    validation = settings.validation
    render_seconds = result.render.seconds if result.render else None
    if language == "faust" and render_seconds is None and question.strip():
        render_seconds = validation.render_seconds  # the spec can only be checked on sound
    best = attempts[0]
    if fixed := _lint_fixed(best, language, settings, render_seconds, question):
        attempts.append(fixed)
        if fixed.result.ok:
            return RepairOutcome(attempts=attempts, stopped="passed")
        best = max(best, fixed, key=lambda a: a.score)
    repairs_left = validation.repair_rounds
    resamples_left = validation.resamples if resample and language in validation.resample_languages else 0
    improved = True  # whether the last model call gave a better version than the best before it
    while True:
        if repairs_left and improved:
            repairs_left -= 1
            prompt = build_repair_prompt(best.code, language, best.result,
                                         _docs_for(best.code, language, best.result, docs, settings), question)
            seed = None
        elif resamples_left and resample is not None:
            seed = validation.resamples - resamples_left + 1
            resamples_left -= 1
            prompt = None
        else:
            return RepairOutcome(attempts=attempts, stopped="rounds used" if improved else "no progress")
        round_number = attempts[-1].round + 1
        started_at = time.time()
        try:
            reply = generate(prompt) if seed is None else resample(seed)
        except Exception as error:  # a backend failure must not lose the attempts so far
            failure = ValidationResult(ok=False, language=language, code=best.code,
                                       errors=[CodeError(message=f"the repair request failed: {error}")])
            attempts.append(RepairAttempt(round=round_number, code="", result=failure, prompt=prompt,
                                          seed=seed, started_at=started_at, finished_at=time.time()))
            return RepairOutcome(attempts=attempts, stopped="request failed")
        current = _model_attempt(round_number, reply, prompt, language, settings, render_seconds, question,
                                 seed)
        current.started_at, current.finished_at = started_at, time.time()
        attempts.append(current)
        if linted := _lint_fixed(current, language, settings, render_seconds, question):
            attempts.append(linted)  # the model's new code may make the same fixable mistakes
            current = max(current, linted, key=lambda a: a.score)
        if current.result.ok:
            return RepairOutcome(attempts=attempts, stopped="passed")
        improved = current.score > best.score
        if improved:
            best = current
