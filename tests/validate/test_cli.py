import json
from pathlib import Path

import pytest

from tests.validate.conftest import OSC_440
from workbench.cli import main
from workbench.execute.hooks import CodeValidator
from workbench.validate.juce_syntax import PCH_BUILD_NOTICE, pch_build_notice


@pytest.fixture(autouse=True)
def private_data_dir(monkeypatch, shared_data_dir):
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(shared_data_dir))


def test_json_output_of_a_rendered_program_and_exit_0(tmp_path, capsys):
    source = tmp_path / "osc.dsp"
    source.write_text(OSC_440)
    assert main(["validate", str(source), "--render", "0.3", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is True and report["language"] == "faust" and report["errors"] == []
    assert abs(report["render"]["peak_hz"] - 440) < 1 and report["render"]["seconds"] == 0.3


def test_errors_with_their_lines_and_exit_1(tmp_path, capsys):
    source = tmp_path / "bad.txt"
    source.write_text("process = os.osc(440);\n")
    assert main(["validate", str(source), "--lang", "faust", "--json"]) == 1
    [error] = json.loads(capsys.readouterr().out)["errors"]
    assert (error["line"], error["kind"]) == (1, "missing_import")
    assert error["hint"] == 'add import("stdfaust.lib"); as the first line'


def test_plain_text_output(tmp_path, capsys):
    source = tmp_path / "bad.dsp"
    source.write_text('import("stdfaust.lib");\nprocess = os.osc(440) *;\n')
    assert main(["validate", str(source)]) == 1
    assert capsys.readouterr().out.startswith("faust: failed — line 2: syntax error")


@pytest.mark.parametrize("name, extra, message", [
    ("notes.txt", [], "pass --lang faust or --lang cpp"),
    ("missing.dsp", [], "cannot read"),
    ("plugin.cpp", ["--render", "1"], "applies to FAUST only"),
])
def test_bad_input_exits_2_with_a_clear_message(tmp_path, capsys, name, extra, message):
    if name != "missing.dsp":
        (tmp_path / name).write_text("int x;\n")
    assert main(["validate", str(tmp_path / name), *extra]) == 2
    assert message in capsys.readouterr().err


def test_an_empty_file_exits_2(tmp_path, capsys):
    (tmp_path / "empty.dsp").write_text("\n")
    assert main(["validate", str(tmp_path / "empty.dsp")]) == 2
    assert "empty" in capsys.readouterr().err


def test_prepare_builds_the_precompiled_header_the_c_plus_plus_checks_use(shared_data_dir, vsettings, capsys):
    pending = pch_build_notice(vsettings)  # another test of the session may have built it already
    assert main(["validate", "--prepare"]) == 0
    captured = capsys.readouterr()
    out = captured.out
    assert out.startswith("JUCE precompiled header ready in ")
    folder = out.split(" ready in ", 1)[1].strip()
    assert folder.startswith(str(shared_data_dir)) and (Path(folder) / "juce_pch.h.gch").is_file()
    # the wait was said on stderr while it was built; once built, nothing is waited for
    assert (PCH_BUILD_NOTICE in captured.err) == (pending is not None)
    assert pch_build_notice(vsettings) is None
    assert CodeValidator(vsettings).preparation("```cpp\nint x;\n```") is None


def test_a_c_plus_plus_answer_says_it_waits_for_the_header_build_until_it_is_built(settings):
    validator = CodeValidator(settings)  # a fresh data dir: no header built
    assert validator.preparation("Here:\n```cpp\nint x;\n```") == PCH_BUILD_NOTICE
    assert validator.preparation('```faust\nprocess = _;\n```') is None  # no C++ check, no build
    settings.validation.juce_precompiled_header = False
    assert validator.preparation("```cpp\nint x;\n```") is None


def test_no_file_and_no_prepare_exits_2(capsys):
    assert main(["validate"]) == 2
    assert "give a FILE" in capsys.readouterr().err
