"""Per-role hosts in the settings: what loads, and what is refused with a message that says why."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from workbench.config import load_settings
from workbench.domain import Role
from workbench.llm.role_map_file import settings_error_line


def load_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str):
    config = tmp_path / "settings.toml"
    config.write_text(text)
    monkeypatch.setenv("WORKBENCH_CONFIG", str(config))
    return load_settings(data_dir=tmp_path / "data")


def refusal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> str:
    with pytest.raises(ValidationError) as caught:
        load_file(tmp_path, monkeypatch, text)
    return settings_error_line(caught.value)


def test_a_role_moves_to_a_named_host_and_keeps_its_default_tag(tmp_path, monkeypatch):
    s = load_file(tmp_path, monkeypatch,
                  '[hosts.gpu]\nbackend = "openai"\nbase_url = "http://10.0.0.7:8000/v1/"\nconcurrency = 8\n'
                  '[roles.reasoning]\nhost = "gpu"\nfallback = ["ollama", "embedded"]\n'
                  '[roles.coder]\nbackend = "ollama"\nbase_url = "http://laptop:11434"\n')
    reasoning = s.model_for(Role.REASONING)
    assert (reasoning.host, reasoning.tag, reasoning.display_name) == ("gpu", "deepseek-r1:70b", "DeepSeek-R1 (Reasoning)")
    assert reasoning.fallback == ["ollama", "embedded"]
    assert s.hosts["gpu"].base_url == "http://10.0.0.7:8000/v1" and s.hosts["gpu"].concurrency == 8
    assert s.model_for(Role.CODER).base_url == "http://laptop:11434"
    assert s.model_for(Role.MATH).backend == "auto"  # unnamed roles keep today's behaviour


@pytest.mark.parametrize(("text", "expected"), [
    ('[roles.coder]\nbackend = "vllm"\n',
     "roles.coder.backend: unknown backend 'vllm' — choose one of: auto, ollama, openai, embedded"),
    ('[hosts.gpu]\nbackend = "tgi"\nbase_url = "http://gpu:8080"\n',
     "hosts.gpu.backend: unknown host backend 'tgi' — a host speaks one of: ollama, openai"),
    ('[roles.reasoning]\nhost = "gpu"\n',
     "role 'reasoning' points at host 'gpu', which is not configured — add [hosts.gpu] with backend and "
     "base_url, or use one of: ollama, openai, embedded"),
    ('[hosts.gpu]\nbackend = "openai"\nbase_url = "http://gpu:8000/v1"\n[roles.math]\nhost = "gpu"\nfallback = ["laptop"]\n',
     "role 'math' points at host 'laptop', which is not configured — add [hosts.laptop] with backend and "
     "base_url, or use one of: gpu, ollama, openai, embedded"),
    ('[hosts.ollama]\nbackend = "ollama"\nbase_url = "http://x:11434"\n',
     "hosts: Value error, host name 'ollama' is taken by a built-in host — name it after the machine"),
    ('[hosts.gpu]\nbackend = "openai"\nbase_url = "http://gpu:8000/v1"\n[roles.coder]\nhost = "gpu"\nbackend = "ollama"\n',
     "role 'coder' asks for backend 'ollama' but host 'gpu' speaks 'openai' — drop the role's backend or pick another host"),
    ('[roles.coder]\nbackend = "openai"\n',
     "role 'coder' runs on the built-in openai host, but llm.openai_base_url is not set — set it, or give the "
     "role a base_url or a [hosts.NAME] entry"),
    ('[roles.coder]\nbackend = "embedded"\nbase_url = "http://x:1"\n',
     "role 'coder' has a base_url but backend 'embedded' — set backend to one of: ollama, openai"),
    ('[hosts.gpu]\nbackend = "openai"\nbase_url = "gpu:8000"\n',
     "hosts.gpu.base_url: base_url 'gpu:8000' must start with http:// or https://"),
])
def test_bad_role_and_host_settings_are_refused_in_one_clear_line(tmp_path, monkeypatch, text, expected):
    line = refusal(tmp_path, monkeypatch, text)
    assert "\n" not in line
    assert line.endswith(expected.removeprefix("hosts: Value error, ")), line


def test_the_openai_host_is_fine_once_its_url_is_set(tmp_path, monkeypatch):
    s = load_file(tmp_path, monkeypatch, '[llm]\nopenai_base_url = "http://127.0.0.1:8000/v1"\n'
                                         '[roles.coder]\nbackend = "openai"\n')
    assert s.model_for(Role.CODER).backend == "openai"
