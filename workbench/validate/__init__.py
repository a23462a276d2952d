"""Validation of generated code with the real tools: the FAUST compiler (and an offline,
sandboxed render of the sound), g++ against the JUCE headers, and a bounded repair loop."""

from workbench.validate.code_blocks import CodeBlock, extract_code_blocks
from workbench.validate.faust2juce import JuceProject, make_juce_project
from workbench.validate.repair import RepairAttempt, RepairOutcome, build_repair_prompt, repair_code
from workbench.validate.results import CodeError, RenderStats, ValidationResult
from workbench.validate.tools import tool_report
from workbench.validate.validator import validate_answer, validate_code

__all__ = [
    "CodeBlock", "CodeError", "JuceProject", "RenderStats", "RepairAttempt", "RepairOutcome",
    "ValidationResult", "build_repair_prompt", "extract_code_blocks", "make_juce_project",
    "repair_code", "tool_report", "validate_answer", "validate_code",
]
