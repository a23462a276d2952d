"""`hrm-reason analyze | architecture | debug | optimize`: the code-analysis commands.

Exit codes: `analyze` 0 when no error-level finding (real-time violation, FAUST program
that does not compile, Python that does not parse), 1 when there is one; the advisors 0 when
the run completed, 1 when it was partial or failed; every command 2 for bad input (missing
path, empty question, unwritable output).

The analyzer and the advisors (numpy, the validator) are imported when a command runs, not
when the parser is built: `--help` needs only the advisor modes' names and help.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.advisors.modes import MODES
from workbench.analysis.errors import AnalysisInputError
from workbench.vocabulary import EventKind

if TYPE_CHECKING:
    from tqdm import tqdm

    from workbench.config import Settings
    from workbench.domain import RunEvent

_DONE = {EventKind.SUBTASK_DONE, EventKind.SUBTASK_FAILED, EventKind.SUBTASK_SKIPPED}


def build_system(settings: Settings, model_path: str | None) -> Any:
    """The execution engine the commands use; tests replace this to inject a fake backend."""
    from workbench.advisors.assistants import _engine

    return _engine(settings, model_path)


def register(subparsers: argparse._SubParsersAction) -> None:
    analyze = subparsers.add_parser(
        "analyze", help="metrics, patterns and real-time checks of Python, C++ (JUCE), FAUST and JS/TS code",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    analyze.add_argument("path", help="a source file or a folder")
    analyze.add_argument("--llm", action="store_true", help="let the active model write the recommendations")
    _common(analyze)
    analyze.set_defaults(func=run_analyze)
    for command, mode in MODES.items():
        parser = subparsers.add_parser(command, help=mode.summary, description=__doc__,
                                       formatter_class=argparse.RawDescriptionHelpFormatter)
        parser.add_argument("question", help="the question or problem (quote it)")
        parser.add_argument("--context", metavar="DIR", help="folder whose analysis and relevant files inform the answer")
        _common(parser)
        parser.set_defaults(func=run_advisor, advisor=command)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE instead of printing it")
    parser.add_argument("--json", action="store_true", help="JSON instead of Markdown")
    parser.add_argument("--model", metavar="CKPT", help="HRM checkpoint for the decomposition engine")


def _emit(text: str, output: str | None) -> None:
    if output is None:
        print(text)
        return
    target = Path(output).expanduser()
    if target.is_dir():
        raise AnalysisInputError(f"--output {output} is a folder — give a file name")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    except OSError as error:
        raise AnalysisInputError(f"Cannot write {target}: {error.strerror} — choose another --output") from error
    print(f"report written to {target}", file=sys.stderr)


def run_analyze(args: argparse.Namespace, settings: Settings) -> int:
    from workbench.advisors.assistants import CodeAnalyzer
    from workbench.analysis.report import to_json, to_markdown

    try:
        glm = build_system(settings, args.model) if args.llm or args.model else None
        analyzer = CodeAnalyzer(args.model, settings=settings, glm=glm, progress=True)
        report = analyzer.analyze(args.path)
        _emit(to_json(report) if args.json else to_markdown(report), args.output)
    except AnalysisInputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 1 if report.has_errors else 0


class RunProgressBar:
    """A tqdm bar over the plan's subtasks, on stderr so stdout stays the report."""

    def __init__(self) -> None:
        self.bar: tqdm | None = None

    def __call__(self, event: RunEvent) -> None:
        from workbench.domain import PlanMade  # the run's models: not needed to build the parser

        if isinstance(event.data, PlanMade):  # the template plan, then perhaps the refined one
            from tqdm import tqdm

            if self.bar is not None:
                self.bar.close()
            self.bar = tqdm(total=len(event.data.decomposition["subtasks"]), desc="plan", unit="step",
                            file=sys.stderr, leave=False)
        elif self.bar is not None and event.kind == EventKind.SUBTASK_STARTED:
            self.bar.set_description(event.text[:40])
        elif self.bar is not None and event.kind in _DONE:
            self.bar.update(1)
        elif self.bar is not None and event.kind in (EventKind.RUN_DONE, EventKind.RUN_FAILED):
            self.bar.close()


def run_advisor(args: argparse.Namespace, settings: Settings) -> int:
    from workbench.advisors.assistants import ADVISORS

    try:
        if args.context is not None and not Path(args.context).expanduser().is_dir():
            raise AnalysisInputError(f"--context {args.context} is not a folder — give the folder to read")
        advisor = ADVISORS[args.advisor](settings=settings, glm=build_system(settings, args.model))
        progress = RunProgressBar()
        advice = advisor.ask(args.question, args.context, on_event=progress)
        if progress.bar is not None:
            progress.bar.close()
        _emit(json.dumps(advice.model_dump(mode="json") | {"confidence_level": advice.confidence.value}, indent=2)
              if args.json else advice.to_markdown(), args.output)
    except (AnalysisInputError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if not advice.ok:
        print(f"the run ended {advice.status}: {advice.error}", file=sys.stderr)
    return 0 if advice.ok else 1
