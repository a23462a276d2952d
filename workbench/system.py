"""`System`: the wiring of the workbench, and the door the pages, the CLI and other clients use.

It builds the settings, the storage, the active backend (through the backend registry), the
decomposer and the retrieval and validation hooks once, and hands each question to
`workbench.execute.run`. The seed's `System` is this class.
"""

from __future__ import annotations

import threading
from typing import Any, Literal

from workbench.config import Settings, load_settings
from workbench.decompose.query_input import normalize_query
from workbench.domain import BackendHealth, GenerationOptions, RunEvent, RunResult, TaskDecomposition
from workbench.execute.events import EventSink
from workbench.execute.hooks import CodeValidator, Retriever, Validator
from workbench.execute.planner import Decomposer, TemplatePlanner
from workbench.execute.run import RunParts, run_question
from workbench.execute.run_export import export_run, import_run
from workbench.execute.run_handle import RunHandle
from workbench.execute.slots import BackendSlots
from workbench.llm.base import BackendError
from workbench.llm.registry import backend_choices, backend_names, build_backend, select_backend
from workbench.retrieval import KnowledgeBase
from workbench.storage import Storage
from workbench.storage.records import Conversation, Feedback, Message, Project, ProjectSummary, Run, SubtaskRecord

_WIRED: Any = object()  # "build the real one": lets a caller pass None to turn a hook off


