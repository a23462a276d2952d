"""Includes and imports of files outside the project are refused before a compiler runs, so
no other file's text can reach an error message."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.validate import validate_code
from workbench.validate.outside_files import outside_references

SECRET_LINE = "the text of a private file"


def test_absolute_and_parent_paths_are_refused_and_library_names_are_not():
    cpp = '#include <juce_core/juce_core.h>\n#include "../../secret.h"\n#include </etc/shadow>\n#include "dsp/Filter.h"\n'
    assert [(e.line, e.message.split("'")[1]) for e in outside_references(cpp, "cpp")] == [
        (2, "../../secret.h"), (3, "/etc/shadow")]
    faust = 'import("stdfaust.lib");\nlibrary("/home/me/keys.lib");\ncomponent("sub/voice.dsp");\n'
    assert [(e.line, e.message.split("'")[1]) for e in outside_references(faust, "faust")] == [
        (2, "/home/me/keys.lib")]


@pytest.mark.parametrize(("language", "program"), [
    ("faust", 'import("{path}");\nprocess = _;\n'),
    ("cpp", '#include "{path}"\nint main() {{ return 0; }}\n'),
])
def test_a_private_file_named_in_the_code_never_shows_its_text(vsettings, tmp_path: Path, language, program):
    secret = tmp_path / "private.txt"
    secret.write_text(f"{SECRET_LINE} that is not {language}\n")
    result = validate_code(program.format(path=secret), language, vsettings)
    assert result.ok is False and "outside the project" in result.errors[0].message
    assert SECRET_LINE not in " ".join(e.message for e in result.errors)
