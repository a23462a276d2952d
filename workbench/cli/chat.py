"""`hrm-reason status` and `hrm-reason ask`: the chat of the workbench in a terminal.

`ask` streams like the browser does — a progress line per subtask, tokens as they come,
thinking dimmed on stderr — and stores the conversation in the same history.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any, TextIO

from workbench.vocabulary import EventKind

if TYPE_CHECKING:
    from workbench.config import Settings
    from workbench.domain import RunEvent
    from workbench.system import System

_DIM, _RESET = "\033[2m", "\033[0m"


def build_system(settings: Settings) -> System:
    """The facade the commands use; tests replace this to inject a scripted backend."""
    from workbench.system import System

    return System(settings)


def register(subparsers: argparse._SubParsersAction) -> None:
    status = subparsers.add_parser("status", help="backends, models, HRM state and data paths")
    status.add_argument("--json", action="store_true", help="print the status as JSON")
    status.set_defaults(func=run_status)

    ask = subparsers.add_parser(
        "ask", help="ask a question; the answer streams here and is stored like in the browser",
        description="Exit 0 for a complete answer, 1 for a partial or failed one, 2 for bad input.",
    )
    ask.add_argument("question", help="the question (quote it)")
    ask.add_argument("--project", default="default", help="project to store the conversation in")
    ask.add_argument("--no-decompose", action="store_true", help="send the question straight to one model")
    ask.add_argument("--model", help="display name or tag of the model for a direct answer")
    ask.add_argument("--json", action="store_true", help="print the whole result as JSON at the end")
    ask.set_defaults(func=run_ask)


def status_report(glm: System) -> dict[str, Any]:
    """What `status` shows: every backend's health, the role models, HRM and paths."""
    settings = glm.settings
    available = set(glm.get_available_models())
    try:
        hrm: Any = glm.hrm.get_status()
    except ImportError as error:
        hrm = {"available": False, "detail": f"the decomposer is not installed: {error}"}
    return {
        "active_backend": glm.backend_name,
        "notice": glm.backend_notice,
        "backends": [h.model_dump() for h in glm.backend_status()],
        "roles": {role.value: {"display_name": m.display_name, "tag": m.tag, "available": m.tag in available}
                  for role, m in settings.roles.items()},
        "hrm": hrm,
        "paths": {"data_dir": str(settings.data_dir), "database": str(settings.db_path),
                  "cache": str(settings.cache_dir), "index": str(settings.index_dir)},
    }


def run_status(args: argparse.Namespace, settings: Settings) -> int:
    report = status_report(build_system(settings))
    if args.json:
        print(json.dumps(report, indent=2, default=str))
        return 0
    print(f"active backend: {report['active_backend']}")
    if report["notice"]:
        print(f"  note: {report['notice']}")
    for health in report["backends"]:
        state = "reachable" if health["reachable"] else "not reachable"
        models = f" — {', '.join(health['models'])}" if health["models"] else ""
        print(f"  {health['name']}: {state}{models}" + (f" ({health['detail']})" if health["detail"] else ""))
    print("roles:")
    for role, info in report["roles"].items():
        mark = "installed" if info["available"] else "not installed on the active backend"
        print(f"  {role}: {info['display_name']} = {info['tag']} ({mark})")
    print(f"hrm: {json.dumps(report['hrm'], default=str)}")
    for name, path in report["paths"].items():
        print(f"{name}: {path}")
    return 0


class TerminalProgress:
    """Prints a run's events: progress lines and the answer to `out`, thinking to `err`."""

    def __init__(self, out: TextIO, err: TextIO) -> None:
        self.out, self.err = out, err
        self.dim = err.isatty()

    def __call__(self, event: RunEvent) -> None:
        # the run's models, imported here: building the parser (any command) need not load them
        from workbench.domain import CodeChecked, PlanMade, Preparing, SubtaskBegun, SubtaskEnded

        data, sid = event.data, event.subtask_id
        if isinstance(data, PlanMade):
            steps = data.decomposition["subtasks"]
            more = " — the planner refines it" if data.refining else ""
            self._line(f"plan: {len(steps)} subtasks in {len(data.phases)} phases ({event.text}){more}")
        elif isinstance(data, Preparing):  # a wait of its own, said on stderr: stdout is the answer
            print(f"{data.what}…", file=self.err, flush=True)
        elif isinstance(data, (SubtaskBegun, SubtaskEnded)) and data.is_answer:
            return  # a direct answer: only its text is printed
        elif isinstance(data, SubtaskBegun) and event.kind == EventKind.SUBTASK_QUEUED:
            self._line(f"[{sid}] queued: {event.text} — waiting for a free slot on {data.backend}")
        elif isinstance(data, SubtaskBegun):
            note = f" — {data.note}" if data.note else ""
            self._line(f"[{sid}] started: {event.text} ({data.role} → {data.model}){note}")
        elif isinstance(data, SubtaskEnded):
            result = data.result
            detail = f" — {result.error}" if result.error else ""
            self._line(f"[{sid}] {result.status} in {result.duration_ms / 1000:.1f} s{detail}")
        elif isinstance(data, CodeChecked):
            self._line(f"[{sid}] check {data.language}: {event.text}")
        elif event.kind == EventKind.SYNTHESIS_STARTED:
            self._line("synthesis: " + event.text + "\n")
        elif event.kind == EventKind.TOKEN and sid is None:
            self.out.write(event.text)
            self.out.flush()
        elif event.kind == EventKind.THINKING:
            self.err.write(f"{_DIM}{event.text}{_RESET}" if self.dim else event.text)
            self.err.flush()

    def _line(self, text: str) -> None:
        print(text, file=self.out, flush=True)


def run_ask(args: argparse.Namespace, settings: Settings) -> int:
    glm = build_system(settings)
    if glm.backend_notice and not args.json:
        print(f"note: {glm.backend_notice}", file=sys.stderr)
    try:
        result = glm.chat_with_model_enhanced(
            args.question, args.model, not args.no_decompose, project=args.project,
            on_event=None if args.json else TerminalProgress(sys.stdout, sys.stderr),
        )
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.json:
        print(result.model_dump_json(indent=2))
    else:
        print()
        if result.error:
            print(f"{result.status}: {result.error}", file=sys.stderr)
    return 0 if result.status == "complete" else 1
