"""The seam between the decomposition engine and whatever reads the question.

The rules (`RuleAnalyzer`) and the HRM network (`workbench.hrm.analyzer.HRMAnalyzer`) both
satisfy this protocol, so `build_plan` turns either one's `QueryAnalysis` into the same
kind of plan.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable

from workbench.domain import QueryAnalysis


@runtime_checkable
class Analyzer(Protocol):
    def analyze(self, query: str, context: Mapping[str, Any]) -> QueryAnalysis:
        """The analysis of a normalized question; pure, safe to call from many threads."""
        ...

    def status(self) -> dict[str, Any]:
        """At least `method`, `model_loaded` and `checkpoint_hash` (None without a checkpoint)."""
        ...
