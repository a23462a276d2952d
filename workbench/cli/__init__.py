"""The `hrm-reason` command line.

Each module of this package contributes one group of subcommands through
`register(subparsers)`, setting `func(args, settings) -> int` on its parsers. The command
line only parses arguments and calls the library; the library never imports argparse.
Exit codes: 0 success, 1 the work failed (e.g. validation errors), 2 bad usage or input.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from workbench.config import load_settings


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hrm-reason",
        description="FAUST/JUCE workbench: ask, decompose, retrieve, validate, analyze, train.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args, load_settings()) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
