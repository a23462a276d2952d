"""`hrm-reason --help` must not load the heavy libraries: they cost seconds before any output."""

import subprocess
import sys

HEAVY = ("openai", "ollama", "llama_cpp", "torch", "sentence_transformers", "streamlit", "bm25s")

_PROBE = """
import sys
from workbench.cli import build_parser
build_parser()
print(" ".join(sorted(name for name in {heavy!r} if name in sys.modules)))
"""


def test_building_the_parser_loads_no_heavy_library():
    probe = _PROBE.format(heavy=HEAVY)
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()
    assert loaded == []


def test_help_lists_every_subcommand():
    result = subprocess.run([sys.executable, "-m", "workbench.cli", "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    for command in ("analyze", "ask", "decompose", "knowledge", "status", "train", "validate"):
        assert command in result.stdout


def test_llm_package_names_still_resolve_on_first_use():
    probe = ("import sys, workbench.llm as llm; assert 'openai' not in sys.modules; "
             "assert llm.OpenAICompatBackend.__name__ == 'OpenAICompatBackend'; assert 'openai' in sys.modules; "
             "assert 'select_backend' in dir(llm)")
    subprocess.run([sys.executable, "-c", probe], check=True)