class System:
    """Routes questions to local models and keeps every answer per project."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        storage: Storage | None = None,
        hrm: TemplatePlanner | None = None,
        retriever: Retriever | None = _WIRED,
        validator: Validator | None = _WIRED,
        options: GenerationOptions | None = None,
    ) -> None:
        """`hrm`: what makes template plans, an `HRMLocalWrapper` (built on first decomposition
        when None); `retriever`/`validator`: the documentation and code-check hooks, None for
        off; `options`: generation options for every model call (e.g. a small `max_tokens`).
        The backend is `settings.llm.backend`, any name of the backend registry."""
        self.settings = settings or load_settings()
        self.storage = storage or Storage(self.settings.db_path)
        self.storage.close_interrupted_runs()  # left "running" by a process that crashed or was killed
        self.backend, self.backend_notice = select_backend(self.settings)
        self._hrm = hrm
        self._hrm_lock = threading.Lock()
        self.retriever = KnowledgeBase(self.settings) if retriever is _WIRED else retriever
        self.validator = CodeValidator(self.settings) if validator is _WIRED else validator
        self.options = options
        self.slots = BackendSlots(self.settings.execution.concurrency_per_backend,
                                  {name: host.concurrency for name, host in self.settings.hosts.items()
                                   if host.concurrency})

    # ------------------------------------------------------------------ backends and models
    @property
    def backend_name(self) -> str:
        return self.backend.name

    @staticmethod
    def backend_choices() -> tuple[str, ...]:
        """What `set_backend` accepts: "auto" and every backend of the registry."""
        return backend_choices()

    def set_backend(self, choice: str) -> None:
        """Switch the active backend ("auto", "ollama", "embedded", "openai" or a registered one)."""
        self.backend, self.backend_notice = select_backend(self.settings, choice)

    @property
    def models(self) -> dict[str, str]:
        """Display name → model tag, from the settings' role map."""
        return {model.display_name: model.tag for model in self.settings.roles.values()}

    def get_available_models(self) -> list[str]:
        """What the active backend can serve now (empty when it is unreachable)."""
        try:
            return self.backend.list_models()
        except BackendError:
            return []

    def backend_status(self) -> list[BackendHealth]:
        """Health of every backend the registry knows."""
        out = []
        for name in backend_names():
            try:
                backend = self.backend if self.backend.name == name else build_backend(name, self.settings)
                out.append(backend.health())
            except BackendError as error:
                out.append(BackendHealth(name=name, reachable=False, detail=str(error)))
        return out

    @property
    def hrm(self) -> TemplatePlanner:
        """The template planner, built on first use so a plain chat never loads torch (once,
        whichever thread asks first: the chat page builds it in the background at start)."""
        with self._hrm_lock:
            if self._hrm is None:
                from workbench.decomposer import HRMLocalWrapper

                hrm = self.settings.hrm
                self._hrm = HRMLocalWrapper(device=hrm.device, enable_caching=hrm.enable_caching,
                                            settings=self.settings)
            return self._hrm

    # ------------------------------------------------------------------ asking
    def check_question(self, question: object) -> str:
        """The question if it can be sent; ValueError saying what to change otherwise (empty,
        over `limits.max_question_chars`, not valid Unicode, NUL or binary data). The one check
        of a question, made before anything is written."""
        normalize_query(question, self.settings.limits.max_question_chars)
        return question  # type: ignore[return-value]  # normalize_query proved it is a str

    def start_run(self, question: str, model_name: str | None = None, use_hrm_decomposition: bool = True,
                  *, project: str = "default", conversation_id: int | None = None,
                  context: dict | str | None = None, on_event: EventSink | None = None) -> RunHandle:
        """`chat_with_model_enhanced` in a background thread: iterate the handle for events,
        `.result()` for the `RunResult`, `.cancel()` to stop. Bad input raises here, at once."""
        self.check_question(question)

        def target(sink: EventSink, cancel: threading.Event) -> RunResult:
            def both(event: RunEvent) -> None:
                sink(event)
                if on_event is not None:
                    on_event(event)

            return self.chat_with_model_enhanced(
                question, model_name, use_hrm_decomposition, project=project,
                conversation_id=conversation_id, context=context, on_event=both, cancel=cancel,
            )

        return RunHandle(target)

    def chat_with_model_enhanced(
        self,
        question: str,
        model_name: str | None = None,
        use_hrm_decomposition: bool = True,
        *,
        project: str = "default",
        conversation_id: int | None = None,
        context: dict | str | None = None,
        on_event: EventSink | None = None,
        cancel: threading.Event | None = None,
    ) -> RunResult:
        """Answer `question` and store everything. `model_name` (display name or tag) is
        the model of the direct path; with decomposition, each subtask uses its role's model."""
        question = self.check_question(question)
        parts = RunParts(
            settings=self.settings, storage=self.storage, backend=self.backend, notice=self.backend_notice,
            decomposer=Decomposer(self.settings, self.hrm) if use_hrm_decomposition else None,
            retriever=self.retriever, validator=self.validator, slots=self.slots, options=self.options,
        )
        return run_question(parts, question, model_name, project=project, conversation_id=conversation_id,
                            context=context, on_event=on_event, cancel=cancel)

    # ------------------------------------------------------------------ history (storage, handed on)
    def list_projects(self) -> list[ProjectSummary]:
        return self.storage.list_projects()

    def create_project(self, name: str) -> Project:
        return self.storage.create_project(name)

    def rename_project(self, project_id: int, name: str) -> None:
        self.storage.rename_project(project_id, name)

    def delete_project(self, project_id: int) -> None:
        self.storage.delete_project(project_id)

    def list_conversations(self, project_id: int) -> list[Conversation]:
        return self.storage.list_conversations(project_id)

    def create_conversation(self, project_id: int, title: str) -> Conversation:
        return self.storage.create_conversation(project_id, title)

    def get_messages(self, conversation_id: int) -> list[Message]:
        return self.storage.list_messages(conversation_id)

    def get_run(self, run_id: str) -> Run | None:
        return self.storage.get_run(run_id)

    def list_runs(self, project_id: int) -> list[Run]:
        return self.storage.list_runs(project_id)

    def list_subtasks(self, run_id: str) -> list[SubtaskRecord]:
        return self.storage.list_subtasks(run_id)

    def add_feedback(self, message_id: int, *, rating: int, correct_role: str | None = None,
                     should_split: bool | None = None, note: str = "") -> Feedback:
        return self.storage.add_feedback(message_id, rating=rating, correct_role=correct_role,
                                         should_split=should_split, note=note)

    @staticmethod
    def plan_phases(decomposition: dict[str, Any]) -> list[list[str]]:
        """The execution phases of a stored plan, computed the way the executor does."""
        from workbench.decompose.dag import execution_phases

        return execution_phases(TaskDecomposition.model_validate(decomposition).subtasks)

    # ------------------------------------------------------------------ export / import
    def export_run(self, run_id: str, fmt: Literal["json", "markdown"] = "json") -> str:
        """The run as JSON (importable) or Markdown; KeyError for an unknown run."""
        return export_run(self.storage, run_id, fmt)

    def import_run(self, text: str | bytes, project: str | None = None) -> str:
        """Store an exported run as a new conversation; returns the new run's id
        (`RunImportError`, a ValueError, with nothing written for a bad file)."""
        return import_run(self.storage, text, self.settings.limits.max_import_bytes, project)


__all__ = ["System"]
