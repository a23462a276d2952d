"""Hosts, one backend per host, and where a role runs when its host is down.

The Ollama hosts are real HTTP servers on 127.0.0.1 (pytest-httpserver) speaking `/api/tags`;
a down host is a port nothing listens on.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from workbench.config import load_settings
from workbench.domain import Role
from workbench.llm import BackendUnavailable, OllamaBackend
from workbench.llm.hosts import HostPool, configured_hosts
from workbench.llm.role_backends import resolve_role, role_hosts

DOWN = "http://127.0.0.1:9"
TAGS = {"models": [{"name": "qwen2.5-coder:7b", "model": "qwen2.5-coder:7b", "size": 4683087332,
                    "digest": "abc", "details": {"family": "qwen2", "parameter_size": "7.6B",
                                                 "quantization_level": "Q4_K_M"}}]}


def settings_with(tmp_path: Path, laptop_url: str = "http://127.0.0.1:1", **roles):
    return load_settings(
        data_dir=tmp_path / "data",
        llm={"backend": "auto", "ollama_host": DOWN, "connect_timeout_s": 2.0},
        hosts={"gpu": {"backend": "ollama", "base_url": DOWN},
               "laptop": {"backend": "ollama", "base_url": laptop_url}},
        roles=roles,
    )


@pytest.fixture
def laptop(httpserver: HTTPServer) -> str:
    httpserver.expect_request("/api/tags").respond_with_json(TAGS)
    return httpserver.url_for("/").rstrip("/")


def test_role_hosts_follow_the_settings(tmp_path):
    s = settings_with(tmp_path, reasoning={"host": "gpu", "fallback": ["laptop", "embedded"]},
                      coder={"backend": "openai", "base_url": "http://10.0.0.7:8000/v1"})
    assert role_hosts(s, Role.REASONING) == ["gpu", "laptop", "embedded"]
    assert role_hosts(s, Role.CODER) == ["openai@10.0.0.7:8000"]
    assert role_hosts(s, Role.MATH) == ["ollama", "embedded"]  # auto: today's behaviour
    hosts = configured_hosts(s)
    assert list(hosts) == ["ollama", "embedded", "gpu", "laptop", "openai@10.0.0.7:8000"]
    assert hosts["embedded"].concurrency == 1 and hosts["gpu"].concurrency == 2


def test_each_host_gets_its_own_backend_aimed_at_it(tmp_path):
    pool = HostPool(settings_with(tmp_path))
    gpu, laptop = pool.backend("gpu"), pool.backend("laptop")
    assert isinstance(gpu, OllamaBackend) and isinstance(laptop, OllamaBackend)
    assert (gpu.host, laptop.host) == (DOWN, "http://127.0.0.1:1")
    assert pool.backend("gpu") is gpu  # built once
    with pytest.raises(KeyError, match="No host called 'nas'"):
        pool.backend("nas")


def test_a_role_whose_host_is_down_falls_back_and_says_why(tmp_path, laptop):
    s = settings_with(tmp_path, laptop, coder={"host": "gpu", "fallback": ["laptop"]})
    binding = resolve_role(s, Role.CODER)
    assert binding.host == "laptop" and binding.tag == "qwen2.5-coder:32b"
    assert binding.backend.host == laptop
    assert binding.fell_back_from == "gpu"
    assert "Ollama is not reachable at http://127.0.0.1:9" in binding.reason
    assert binding.notice.startswith("coder ran on laptop: gpu is down (Ollama is not reachable")


def test_a_healthy_host_is_used_without_a_notice(tmp_path, laptop):
    s = settings_with(tmp_path, laptop, coder={"host": "laptop"})
    binding = resolve_role(s, Role.CODER)
    assert (binding.host, binding.fell_back_from, binding.notice) == ("laptop", None, None)


def test_auto_falls_back_to_the_embedded_model_as_before(tmp_path):
    binding = resolve_role(settings_with(tmp_path), Role.MATH)
    assert binding.host == "embedded" and binding.backend.name == "embedded"
    assert binding.fell_back_from == "ollama"


def test_no_host_answering_names_every_host_tried(tmp_path):
    s = settings_with(tmp_path, reasoning={"host": "gpu", "fallback": ["laptop"]})
    with pytest.raises(BackendUnavailable) as caught:
        resolve_role(s, Role.REASONING)
    message = str(caught.value)
    assert message.startswith("No host for the reasoning role answers — gpu: Ollama is not reachable at http://127.0.0.1:9")
    assert "; laptop: Ollama is not reachable at http://127.0.0.1:1" in message


def test_three_roles_on_one_host_cost_one_probe(tmp_path, laptop, httpserver):
    s = settings_with(tmp_path, laptop, reasoning={"host": "laptop"}, coder={"host": "laptop"},
                      math={"host": "laptop"})
    pool = HostPool(s)
    assert {resolve_role(s, role, pool).host for role in Role} == {"laptop"}
    assert len(httpserver.log) == 1


def test_an_answer_says_where_a_role_ran_when_its_host_was_down(tmp_path):
    from multi_model_system import MultiModelGLMSystem
    from workbench.domain import GenerationOptions

    settings = load_settings(
        data_dir=tmp_path / "data",
        llm={"backend": "embedded", "ollama_host": "http://127.0.0.1:1", "connect_timeout_s": 1.0},
        hosts={"workstation": {"backend": "ollama", "base_url": "http://127.0.0.1:9"}},
        roles={"coder": {"host": "workstation", "fallback": ["embedded"]}},
    )
    glm = MultiModelGLMSystem(settings, retriever=None, validator=None, options=GenerationOptions(max_tokens=8))
    result = glm.chat_with_model_enhanced("Write a FAUST passthrough", "Qwen2.5-Coder (Implementation)",
                                          use_hrm_decomposition=False)
    assert result.status == "complete", result.error
    assert result.answer.splitlines()[-1].startswith("> coder ran on embedded: workstation is down")
    [stored] = glm.list_subtasks(result.run_id)
    assert stored.backend == "embedded" and stored.role == "coder" and stored.output.strip()
