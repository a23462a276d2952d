"""What each host has installed: name, size, family, parameter count and quantization.

Ollama says all of it in `/api/tags` (official client's `list()`); an OpenAI-compatible
server's `/v1/models` gives ids only (llama.cpp's `llama-server` adds a `meta` block with the
size and parameter count), so the rest is read from the model's name, where GGUF files and
Hugging Face repositories conventionally carry it (`SmolLM2-135M-Instruct.Q4_1.gguf`,
`Qwen2.5-Coder-32B-Instruct-AWQ`). The embedded model is a file on disk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import httpx

from workbench.llm.hosts import Host

_QUANT = re.compile(
    r"(?:^|[.\-_:/ ])(I?Q\d(?:_[0-9A-Z]+)*|F16|BF16|F32|FP8|AWQ|GPTQ|INT4|INT8)(?=$|[.\-_ ])", re.IGNORECASE
)
_PARAMS = re.compile(r"(?:^|[\-_:. ])(\d+(?:\.\d+)?[BM])(?=$|[\-_. ])", re.IGNORECASE)
_FAMILY = re.compile(r"[a-z]+[\d.]*[a-z\d]*", re.IGNORECASE)


@dataclass(frozen=True)
class ModelInfo:
    name: str
    size_bytes: int | None = None
    family: str | None = None
    parameter_size: str | None = None
    quantization: str | None = None


def from_name(name: str, size_bytes: int | None = None) -> ModelInfo:
    """A model's facts as its name states them; None where it does not."""
    base = name.rsplit("/", 1)[-1]
    quant, params, family = _QUANT.search(base), _PARAMS.search(base), _FAMILY.match(base)
    return ModelInfo(
        name=name,
        size_bytes=size_bytes,
        family=family.group(0).rstrip(".").lower() if family else None,
        parameter_size=params.group(1).upper() if params else None,
        quantization=quant.group(1).upper() if quant else None,
    )


def list_model_details(host: Host, timeout_s: float, embedded_path: Path | None = None) -> list[ModelInfo]:
    """The models installed on `host`. Raises what the clients raise (connection errors,
    `ollama.ResponseError`, `openai.APIError`); callers ask the backend's `health()` first,
    whose message says what to do."""
    if host.backend == "ollama":
        return _ollama_models(host, timeout_s)
    if host.backend == "openai":
        return _openai_models(host, timeout_s)
    if host.backend == "embedded" and embedded_path is not None and embedded_path.is_file():
        return [from_name(embedded_path.name, embedded_path.stat().st_size)]
    return []


def _ollama_models(host: Host, timeout_s: float) -> list[ModelInfo]:
    import ollama

    out = []
    for model in ollama.Client(host=host.base_url, timeout=timeout_s).list().models:
        guessed = from_name(model.model or "", model.size)
        details = model.details
        out.append(ModelInfo(
            name=model.model or "",
            size_bytes=model.size,
            family=(details.family if details else None) or guessed.family,
            parameter_size=(details.parameter_size if details else None) or guessed.parameter_size,
            quantization=(details.quantization_level if details else None) or guessed.quantization,
        ))
    return out


def _openai_models(host: Host, timeout_s: float) -> list[ModelInfo]:
    import openai

    client = openai.OpenAI(base_url=host.base_url, api_key=host.api_key or "not-needed",
                           timeout=httpx.Timeout(timeout_s), max_retries=0)
    out = []
    for model in client.models.list():
        meta = (model.model_extra or {}).get("meta") or {}  # llama.cpp's llama-server
        info = from_name(model.id, meta.get("size"))
        if not info.parameter_size and meta.get("n_params"):
            info = ModelInfo(info.name, info.size_bytes, info.family, _count(meta["n_params"]), info.quantization)
        out.append(info)
    return out


def _count(n_params: int) -> str:
    """134515008 → `135M`, 7615616512 → `7.6B`."""
    return f"{n_params / 1e9:.1f}B" if n_params >= 1e9 else f"{n_params / 1e6:.0f}M"
