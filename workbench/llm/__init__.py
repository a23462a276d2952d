"""Model backends behind one protocol, and the choice between them.

The names are loaded on first use (PEP 562): the backends pull in the `openai`, `ollama`
and llama.cpp clients, which cost most of a second that `hrm-reason --help` should not pay.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # `X as X`: re-exported for type checkers
    from workbench.llm.base import (
        Backend as Backend,
        BackendError as BackendError,
        BackendUnavailable as BackendUnavailable,
        ModelNotFound as ModelNotFound,
    )
    from workbench.llm.embedded import EmbeddedBackend as EmbeddedBackend
    from workbench.llm.ollama_backend import OllamaBackend as OllamaBackend
    from workbench.llm.openai_compat import OpenAICompatBackend as OpenAICompatBackend
    from workbench.llm.registry import (
        CHOICES as CHOICES,
        build_backend as build_backend,
        resolve_model as resolve_model,
        select_backend as select_backend,
    )

_HOMES = {
    "Backend": "base",
    "BackendError": "base",
    "BackendUnavailable": "base",
    "ModelNotFound": "base",
    "EmbeddedBackend": "embedded",
    "OllamaBackend": "ollama_backend",
    "OpenAICompatBackend": "openai_compat",
    "CHOICES": "registry",
    "build_backend": "registry",
    "resolve_model": "registry",
    "select_backend": "registry",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})
