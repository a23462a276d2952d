"""The `hrm-reason` command line.

Each module of this package contributes one group of subcommands through
`register(subparsers)`, setting `func(args, settings) -> int` on its parsers. The command
line only parses arguments and calls the library; the library never imports argparse.
Exit codes: 0 success, 1 the work failed (e.g. validation errors), 2 bad usage or input.
The subcommand modules import their heavy libraries inside the commands, so `--help`
stays quick (tests/cli checks which modules it loads). Arguments that are not UTF-8 are
refused in one line (exit 2) before anything runs; output cut short by the reader
(`hrm-reason validate ... | head`) ends quietly with 141, as a shell tool killed by SIGPIPE.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys

BROKEN_PIPE_EXIT = 141  # 128 + SIGPIPE: what `yes | head` leaves in $PIPESTATUS


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


def undecodable_argument(argv: list[str]) -> str | None:
    """The one-line error for the first argument that is not UTF-8, None when all are.
    Python hands such bytes over as lone surrogates (PEP 383); they would fail much later,
    as a codec traceback, wherever the text is written."""
    for number, argument in enumerate(argv, start=1):
        try:
            argument.encode("utf-8")
        except UnicodeEncodeError as error:
            byte = os.fsencode(argument[error.start])[0]
            return (f"hrm-reason: argument {number} is not valid UTF-8 text (byte 0x{byte:02x} at "
                    f"character {error.start + 1}) — pass the text in UTF-8")
    return None


def _discard_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's last flush does not fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if problem := undecodable_argument(argv):
        print(problem, file=sys.stderr)
        return 2
    args = build_parser().parse_args(argv)
    from workbench.config import load_settings  # after parsing, so `--help` skips pydantic-settings

    try:
        code = int(args.func(args, load_settings()) or 0)
        sys.stdout.flush()  # a closed pipe shows here, inside the handler, not at exit
        return code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        _discard_stdout()
        return BROKEN_PIPE_EXIT
