"""The FAUST .lib doc-comment parser, against the Debian faust-common libraries."""

from __future__ import annotations

from pathlib import Path

from workbench.retrieval.faust_lib_parser import library_prefixes, parse_library, parse_library_entries

FAUST_DIR = Path("/usr/share/faust")


def _functions(lib: str, prefix: str) -> dict:
    return {fn.name: fn for fn in parse_library(FAUST_DIR / lib, prefix)}


def test_prefixes_come_from_stdfaust():
    prefixes = library_prefixes(FAUST_DIR)
    assert prefixes["filters.lib"] == "fi"
    assert prefixes["oscillators.lib"] == "os"
    assert prefixes["reverbs.lib"] == "re"


def test_filters_lib_functions_have_their_usage_lines():
    fns = _functions("filters.lib", "fi")
    lowpass = fns["lowpass"]
    assert lowpass.signature() == "fi.lowpass(N,fc)"
    assert lowpass.usage == ["_ : lowpass(N,fc) : _"]
    assert [p for p, _ in lowpass.parameters] == ["N", "fc"]
    assert "Butterworth lowpass" in lowpass.description
    assert fns["highpass"].signature() == "fi.highpass(N,fc)"
    assert fns["resonlp"].signature() == "fi.resonlp(fc,Q,gain)"
    assert fns["zero"].signature() == "fi.zero(z)"
    # two names documented under one header each get their own usage
    assert fns["ffbcombfilter"].signature() == "fi.ffbcombfilter(maxdel,del,g)"
    headers = [l for l in (FAUST_DIR / "filters.lib").read_text().splitlines() if l.startswith("//---") and "`" in l]
    assert len(parse_library(FAUST_DIR / "filters.lib", "fi")) >= len(headers)  # 86 headers, some name two


def test_line_numbers_point_at_the_doc_header():
    lines = (FAUST_DIR / "filters.lib").read_text().splitlines()
    for fn in parse_library(FAUST_DIR / "filters.lib", "fi")[:40]:
        assert f"{fn.name}`" in lines[fn.line - 1], (fn.name, fn.line)


def test_multi_name_headers_and_entries():
    fns = _functions("oscillators.lib", "os")
    assert {"saw2", "saw3", "saw4", "osc"} <= set(fns)
    entries = parse_library_entries(FAUST_DIR / "filters.lib", {"filters.lib": "fi"})
    lowpass = next(e for e in entries if e.title == "fi.lowpass")
    assert lowpass.location.startswith("filters.lib:")
    assert "Usage: _ : fi.lowpass(N,fc) : _" in lowpass.text
    assert "- fc: desired cut-off frequency" in lowpass.text


def test_every_installed_library_parses():
    prefixes = library_prefixes(FAUST_DIR)
    total = sum(len(parse_library(lib, prefixes.get(lib.name, ""))) for lib in FAUST_DIR.glob("*.lib"))
    assert 800 <= total <= 900  # Debian's 2.54 libraries document ~835 functions


def test_an_entry_keeps_only_its_own_usage_lines():
    entries = {e.title: e for e in parse_library_entries(FAUST_DIR / "filters.lib", {"filters.lib": "fi"})}
    assert "Usage: _ : fi.resonhp(fc,Q,gain) : _\n" in entries["fi.resonhp"].text
    assert "resonlp" not in entries["fi.resonhp"].text and "resonbp" not in entries["fi.resonhp"].text
    # a block whose usage lines never name the function keeps them all
    fns = _functions("filters.lib", "fi")
    assert all(fn.own_usage() for fn in fns.values() if fn.usage)
