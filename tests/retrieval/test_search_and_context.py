"""Search (BM25 alone and hybrid with the real all-MiniLM-L6-v2) and per-subtask context."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from workbench.config import PROJECT_ROOT
from workbench.domain import DocSource, Role, Subtask, TaskType
from workbench.retrieval import KnowledgeBase, cite, estimate_tokens, format_passages
from workbench.retrieval.index import HybridIndex, Ranking
from workbench.retrieval.developer_words import api_words

from .conftest import JUCE_HEADERS, copy_sources, small_settings


@pytest.fixture(scope="module")
def hybrid_kb(tmp_path_factory) -> KnowledgeBase:
    """A small hybrid index (~120 entries); the embedding model loads once for the module."""
    tmp_path = tmp_path_factory.mktemp("hybrid")
    sources = copy_sources(tmp_path, ["stdfaust.lib", "oscillators.lib"], JUCE_HEADERS[:1], [])
    primers = tmp_path / "knowledge"
    primers.mkdir()
    shutil.copy(PROJECT_ROOT / "knowledge" / "juce_parameters_apvts.md", primers)
    settings = small_settings(tmp_path, sources, embeddings=True)
    settings.retrieval.knowledge_dir = primers
    kb = KnowledgeBase(settings)
    kb.ingest()
    return kb


def _subtask(**fields) -> Subtask:
    base = dict(id="s1", title="Design the filter", description="Write a FAUST Butterworth lowpass filter "
                "with a cutoff slider", task_type=TaskType.FAUST, role=Role.CODER)
    return Subtask(**{**base, **fields})


def test_bm25_search_filters_and_errors(bm25_settings):
    kb = KnowledgeBase(bm25_settings)
    kb.ingest()
    assert kb.mode == "bm25"
    top = kb.search("fi.lowpass", k=3)
    assert top[0].title == "fi.lowpass" and top[0].location.startswith("filters.lib:")
    juce_only = kb.search("lowpass filter gain", k=5, sources=[DocSource.JUCE_HEADERS])
    assert juce_only and all(p.source == DocSource.JUCE_HEADERS for p in juce_only)
    with pytest.raises(ValueError, match="Type a search query"):
        kb.search("   ")
    with pytest.raises(ValueError, match="k must be at least 1"):
        kb.search("lowpass", k=0)
    with pytest.raises(ValueError, match="needs embeddings"):
        kb.search("lowpass", mode="dense")
    with pytest.raises(ValueError, match="use one of: faust_libraries"):
        kb.search("lowpass", sources=["faust"])


def test_hybrid_index_embeds_every_entry_and_finds_by_meaning(hybrid_kb):
    status = hybrid_kb.status()
    assert status["mode"] == "hybrid"
    assert status["vectors"] == status["entries"] > 100
    # the words of the query are not those of the entries: the dense ranker finds them by meaning
    dense = hybrid_kb.search("pure tone generator producing a sinusoid", k=5, mode="dense")
    assert any(p.title.startswith("os.osc") or p.title == "os.sinwaveform" for p in dense)
    hybrid = hybrid_kb.search("connect a slider to a plugin parameter", k=5)
    assert "AudioProcessorValueTreeState::SliderAttachment" in [p.title for p in hybrid]
    scores = [p.score for p in hybrid]
    # fused scores, best first but for a class's hits past MAX_PER_GROUP (they wait behind others)
    assert scores[0] == max(scores) <= (hybrid_kb.config.bm25_weight + 1) / (hybrid_kb.config.rrf_k + 1) + 1e-6


def test_a_bridged_question_is_ranked_by_bm25_alone_in_hybrid_mode(hybrid_kb):
    """Developer words bridged to API names ("knob" -> Slider) are matched exactly by BM25; the
    static embedder's list only pushed those entries down, so such a search skips it."""
    assert api_words("a knob for the gain of my plugin")
    bridged = [(p.title, p.score) for p in hybrid_kb.search("a knob for the gain of my plugin", k=5)]
    assert bridged == [(p.title, p.score) for p in hybrid_kb.search("a knob for the gain of my plugin", k=5, mode="bm25")]
    plain = "pure tone generator producing a sinusoid"
    assert not api_words(plain)
    assert [p.score for p in hybrid_kb.search(plain, k=5)] != [p.score for p in hybrid_kb.search(plain, k=5, mode="bm25")]


def test_reciprocal_rank_fusion_rewards_agreement():
    index = HybridIndex(None, dict, rrf_k=60)
    bm25, dense = Ranking(np.array([3, 1, 2]), np.ones(3)), Ranking(np.array([1, 4]), np.ones(2))
    fused = index.fuse([(bm25, 1.0), (dense, 1.0)], k=3)
    assert [position for position, _ in fused] == [1, 3, 4]
    assert fused[0][1] == pytest.approx(1 / 62 + 1 / 61)
    # where the two rankers disagree on their first hit, the heavier one's comes first
    first_bm25, first_dense = Ranking(np.array([5]), np.ones(1)), Ranking(np.array([6]), np.ones(1))
    assert [p for p, _ in index.fuse([(first_bm25, 2.0), (first_dense, 1.0)], k=2)] == [5, 6]
    assert [p for p, _ in index.fuse([(first_bm25, 0.5), (first_dense, 1.0)], k=2)] == [6, 5]


def test_context_for_fits_the_budget_and_formats_sources(bm25_settings):
    kb = KnowledgeBase(bm25_settings)
    kb.ingest()
    passages = kb.context_for(_subtask(), budget_tokens=600)
    assert passages and passages[0].title == "fi.lowpass"
    assert {p.source for p in passages} <= {DocSource.FAUST_LIBRARIES, DocSource.FAUST_EXAMPLES, DocSource.PRIMERS}
    block = format_passages(passages)
    assert estimate_tokens(block) <= 600 + 30  # the intro line is outside the budget
    assert "[1] fi.lowpass — filters.lib:1558" in block
    assert "Usage: _ : fi.lowpass(N,fc) : _" in block
    assert cite(passages)[0] == "fi.lowpass — filters.lib:1558"

    juce = kb.context_for(_subtask(title="Read the cutoff parameter", task_type=TaskType.JUCE,
                                   description="get the raw parameter value from the value tree state",
                                   context_requirements=[DocSource.JUCE_HEADERS]), 400)
    assert juce and all(p.source == DocSource.JUCE_HEADERS for p in juce)
    assert cite(juce)[0].startswith("juce::AudioProcessorValueTreeState::getRawParameterValue — "
                                    "juce_AudioProcessorValueTreeState.h:")

    tiny = kb.context_for(_subtask(), budget_tokens=70)
    assert len(tiny) == 1 and tiny[0].text.endswith("…")
    # an example program is given whole or not at all: one cut short does not compile
    only_examples = _subtask(context_requirements=[DocSource.FAUST_EXAMPLES])
    assert kb.context_for(only_examples, budget_tokens=4000)
    assert all(not p.text.endswith("…") for p in kb.context_for(only_examples, budget_tokens=120))
    assert all(p.text.endswith("…") for p in kb.context_for(
        _subtask(context_requirements=[DocSource.FAUST_LIBRARIES]), budget_tokens=70))
    assert kb.context_for(_subtask(), budget_tokens=0) == []
    assert format_passages([]) == ""
