from pathlib import Path

from workbench.analysis.context_reader import SourceFile, read_sources
from workbench.analysis.hotspots import find_hotspots
from workbench.analysis.metrics import measure
from workbench.analysis.patterns import detect_patterns
from workbench.analysis.analyzer import analyze_source


def _source(text: str, language: str, name: str = "x") -> SourceFile:
    return SourceFile(Path(name), name, language, text)  # type: ignore[arg-type]


def test_known_hotspots_are_found_most_complex_first(fixture_project: Path, settings) -> None:
    files = [analyze_source(s, settings) for s in read_sources(fixture_project).files if s.language != "faust"]
    spots = find_hotspots(files)
    assert [(s.function, s.path) for s in spots] == [
        ("route_message", "python/preset_repository.py"),
        ("GainProcessor::computeCoefficient", "Source/PluginProcessor.cpp"),
    ]
    assert spots[0].complexity > 10 and spots[0].parameters == 7
    assert any("parameters > 5" in reason for reason in spots[1].reasons)


def test_python_docstrings_and_syntax_errors() -> None:
    good = measure(_source('def a():\n    """Why."""\n    return 1\n\ndef b():\n    return 2\n', "python"))
    assert [f.name for f in good.functions] == ["a", "b"] and good.documented_functions == 1
    bad = measure(_source("def broken(:\n    pass\n", "python", "bad.py"))
    assert [(f.rule, f.line, f.severity) for f in bad.findings] == [("syntax-error", 1, "error")]


def test_faust_definitions_are_counted_as_functions() -> None:
    measured = measure(_source('import("stdfaust.lib");\nsmooth(c) = *(1-c) : + ~ *(c);\nprocess = _ : smooth(0.9);\n', "faust"))
    assert [(f.name, f.parameters) for f in measured.functions] == [("smooth", 1), ("process", 0)]
    assert measured.nloc == 3


def test_patterns_of_the_fixture_with_evidence(fixture_project: Path) -> None:
    matches = [m for s in read_sources(fixture_project).files for m in detect_patterns(s)]
    names = {m.pattern for m in matches}
    assert {"Plugin processor", "Plugin editor", "Repository", "Observer / event-driven"} <= names
    assert "Singleton" not in names and "Parameter tree (APVTS)" not in names
    processor = next(m for m in matches if m.pattern == "Plugin processor")
    assert processor.path == "Source/PluginProcessor.h" and "juce::AudioProcessor" in processor.evidence


def test_singleton_and_apvts_are_recognised() -> None:
    code = "class Cache { public: JUCE_DECLARE_SINGLETON (Cache, false) };\njuce::AudioProcessorValueTreeState apvts;\n"
    assert {m.pattern for m in detect_patterns(_source(code, "cpp"))} == {"Singleton", "Parameter tree (APVTS)"}
