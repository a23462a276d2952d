"""`hrm-reason --help` must not load the heavy libraries: they cost seconds before any output."""

import subprocess
import sys

HEAVY = ("openai", "ollama", "llama_cpp", "torch", "sentence_transformers", "streamlit", "bm25s",
         "numpy", "tqdm", "workbench.validate", "workbench.analysis.analyzer")

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


_SEARCH_PROBE = """
import sys
from workbench.cli import build_parser
build_parser()
import workbench.config, workbench.retrieval
print(" ".join(sorted(name for name in ("workbench.domain", "bm25s", "scipy", "torch") if name in sys.modules)))
"""


def test_the_search_path_builds_no_run_models():
    """`knowledge search` needs the settings and the index, not the pydantic models of every run
    event (workbench.domain): on a cold start they cost a fifth of its time."""
    loaded = subprocess.run([sys.executable, "-c", _SEARCH_PROBE], capture_output=True, text=True, check=True).stdout.split()
    assert loaded == []


def test_help_lists_every_subcommand():
    result = subprocess.run([sys.executable, "-m", "workbench.cli", "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    for command in ("analyze", "ask", "decompose", "knowledge", "status", "train", "validate"):
        assert command in result.stdout


def test_each_advisor_command_has_its_mode_help_and_its_advisor():
    from workbench.advisors.modes import MODES
    from workbench.advisors.assistants import ADVISORS

    assert {command: advisor.mode for command, advisor in ADVISORS.items()} == MODES
    result = subprocess.run([sys.executable, "-m", "workbench.cli", "--help"], capture_output=True, text=True)
    for command, mode in MODES.items():
        assert command in result.stdout and mode.summary.split(" →")[0] in result.stdout


def test_llm_package_names_still_resolve_on_first_use():
    probe = ("import sys, workbench.llm as llm; assert 'openai' not in sys.modules; "
             "assert llm.OpenAICompatBackend.__name__ == 'OpenAICompatBackend'; assert 'openai' in sys.modules; "
             "assert 'select_backend' in dir(llm)")
    subprocess.run([sys.executable, "-c", probe], check=True)
