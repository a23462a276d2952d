"""BM25's tokens: word endings and hyphens do not keep a question from its entry, and a
bridged API name still meets its entries as one whole token."""

from __future__ import annotations

from workbench.retrieval.developer_words import api_tokens
from workbench.retrieval.search_tokens import stem, tokenize


def test_word_endings_meet_their_stem():
    assert len({stem(w) for w in ("sampling", "sampled", "samples", "sample")}) == 1
    assert stem("smoothing") == stem("smoothed") == stem("smooth")
    assert stem("processes") == stem("processing") == stem("process")
    assert stem("frequencies") == stem("frequency") and stem("buses") == stem("bus")
    assert stem("clipping") == stem("clip") == "clip"


def test_short_words_and_word_like_stems_stay_whole():
    assert [stem(w) for w in ("string", "speed", "gain", "bus", "analysis", "status")] == [
        "string", "speed", "gain", "bus", "analysis", "status"]


def test_a_hyphenated_word_also_counts_joined():
    assert {"dropdown", "drop", "down"} <= set(tokenize("a drop-down list"))
    assert set(tokenize("low-pass")) & set(tokenize("fi.lowpass")) == {"lowpass"}


def test_identifiers_stay_whole_so_bridged_names_match_exactly():
    document = set(tokenize("class SmoothedValue; Decibels::decibelsToGain; AudioProcessor::BusesProperties"))
    assert set(api_tokens(["SmoothedValue", "Decibels", "BusesProperties"])) <= document
    assert {"smoothedvalue", "smooth", "valu", "busesproperties", "bus", "property"} <= document


def test_a_document_identifier_also_counts_its_neighbouring_parts_joined():
    document = set(tokenize("dsp::IIR::Coefficients::makeLowPass getPlayHead", compounds=True))
    assert {"lowpass", "playhead", "makelow"} <= document
    # a query's own identifier is matched whole: its pairs would only count its words again
    assert "lowpass" not in tokenize("makeLowPass") and "lowpass" in tokenize("a lowpass")


def test_function_words_of_a_question_are_not_search_tokens():
    assert tokenize("blend the outputs of one filter through a mixer") == ["blend", "output", "filter", "mixer"]
    # "one" still reaches an identifier whole, and its other parts
    assert {"onepole", "pole"} <= set(tokenize("onePole")) and "one" not in tokenize("onePole")


def test_cpp_is_one_word_in_questions_and_documents():
    assert "cpp" in tokenize("use the C++ generated from my dsp") and "cpp" in tokenize("compiles to c++ code")
    assert set(tokenize("C++")) == {"cpp"} and "c" not in tokenize("C++ class")
