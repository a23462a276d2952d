"""Small, real knowledge sources for the retrieval tests.

Copies of a few Debian FAUST libraries and JUCE headers go into a tmp folder, so a test can
change them and the ingest stays small; one test still parses every installed FAUST library.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from workbench.config import Settings, load_settings

FAUST_DIR = Path("/usr/share/faust")
JUCE_MODULES = Path("/usr/share/juce/modules")
FAUST_LIBS = ["stdfaust.lib", "filters.lib", "oscillators.lib"]
JUCE_HEADERS = [
    "juce_audio_processors/utilities/juce_AudioProcessorValueTreeState.h",
    "juce_audio_basics/buffers/juce_AudioSampleBuffer.h",
]
EXAMPLES = ["filtering/lowShelf.dsp", "physicalModeling/karplus.dsp"]


def copy_sources(
    tmp_path: Path, libs: list[str], headers: list[str], examples: list[str]
) -> dict[str, Path]:
    """tmp copies of the named FAUST libraries, JUCE module headers and FAUST examples."""
    faust, example_dir, juce = tmp_path / "faust", tmp_path / "examples", tmp_path / "juce"
    faust.mkdir()
    example_dir.mkdir()
    for lib in libs:
        shutil.copy(FAUST_DIR / lib, faust / lib)
    for relative in examples:
        (example_dir / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(FAUST_DIR / "examples" / relative, example_dir / relative)
    for relative in headers:
        (juce / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(JUCE_MODULES / relative, juce / relative)
    return {"faust": faust, "examples": example_dir, "juce": juce}


@pytest.fixture
def sources(tmp_path: Path) -> dict[str, Path]:
    """faust/ (3 libs), examples/ (2 programs), juce/ (2 module headers)."""
    return copy_sources(tmp_path, FAUST_LIBS, JUCE_HEADERS, EXAMPLES)




def small_settings(tmp_path: Path, sources: dict[str, Path], *, embeddings: bool) -> Settings:
    return load_settings(
        data_dir=tmp_path / "data",
        retrieval={
            "faust_lib_dir": sources["faust"],
            "faust_examples_dir": sources["examples"],
            "juce_dir": sources["juce"],
            "use_embeddings": embeddings,
            "background_embeddings": False,
        },
    )


@pytest.fixture
def bm25_settings(tmp_path: Path, sources: dict[str, Path]) -> Settings:
    """Settings over the small sources with embeddings off (no model load)."""
    return small_settings(tmp_path, sources, embeddings=False)
