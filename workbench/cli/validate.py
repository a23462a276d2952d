"""`hrm-reason validate FILE`: check a FAUST or C++ file with the real tools."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.config import Settings
    from workbench.validate import ValidationResult

_SUFFIXES = {".dsp": "faust", ".lib": "faust", ".cpp": "cpp", ".cc": "cpp", ".cxx": "cpp", ".h": "cpp", ".hpp": "cpp"}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "validate", help="compile FAUST (and render it) or syntax-check JUCE C++",
        description="Exit 0 when the code passes, 1 when it fails, 2 for bad input or a missing tool.",
    )
    parser.add_argument("file", type=Path, nargs="?", help="the .dsp or .cpp/.h file ('-' reads stdin)")
    parser.add_argument("--lang", choices=["faust", "cpp"], help="default: from the file suffix")
    parser.add_argument("--render", type=float, default=0.0, metavar="SECONDS",
                        help="FAUST only: also render this many seconds and check the sound")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--prepare", action="store_true",
                        help="build the cached JUCE precompiled header now, so the first C++ check is fast")
    parser.set_defaults(func=run)


def _report(result: ValidationResult) -> str:
    lines = [f"{result.language}: {result.badge}"]
    lines += [f"  line {e.line}: {e.message}" if e.line else f"  {e.message}" for e in result.errors[1:]]
    if result.render:
        r = result.render
        peak_hz = f"{r.peak_hz:.1f} Hz" if r.peak_hz else "none"
        lines.append(f"  render: {r.seconds:g} s, peak {r.peak:.3f}, rms {r.rms:.3f}, dc {r.dc:.3f}, peak frequency {peak_hz}")
    if result.wav_path:
        lines.append(f"  wav: {result.wav_path}")
    lines += [f"  warning: {w}" for w in result.warnings]
    return "\n".join(lines)


def _prepare(settings: Settings) -> int:
    from workbench.validate.juce_syntax import pch_build_notice, precompiled_header
    from workbench.validate.tools import find_tools

    tools = find_tools(settings)
    if hint := tools.missing_for("cpp"):
        print(f"cannot prepare C++ checks: {hint}", file=sys.stderr)
        return 2
    if notice := pch_build_notice(settings):
        print(f"{notice}…", file=sys.stderr, flush=True)
    folder = precompiled_header(settings, tools.juce_modules)
    if folder is None:
        print("building the JUCE precompiled header failed; C++ checks will run without it", file=sys.stderr)
        return 1
    print(f"JUCE precompiled header ready in {folder}")
    return 0


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.prepare:
        return _prepare(settings)
    if args.file is None:
        print("give a FILE to validate (or --prepare)", file=sys.stderr)
        return 2
    language = args.lang or _SUFFIXES.get(args.file.suffix.lower())
    if language is None:
        print(f"cannot tell the language of {args.file}: pass --lang faust or --lang cpp", file=sys.stderr)
        return 2
    if args.render < 0 or (args.render and language != "faust"):
        print("--render takes a positive number of seconds and applies to FAUST only", file=sys.stderr)
        return 2
    try:
        code = sys.stdin.read() if str(args.file) == "-" else args.file.read_text()
    except (OSError, UnicodeDecodeError) as error:
        print(f"cannot read {args.file}: {error}", file=sys.stderr)
        return 2
    if not code.strip():
        print(f"{args.file} is empty: nothing to validate", file=sys.stderr)
        return 2
    from workbench.validate import validate_code
    from workbench.validate.juce_syntax import pch_build_notice

    if language == "cpp" and (notice := pch_build_notice(settings)):
        print(f"{notice}…", file=sys.stderr, flush=True)  # the first C++ check waits for it
    result = validate_code(code, language, settings, render_seconds=args.render or None)
    if args.json:
        print(result.model_dump_json(indent=2, exclude={"code"}))
    else:
        print(_report(result))
    if result.ok is None:
        print(f"not checked: {result.tool_status}", file=sys.stderr)
        return 2
    return 0 if result.ok else 1
