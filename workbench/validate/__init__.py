"""Validation of generated code with the real tools: a FAUST lint against the installed
libraries, the FAUST compiler (and an offline, sandboxed render of the sound, checked against
what the question asked), g++ against the JUCE headers with its errors mapped to the headers'
declarations, and a repair loop that keeps the best version."""

from workbench.validate.answer_spec import AnswerSpec, extract_spec
from workbench.validate.code_blocks import CodeBlock, extract_code_blocks
from workbench.validate.faust2juce import JuceProject, make_juce_project
from workbench.validate.repair import RepairAttempt, RepairOutcome, build_repair_prompt, repair_code
from workbench.validate.faust_lint import lint_faust
from workbench.validate.results import CodeError, RenderStats, SpecCheck, ValidationResult
from workbench.validate.tools import tool_report
from workbench.validate.validator import validate_answer, validate_code

__all__ = [
    "AnswerSpec", "CodeBlock", "CodeError", "JuceProject", "RenderStats", "RepairAttempt", "RepairOutcome",
    "SpecCheck", "ValidationResult", "build_repair_prompt", "extract_code_blocks", "extract_spec",
    "lint_faust", "make_juce_project", "repair_code", "tool_report", "validate_answer", "validate_code",
]
