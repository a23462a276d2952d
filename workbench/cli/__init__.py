"""The `hrm-reason` command line.

Each module of this package contributes one group of subcommands through
`register(subparsers)`, setting `func(args, settings) -> int` on its parsers. The command
line only parses arguments and calls the library; the library never imports argparse.
Exit codes: 0 success, 1 the work failed (e.g. validation errors), 2 bad usage or input.
The subcommand modules import their heavy libraries inside the commands, so `--help`
stays quick (tests/cli checks which modules it loads).
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hrm-reason",
        description="FAUST/JUCE workbench: ask, decompose, retrieve, validate, analyze, train.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands = sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))  # not __main__
    for name in commands:
        importlib.import_module(f"{__name__}.{name}").register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from workbench.config import load_settings  # after parsing, so `--help` skips pydantic-settings

    try:
        return int(args.func(args, load_settings()) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130

