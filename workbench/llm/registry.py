"""Which backend answers, and which of its models stands in for a wanted tag.

`auto` prefers Ollama (the big local models) and falls back to the embedded model after one
short health probe, saying so; the caller shows that notice instead of failing.
"""

from __future__ import annotations

import importlib
import re
from typing import TYPE_CHECKING

from workbench.llm.base import Backend, ModelNotFound

if TYPE_CHECKING:
    from workbench.config import Settings

# name → (module, class); a backend's client library is imported only when it is built.
_CLASSES = {
    "ollama": ("workbench.llm.ollama_backend", "OllamaBackend"),
    "embedded": ("workbench.llm.embedded", "EmbeddedBackend"),
    "openai": ("workbench.llm.openai_compat", "OpenAICompatBackend"),
}
BACKEND_NAMES = tuple(_CLASSES)
CHOICES = ("auto", *BACKEND_NAMES)


def build_backend(name: str, settings: Settings) -> Backend:
    """The backend called `name` (one of `BACKEND_NAMES`), importing its client on first use."""
    module, cls = _CLASSES[name]
    return getattr(importlib.import_module(module), cls)(settings)


def select_backend(settings: Settings, choice: str | None = None) -> tuple[Backend, str | None]:
    """Build the chosen backend (`settings.llm.backend` when no choice is given).

    Returns the backend and a notice for the user when `auto` had to fall back.
    Raises `ValueError` for an unknown choice and `BackendUnavailable` when an explicit
    choice cannot be built (e.g. `openai` without a base URL).
    """
    choice = choice or settings.llm.backend
    if choice not in CHOICES:
        raise ValueError(f"Unknown backend {choice!r} — choose one of: {', '.join(CHOICES)}")
    if choice != "auto":
        return build_backend(choice, settings), None
    ollama = build_backend("ollama", settings)
    if ollama.health().reachable:
        return ollama, None
    return build_backend("embedded", settings), (
        f"Ollama is not reachable at {ollama.host} — using the embedded SmolLM2 model"
    )


def resolve_model(backend: Backend, wanted_tag: str) -> tuple[str, str | None]:
    """The tag to ask `backend` for, and a note when it is not `wanted_tag`.

    Preference: the tag itself (or `name:latest` for a bare name), then a model of the
    same name with another size (`qwen2.5-coder:7b` for `qwen2.5-coder:32b`), then one of
    the same family (`qwen2.5:7b`), then the first model the backend has.
    Raises `ModelNotFound` when the backend has no models at all.
    """
    available = backend.list_models()
    if not available:
        raise ModelNotFound(
            f"The {backend.name} backend has no models — install one (e.g. `ollama pull "
            f"{wanted_tag}`) or switch backends", wanted_tag,
        )
    if wanted_tag in available:
        return wanted_tag, None
    if f"{wanted_tag}:latest" in available:
        return f"{wanted_tag}:latest", None
    name = wanted_tag.split(":")[0]
    same_name = [tag for tag in available if tag.split(":")[0] == name]
    same_family = [tag for tag in available if _family(tag) == _family(wanted_tag)]
    chosen = (same_name or same_family or available)[0]
    return chosen, f"'{wanted_tag}' is not available on {backend.name} — using '{chosen}'"


def _family(tag: str) -> str:
    """`qwen2.5-coder:32b` → `qwen`, `deepseek-r1:70b` → `deepseek`."""
    match = re.match(r"[a-z]+", tag.lower())
    return match.group(0) if match else tag
