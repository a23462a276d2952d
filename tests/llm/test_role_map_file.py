"""Saving the role map into the user's settings file: their other settings and comments stay."""

from __future__ import annotations

import pytest

from workbench.config import load_settings
from workbench.domain import Role
from workbench.llm.role_map_file import RoleChoice, save_role_map

EXISTING = """# my workbench
data_dir = "/tmp/wb"   # where the database lives

[llm]
ollama_keep_alive = "1h"

[hosts.gpu]
backend = "openai"
base_url = "http://10.0.0.7:8000/v1"

[roles.coder]
tag = "qwen2.5-coder:7b"
display_name = "Coder 7B"   # shown in the sidebar
backend = "embedded"
"""


def test_roles_are_rewritten_and_everything_else_is_kept(tmp_path, monkeypatch):
    path = tmp_path / "settings.toml"
    path.write_text(EXISTING)
    settings = save_role_map(path, {
        Role.REASONING: RoleChoice(tag="deepseek-r1:70b", host="gpu", fallback=["ollama"]),
        Role.CODER: RoleChoice(tag="qwen2.5-coder:14b"),
        Role.MATH: RoleChoice(tag="qwen2.5:7b", backend="ollama", base_url="http://laptop:11434"),
    })
    text = path.read_text()
    assert text.startswith("# my workbench\ndata_dir = \"/tmp/wb\"   # where the database lives")
    assert 'display_name = "Coder 7B"   # shown in the sidebar' in text and 'ollama_keep_alive = "1h"' in text
    assert settings.model_for(Role.REASONING).host == "gpu"

    monkeypatch.setenv("WORKBENCH_CONFIG", str(path))
    loaded = load_settings(data_dir=tmp_path / "data")
    coder = loaded.model_for(Role.CODER)
    assert (coder.tag, coder.backend, coder.display_name) == ("qwen2.5-coder:14b", "auto", "Coder 7B")
    assert loaded.model_for(Role.REASONING).fallback == ["ollama"]
    assert loaded.model_for(Role.MATH).base_url == "http://laptop:11434"
    assert loaded.llm.ollama_keep_alive == "1h"


def test_a_map_that_would_not_load_is_refused_and_nothing_is_written(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text(EXISTING)
    with pytest.raises(ValueError, match="^role 'coder' points at host 'nas', which is not configured"):
        save_role_map(path, {Role.CODER: RoleChoice(tag="x", host="nas")})
    assert path.read_text() == EXISTING
    assert [p.name for p in tmp_path.iterdir()] == ["settings.toml"]


def test_a_missing_file_is_created_and_a_broken_one_left_alone(tmp_path):
    fresh = tmp_path / "config" / "settings.toml"
    save_role_map(fresh, {Role.CODER: RoleChoice(tag="qwen2.5-coder:7b", host="embedded")})
    assert 'host = "embedded"' in fresh.read_text()

    broken = tmp_path / "broken.toml"
    broken.write_text("[roles\ntag = ")
    with pytest.raises(ValueError, match="is not valid TOML .* fix it by hand first"):
        save_role_map(broken, {Role.CODER: RoleChoice(tag="x")})
    assert broken.read_text() == "[roles\ntag = "
