"""Which backend answers, and which of its models stands in for a wanted tag.

`auto` prefers Ollama (the big local models) and falls back to the embedded model after one
short health probe, saying so; the caller shows that notice instead of failing.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from workbench.llm.base import Backend, ModelNotFound

if TYPE_CHECKING:
    from workbench.config import Settings

BackendFactory = Callable[["Settings"], Backend]


def _lazy(module: str, cls: str) -> BackendFactory:
    """A factory that imports the backend's client library only when it is built."""
    return lambda settings: getattr(importlib.import_module(module), cls)(settings)


# name → factory. The three real backends are built in; `register_backend` adds more (the
# scripted backend of the tests and benchmarks goes through here like any other).
_FACTORIES: dict[str, BackendFactory] = {
    "ollama": _lazy("workbench.llm.ollama_backend", "OllamaBackend"),
    "embedded": _lazy("workbench.llm.embedded", "EmbeddedBackend"),
    "openai": _lazy("workbench.llm.openai_compat", "OpenAICompatBackend"),
}
_BUILT_IN = dict(_FACTORIES)
BACKEND_NAMES = tuple(_FACTORIES)  # the built-in backends
CHOICES = ("auto", *BACKEND_NAMES)


def register_backend(name: str, factory: BackendFactory) -> None:
    """Make `name` a backend choice (settings, `set_backend`), built by `factory(settings)`;
    a built-in name is replaced until `unregister_backend(name)` restores it."""
    _FACTORIES[name] = factory


def unregister_backend(name: str) -> None:
    """Forget a registered backend; a replaced built-in comes back."""
    if name in _BUILT_IN:
        _FACTORIES[name] = _BUILT_IN[name]
    else:
        _FACTORIES.pop(name, None)


def backend_names() -> tuple[str, ...]:
    """Every backend that can be chosen now: the built-in ones and the registered ones."""
    return tuple(_FACTORIES)


def backend_choices() -> tuple[str, ...]:
    return ("auto", *_FACTORIES)


def build_backend(name: str, settings: Settings) -> Backend:
    """The backend called `name` (one of `backend_names()`)."""
    return _FACTORIES[name](settings)


def select_backend(settings: Settings, choice: str | None = None) -> tuple[Backend, str | None]:
    """Build the chosen backend (`settings.llm.backend` when no choice is given).

    Returns the backend and a notice for the user when `auto` had to fall back.
    Raises `ValueError` for an unknown choice and `BackendUnavailable` when an explicit
    choice cannot be built (e.g. `openai` without a base URL).
    """
    choice = choice or settings.llm.backend
    if choice not in backend_choices():
        raise ValueError(f"Unknown backend {choice!r} — choose one of: {', '.join(backend_choices())}")
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
