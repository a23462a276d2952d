"""Backend selection and model fallback."""

from __future__ import annotations

import time

import pytest

from tests.fakes import FakeBackend
from workbench.llm import (
    Backend,
    BackendUnavailable,
    EmbeddedBackend,
    ModelNotFound,
    OllamaBackend,
    OpenAICompatBackend,
    resolve_model,
    select_backend,
)

TAGS = {"models": [{"name": n, "model": n} for n in ("llama3.2:3b", "qwen2.5:7b", "qwen2.5-coder:7b")]}


def test_auto_with_ollama_down_falls_back_to_embedded_and_says_so(settings):
    started = time.perf_counter()
    backend, notice = select_backend(settings, "auto")
    assert isinstance(backend, EmbeddedBackend)
    assert notice == "Ollama is not reachable at http://127.0.0.1:9 — using the embedded SmolLM2 model"
    assert time.perf_counter() - started < settings.llm.connect_timeout_s


def test_auto_with_ollama_up_uses_ollama(httpserver, server_settings):
    httpserver.expect_request("/api/tags").respond_with_json(TAGS)
    assert server_settings.llm.backend == "auto"
    backend, notice = select_backend(server_settings)
    assert isinstance(backend, OllamaBackend) and notice is None
    assert len(httpserver.log) == 1  # one probe, nothing more


def test_explicit_choices_build_that_backend_without_probing(httpserver, server_settings):
    assert isinstance(select_backend(server_settings, "ollama")[0], OllamaBackend)
    assert isinstance(select_backend(server_settings, "openai")[0], OpenAICompatBackend)
    assert select_backend(server_settings, "embedded")[1] is None
    assert httpserver.log == []


def test_settings_choice_is_the_default(settings):
    backend, notice = select_backend(settings)  # the shared fixture says backend="embedded"
    assert isinstance(backend, EmbeddedBackend) and notice is None


def test_unknown_choice_lists_the_valid_ones(settings):
    with pytest.raises(ValueError, match="Unknown backend 'olama'.*auto, ollama, embedded, openai"):
        select_backend(settings, "olama")


def test_openai_without_url_is_a_clear_error(settings):
    with pytest.raises(BackendUnavailable, match="openai_base_url"):
        select_backend(settings, "openai")


@pytest.mark.parametrize(("wanted", "expected", "noted"), [
    ("qwen2.5:7b", "qwen2.5:7b", False),
    ("qwen2.5-coder:32b", "qwen2.5-coder:7b", True),
    ("qwen3:8b", "qwen2.5:7b", True),
    ("deepseek-r1:70b", "llama3.2:3b", True),
])
def test_resolve_model_prefers_the_same_name_then_family_then_first(wanted, expected, noted):
    backend = FakeBackend(name="ollama", models=["llama3.2:3b", "qwen2.5:7b", "qwen2.5-coder:7b"])
    tag, note = resolve_model(backend, wanted)
    assert tag == expected
    assert (note == f"'{wanted}' is not available on ollama — using '{expected}'") if noted else note is None


def test_bare_name_matches_latest():
    assert resolve_model(FakeBackend(models=["mistral:latest"]), "mistral") == ("mistral:latest", None)


def test_embedded_serves_its_one_model_for_any_tag(settings):
    tag, note = resolve_model(EmbeddedBackend(settings), "deepseek-r1:70b")
    assert tag == "smollm2-135m-instruct"
    assert note == "'deepseek-r1:70b' is not available on embedded — using 'smollm2-135m-instruct'"


def test_no_models_at_all_is_model_not_found():
    with pytest.raises(ModelNotFound, match="has no models"):
        resolve_model(FakeBackend(name="ollama", models=[]), "qwen2.5:7b")


def test_every_backend_speaks_the_protocol(server_settings):
    for choice in ("ollama", "embedded", "openai"):
        backend, _ = select_backend(server_settings, choice)
        assert isinstance(backend, Backend) and backend.name == choice
