"""The real knowledge base feeds each subtask's prompt, and the run records what it used."""

from __future__ import annotations

import shutil
from pathlib import Path

from multi_model_system import MultiModelGLMSystem
from tests.execute.conftest import FixedDecomposer, make_plan
from tests.fakes import FakeBackend, use_backend
from workbench.config import load_settings
from workbench.domain import Role
from workbench.retrieval import KnowledgeBase


def test_passages_reach_the_prompt_and_the_sources_are_stored(tmp_path: Path):
    faust, examples, empty = tmp_path / "faust", tmp_path / "faust" / "examples", tmp_path / "empty"
    examples.mkdir(parents=True)
    empty.mkdir()
    for lib in ("stdfaust.lib", "filters.lib"):
        shutil.copy(Path("/usr/share/faust") / lib, faust / lib)
    # one example and one JUCE header, so the installed collections are not indexed instead
    shutil.copy(Path("/usr/share/faust/examples/filtering/lowShelf.dsp"), examples / "lowShelf.dsp")
    header = tmp_path / "juce" / "juce_audio_basics" / "buffers" / "juce_AudioSampleBuffer.h"
    header.parent.mkdir(parents=True)
    shutil.copy(Path("/usr/share/juce/modules/juce_audio_basics/buffers/juce_AudioSampleBuffer.h"), header)
    settings = load_settings(data_dir=tmp_path / "data", llm={"backend": "embedded"}, retrieval={
        "faust_lib_dir": faust, "juce_dir": tmp_path / "juce", "faust_examples_dir": examples,
        "knowledge_dir": empty, "use_embeddings": False})
    KnowledgeBase(settings).ingest()
    plan = make_plan("Write a FAUST lowpass filter", [("s1", Role.CODER, []), ("s2", Role.CODER, ["s1"])])
    backend = FakeBackend("process = fi.lowpass(2, 1000);")
    glm = MultiModelGLMSystem(use_backend(settings, backend), hrm=FixedDecomposer(plan), validator=None)
    result = glm.chat_with_model_enhanced("Write a FAUST lowpass filter using fi.lowpass")
    assert result.status == "complete"
    prompt = backend.requests[0]["messages"][-1].content
    assert "Reference documentation" in prompt and "filters.lib:" in prompt
    stored = glm.list_subtasks(result.run_id)[0]
    assert stored.sources and any("filters.lib:" in s for s in stored.sources)
    assert "### Sources" in result.answer and stored.sources[0] in result.answer


class BudgetRecorder:
    """A retriever that only records the token budget each subtask was given, and whether
    example programs were allowed."""

    def __init__(self) -> None:
        self.budgets: list[tuple[int | None, bool]] = []

    def context_for(self, subtask, budget_tokens: int | None = None, *, examples: bool = True) -> list:
        self.budgets.append((budget_tokens, examples))
        return []


def test_the_embedded_model_gets_the_shorter_documentation_budget_without_examples(make_glm, settings):
    """It reads every prompt token on the CPU, and copies a whole example program; a server's
    model gets the whole budget, examples included."""
    settings.retrieval.doc_token_budget, settings.retrieval.embedded_doc_token_budget = 1200, 600
    for name, request in (("embedded", (600, False)), ("ollama", (1200, True))):
        retriever = BudgetRecorder()
        make_glm(FakeBackend("an answer", name=name), retriever=retriever).chat_with_model_enhanced(
            "How do I smooth a slider in FAUST?", use_hrm_decomposition=False)
        assert retriever.budgets == [request], name
