"""Each host's health, latency and installed models, against servers speaking the real formats."""

from __future__ import annotations

import pytest
from pytest_httpserver import HTTPServer

from workbench.config import load_settings
from workbench.llm.host_status import probe_hosts
from workbench.llm.hosts import HostPool
from workbench.llm.model_catalog import ModelInfo, from_name
from tests.llm.test_role_backends import TAGS


@pytest.mark.parametrize(("name", "family", "params", "quant"), [
    ("SmolLM2-135M-Instruct.Q4_1.gguf", "smollm2", "135M", "Q4_1"),
    ("Qwen/Qwen2.5-Coder-32B-Instruct-AWQ", "qwen2.5", "32B", "AWQ"),
    ("deepseek-r1:70b", "deepseek", "70B", None),
    ("qwen2.5-coder:7b-instruct-q4_K_M", "qwen2.5", "7B", "Q4_K_M"),
    ("Meta-Llama-3.1-8B-Instruct-IQ4_XS.gguf", "meta", "8B", "IQ4_XS"),
    ("gpt", "gpt", None, None),
])
def test_facts_are_read_from_model_names(name, family, params, quant):
    assert from_name(name) == ModelInfo(name, None, family, params, quant)


def test_every_host_reports_health_latency_and_models(tmp_path, httpserver: HTTPServer):
    httpserver.expect_request("/api/tags").respond_with_json(TAGS)
    httpserver.expect_request("/v1/models").respond_with_json({"object": "list", "data": [
        {"id": "SmolLM2-135M-Instruct.Q4_1.gguf", "object": "model", "created": 1, "owned_by": "llamacpp",
         "meta": {"n_params": 134515008, "size": 100925440}}]})
    base = httpserver.url_for("/").rstrip("/")
    settings = load_settings(data_dir=tmp_path / "data",
                             llm={"ollama_host": "http://127.0.0.1:9", "connect_timeout_s": 2.0},
                             hosts={"laptop": {"backend": "ollama", "base_url": base},
                                    "gpu": {"backend": "openai", "base_url": base + "/v1"}})
    statuses = {s.host.name: s for s in probe_hosts(HostPool(settings))}

    assert list(statuses) == ["ollama", "embedded", "laptop", "gpu"]
    down = statuses["ollama"]
    assert not down.reachable and down.detail.startswith("Ollama is not reachable at http://127.0.0.1:9")
    laptop = statuses["laptop"]
    assert laptop.reachable and laptop.latency_ms > 0
    assert laptop.models == [ModelInfo("qwen2.5-coder:7b", 4683087332, "qwen2", "7.6B", "Q4_K_M")]
    assert laptop.has("qwen2.5-coder:7b") and not laptop.has("qwen2.5-coder:32b")
    assert statuses["gpu"].models == [ModelInfo("SmolLM2-135M-Instruct.Q4_1.gguf", 100925440, "smollm2", "135M", "Q4_1")]
    (embedded,) = statuses["embedded"].models
    assert embedded.quantization == "Q4_1" and embedded.size_bytes > 50_000_000
