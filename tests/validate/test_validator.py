from tests.validate.conftest import OSC_440, with_validation
from workbench.validate import tool_report, validate_answer, validate_code


def test_a_missing_faust_means_not_checked_with_the_install_hint(vsettings):
    result = validate_code(OSC_440, "faust", with_validation(vsettings, faust_command="no-such-faust"))
    assert result.ok is None
    assert "apt-get install faust" in result.tool_status and "brew install faust" in result.tool_status
    assert result.badge.startswith("not checked")


def test_a_missing_compiler_means_cpp_is_not_checked(vsettings):
    result = validate_code("int x;\n", "cpp", with_validation(vsettings, cxx_command="no-such-g++"))
    assert result.ok is None and "g++" in result.tool_status


def test_missing_juce_headers_are_reported_with_the_install_hint(vsettings, monkeypatch, tmp_path):
    monkeypatch.setattr("workbench.validate.tools._JUCE_CANDIDATES", ())
    settings = vsettings.model_copy(update={"retrieval": vsettings.retrieval.model_copy(update={"juce_dir": tmp_path})})
    result = validate_code("int x;\n", "cpp", settings)
    assert result.ok is None and "juce-modules-source" in result.tool_status
    assert "juce-modules-source" in tool_report(settings)["juce modules"]


def test_every_block_of_an_answer_gets_a_result(vsettings):
    answer = f"""Oscillator:
```faust
{OSC_440}```
Broken:
```faust
process = os.osc(440);
```
Script:
```python
print("hi")
```
"""
    results = validate_answer(answer, vsettings, render_seconds=0)
    assert [(r.language, r.ok) for r in results] == [("faust", True), ("faust", False), ("python", None)]
    assert [(e.kind, e.line) for e in results[1].errors] == [("missing_import", 1)]  # not also faust's "undefined symbol : os"
    assert results[2].badge == "not checked — no checker for python code"


def test_validation_can_be_turned_off(vsettings):
    result = validate_code(OSC_440, "faust", with_validation(vsettings, enabled=False))
    assert result.ok is None and "turned off" in result.tool_status
