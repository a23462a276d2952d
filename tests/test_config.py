"""The settings object: defaults from the seed, file and environment overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.config import load_settings
from workbench.domain import Role


def test_seed_role_defaults(tmp_path: Path) -> None:
    s = load_settings(data_dir=tmp_path)
    assert s.model_for(Role.REASONING).tag == "deepseek-r1:70b"
    assert s.model_for(Role.CODER).display_name == "Qwen2.5-Coder (Implementation)"
    assert s.model_for(Role.MATH).tag == "qwen2.5:32b"
    assert s.role_for_display_name("DeepSeek-R1 (Reasoning)") is Role.REASONING
    assert s.role_for_display_name("qwen2.5:32b") is Role.MATH
    assert s.role_for_display_name("nope") is None
    assert s.limits.max_question_chars == 100_000


def test_file_then_environment_overrides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "settings.toml"
    config.write_text(
        '[llm]\nbackend = "ollama"\nollama_keep_alive = "1h"\n'
        '[roles.coder]\ntag = "qwen2.5-coder:7b"\ndisplay_name = "Coder 7B"\n'
    )
    monkeypatch.setenv("WORKBENCH_CONFIG", str(config))
    monkeypatch.setenv("WORKBENCH_LLM__BACKEND", "embedded")
    monkeypatch.setenv("OLLAMA_HOST", "10.0.0.5:11434")
    s = load_settings(data_dir=tmp_path / "data")
    assert s.llm.backend == "embedded"  # the environment beats the file
    assert s.llm.ollama_keep_alive == "1h"  # the file beats the default
    assert s.llm.ollama_host == "http://10.0.0.5:11434"  # a bare host:port gets its scheme
    assert s.model_for(Role.CODER).tag == "qwen2.5-coder:7b"
    assert s.model_for(Role.REASONING).tag == "deepseek-r1:70b"  # roles not named keep defaults
    assert (tmp_path / "data").is_dir()


def test_invalid_value_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_LLM__BACKEND", "telepathy")
    with pytest.raises(ValueError, match="backend"):
        load_settings(data_dir=tmp_path)
