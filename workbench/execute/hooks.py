"""The optional helpers the executor calls: documentation retrieval and code validation.

Small protocols keep the executor testable without an index or compilers; the facade wires
the real `KnowledgeBase` and `CodeValidator` when their modules are installed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from workbench.config import Settings
from workbench.domain import Subtask
from workbench.retrieval.entries import Passage
from workbench.validate import RepairOutcome, ValidationResult, repair_code, validate_answer
from workbench.validate.code_blocks import extract_code_blocks
from workbench.validate.juce_syntax import pch_build_notice


class Retriever(Protocol):
    def context_for(self, subtask: Subtask, budget_tokens: int | None = None, *,
                    examples: bool = True) -> list[Passage]: ...


class Validator(Protocol):
    def check(self, markdown: str, question: str = "") -> list[ValidationResult]:
        """One result per code block of the answer; `question` is what was asked, whose own
        figures (frequencies, delays, channel counts, named controls) the sound is checked against."""
        ...

    def repair(self, result: ValidationResult, generate: Callable[[str], str], question: str = "",
               resample: Callable[[int], str] | None = None) -> RepairOutcome:
        """Repair rounds for one failed block, asking `generate` (which continues the answer's
        conversation) for fixes, and `resample(seed)` (the request answered afresh) when a
        round makes no progress."""
        ...

    def preparation(self, markdown: str) -> str | None:
        """What checking this answer waits for before its first check (a one-time build), in
        words for the user; None when nothing."""
        ...


class CodeValidator:
    """The real validator: the FAUST compiler and g++ against the JUCE headers."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def check(self, markdown: str, question: str = "") -> list[ValidationResult]:
        return validate_answer(markdown, self.settings, question=question)

    def repair(self, result: ValidationResult, generate: Callable[[str], str], question: str = "",
               resample: Callable[[int], str] | None = None) -> RepairOutcome:
        return repair_code(result.code, result.language, result, generate, self.settings, question=question,
                           resample=resample)

    def preparation(self, markdown: str) -> str | None:
        if not any(block.language == "cpp" for block in extract_code_blocks(markdown)):
            return None
        return pch_build_notice(self.settings)
