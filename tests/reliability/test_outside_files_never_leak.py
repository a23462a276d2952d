"""Case: six ways of making a compiler read a file outside the project each put a line of it
into the error shown to the user. Each is now refused, at every layer on its own: the source
check before the compilers run, the confined compilers that cannot see the file, and the
check of what the compilers actually opened (with bubblewrap missing)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reliability.conftest import SECRET_LINE
from workbench.validate import faust_compiler, juce_syntax, validate_code

CASES = {
    "faust import behind a comment": ("faust", 'import(/**/"{path}");\nprocess = _;\n'),
    "faust import of a file URL": ("faust", 'import("file://{path}");\nprocess = _;\n'),
    "faust ffunction header naming a file": (
        "faust", 'f = ffunction(float sqrtf(float), "{path}", "");\nprocess = f(1.0) * 0.1;\n'),
    "cpp include of a macro": ("cpp", '#define P "{path}"\n#include P\nint main() {{ return 0; }}\n'),
    "cpp %:include digraph": ("cpp", '%:include "{path}"\nint main() {{ return 0; }}\n'),
    "cpp line-spliced include": ("cpp", '#inc\\\nlude "{path}"\nint main() {{ return 0; }}\n'),
}


def _messages(result) -> str:
    return " ".join([e.message for e in result.errors] + result.warnings + [result.tool_status])


@pytest.mark.parametrize("case", CASES)
def test_refused_before_any_compiler_runs(vsettings, secret: Path, case):
    language, program = CASES[case]
    result = validate_code(program.format(path=secret), language, vsettings, render_seconds=0.1)
    assert result.ok is False and result.errors[0].line in (1, 2)
    assert SECRET_LINE not in _messages(result) and "root:x" not in _messages(result)


def _without_the_source_check(monkeypatch):
    monkeypatch.setattr(juce_syntax, "outside_references", lambda code, language: [])
    monkeypatch.setattr(faust_compiler, "outside_references", lambda code, language: [])
    monkeypatch.setattr(faust_compiler, "foreign_refusals", lambda code: [])


@pytest.mark.parametrize("case", CASES)
def test_the_confined_compilers_cannot_open_the_file(vsettings, secret: Path, case, monkeypatch):
    _without_the_source_check(monkeypatch)
    language, program = CASES[case]
    result = validate_code(program.format(path=secret), language, vsettings, render_seconds=0.1)
    assert result.ok is False
    assert SECRET_LINE not in _messages(result) and "root:x" not in _messages(result)


@pytest.mark.parametrize("case", CASES)
def test_what_the_compilers_opened_is_checked_when_they_run_unconfined(vsettings, secret: Path, case,
                                                                        monkeypatch, no_sandbox):
    _without_the_source_check(monkeypatch)
    language, program = CASES[case]
    result = validate_code(program.format(path=secret), language, vsettings, render_seconds=0.1)
    assert SECRET_LINE not in _messages(result) and "root:x" not in _messages(result)
    if language == "cpp":
        assert result.ok is False and f"made the compiler read {secret}" in result.errors[0].message
    else:  # the header is read only when the render binary is built, and without a sandbox nothing is
        assert result.ok is False or result.checks == ["compiled"] and "not rendered" in result.warnings[0]


def test_the_juce_project_export_refuses_them_too(vsettings, secret: Path):
    from workbench.validate import make_juce_project

    project = make_juce_project(f'import("{secret}");\nprocess = _;\n', vsettings)
    assert project.ok is False and project.status.startswith("faust2juce not run: line 1: ")
    assert SECRET_LINE not in project.status
