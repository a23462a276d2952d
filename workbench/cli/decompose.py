"""`hrm-reason decompose QUERY [--context JSON] [--json]`: show how a question would be planned."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from workbench.decompose.dag import execution_phases

if TYPE_CHECKING:
    from workbench.config import Settings
    from workbench.domain import TaskDecomposition


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "decompose", help="score a question and print its plan (subtasks and phases)",
        description="Exit 0 with the plan, 2 for an empty or invalid question or context.",
    )
    parser.add_argument("query", help="the question, in quotes")
    parser.add_argument("--context", default=None, metavar="JSON",
                        help='e.g. \'{"target_platform": "mac_vst", "performance_requirements": "low_latency"}\'')
    parser.add_argument("--json", action="store_true", help="print the plan as JSON (with phases)")
    parser.add_argument("--no-cache", action="store_true", help="neither read nor write the plan cache")
    parser.set_defaults(func=run)


def plan_document(plan: TaskDecomposition) -> dict:
    """The plan as JSON-ready data, with `phases` as lists of subtask ids."""
    return {**plan.model_dump(mode="json"), "phases": execution_phases(plan.subtasks)}


def _table(plan: TaskDecomposition) -> str:
    lines = [
        f"complexity {plan.complexity}/10 · {plan.strategy.value} · role {plan.primary_role.value} · "
        f"confidence {plan.confidence:.2f} · {plan.method.value} · domains {', '.join(d.value for d in plan.domains)}",
    ]
    for n, phase in enumerate(execution_phases(plan.subtasks), start=1):
        lines.append(f"phase {n}")
        for sid in phase:
            s = plan.subtask(sid)
            after = f" (after {', '.join(s.dependencies)})" if s.dependencies else ""
            lines.append(f"  {s.id}: {s.title} [{s.role.value} → {s.model_preference}]{after}")
    lines += [f"· {line}" for line in plan.reasoning]
    return "\n".join(lines)


def run(args: argparse.Namespace, settings: Settings) -> int:
    try:
        context = json.loads(args.context) if args.context else None
    except json.JSONDecodeError as exc:
        print(f"--context is not valid JSON ({exc}); write it like '{{\"target_platform\": \"mac_vst\"}}'", file=sys.stderr)
        return 2
    from workbench.decomposer import HRMLocalWrapper

    hrm = HRMLocalWrapper(device=settings.hrm.device, enable_caching=settings.hrm.enable_caching and not args.no_cache,
                          settings=settings)
    try:
        plan = hrm.decompose_task(args.query, context)
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print(json.dumps(plan_document(plan), indent=2, ensure_ascii=False) if args.json else _table(plan))
    return 0
