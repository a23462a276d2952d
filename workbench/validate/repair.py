"""Giving the coder model its own errors back: the repair prompt and the bounded repair loop.

The loop only needs a `generate(prompt) -> str` callable, so the executor can pass one that
runs the coder model (with streaming, storage, cancellation) and tests can pass a script.
Every attempt is kept with its code and its validation result; the original is attempt 0.
"""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel

from workbench.config import Settings
from workbench.validate.code_blocks import extract_code_blocks, guess_language
from workbench.validate.results import CodeError, ValidationResult
from workbench.validate.validator import validate_code

_LANGUAGE_NAMES = {"faust": "FAUST", "cpp": "C++ (JUCE)"}
_TOOL_NAMES = {"faust": "the FAUST compiler", "cpp": "g++ against the JUCE headers"}


class RepairAttempt(BaseModel):
    round: int  # 0: the original code
    code: str
    result: ValidationResult
    prompt: str | None = None  # what the model was asked (None for the original)
    reply: str | None = None  # the model's whole reply


class RepairOutcome(BaseModel):
    attempts: list[RepairAttempt]

    @property
    def original(self) -> RepairAttempt:
        return self.attempts[0]

    @property
    def final(self) -> RepairAttempt:
        """The passing attempt if any, else the last one that contained code."""
        passing = [a for a in self.attempts if a.result.ok]
        if passing:
            return passing[0]
        return next(a for a in reversed(self.attempts) if a.code or a.round == 0)

    @property
    def repaired(self) -> bool:
        return self.original.result.ok is False and self.final.result.ok is True


def build_repair_prompt(code: str, language: str, result: ValidationResult, docs: str | None = None) -> str:
    """The errors, the numbered code and the docs of the symbols involved, asking for one
    complete corrected block in the same language."""
    name = _LANGUAGE_NAMES.get(language, language)
    tag = "faust" if language == "faust" else "cpp"
    numbered = "\n".join(f"{n:4d} | {text}" for n, text in enumerate(code.splitlines(), start=1))
    parts = [
        f"This {name} code failed when checked with {_TOOL_NAMES.get(language, 'its compiler')}.",
        f"Errors:\n{result.error_text() or 'no message'}",
        f"Code (line numbers added for reference):\n{numbered}",
    ]
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


def repair_code(
    code: str,
    language: str,
    result: ValidationResult,
    generate: Callable[[str], str],
    settings: Settings,
    docs: str | None = None,
) -> RepairOutcome:
    """Up to `settings.validation.repair_rounds` rounds of: send the errors, re-check the reply.
    Stops at the first passing version; a failing `generate` ends the loop and is recorded."""
    attempts = [RepairAttempt(round=0, code=code, result=result)]
    if result.ok is not False:
        return RepairOutcome(attempts=attempts)
    render_seconds = result.render.seconds if result.render else None
    current = attempts[0]
    for round_number in range(1, settings.validation.repair_rounds + 1):
        prompt = build_repair_prompt(current.code, language, current.result, docs)
        try:
            reply = generate(prompt)
        except Exception as error:  # a backend failure must not lose the attempts so far
            failure = ValidationResult(ok=False, language=language, code=current.code,
                                       errors=[CodeError(message=f"the repair request failed: {error}")])
            attempts.append(RepairAttempt(round=round_number, code=current.code, result=failure, prompt=prompt))
            break
        fixed = code_from_reply(reply, language)
        if fixed is None:
            checked = ValidationResult(ok=False, language=language, code="", errors=[CodeError(
                message=f"the reply contained no {_LANGUAGE_NAMES.get(language, language)} code block")])
            attempts.append(RepairAttempt(round=round_number, code="", result=checked, prompt=prompt, reply=reply))
            continue
        checked = validate_code(fixed, language, settings, render_seconds)
        current = RepairAttempt(round=round_number, code=fixed, result=checked, prompt=prompt, reply=reply)
        attempts.append(current)
        if checked.ok:
            break
    return RepairOutcome(attempts=attempts)
