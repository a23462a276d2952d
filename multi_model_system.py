"""`MultiModelGLMSystem`: the one object the pages, the CLI and scripts ask questions through.

It wires the settings, the storage, the active backend, the HRM decomposer and the optional
retrieval and validation hooks, and runs a question either straight to one model or as a
plan of subtasks on their role's models. Everything a run does is stored as it happens:
the user's message before any model is called, each subtask when it ends, the streamed
answer every few hundred milliseconds. Backend failures come back in the `RunResult`,
never as exceptions; bad input raises `ValueError` with what to do.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from typing import Any, Literal

from workbench.config import Settings, load_settings
from workbench.domain import (
    BackendHealth, EventKind, GenerationOptions, Role, RunEvent, Strategy, TaskDecomposition,
)
from workbench.execute.direct import answer_directly
from workbench.execute.events import EventEmitter, EventSink
from workbench.execute.executor import DAGExecutor
from workbench.execute.hooks import CodeValidator, Retriever, Validator
from workbench.execute.planner import needs_planner, plan_with_llm
from workbench.execute.prompts import describe_context
from workbench.execute.recorder import RunRecorder
from workbench.execute.results import RunResult, SubtaskResult
from workbench.execute.routing import ModelRouter
from workbench.execute.run_export import RunExport, from_json, to_json, to_markdown
from workbench.execute.run_handle import RunHandle
from workbench.execute.slots import BackendSlots
from workbench.execute.streaming import Generation, RunCancelled
from workbench.execute.synthesis import (
    overview_wanted, sources_of, synthesize, unstreamed, with_overview, write_overview,
)
from workbench.llm.base import Backend, BackendError
from workbench.llm.registry import BACKEND_NAMES, build_backend, select_backend
from workbench.retrieval import KnowledgeBase
from workbench.storage import Storage
from workbench.storage.records import Conversation, Feedback, Message, ProjectSummary, Run, SubtaskRecord

_WIRED: Any = object()  # "build the real one": lets a caller pass None to turn a hook off
_MESSAGE_STATUS = {"complete": "complete", "partial": "partial", "error": "error", "cancelled": "partial"}


class MultiModelGLMSystem:
    """Routes questions to local models and keeps every answer per project."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        backends: Backend | Mapping[str, Backend] | None = None,
        storage: Storage | None = None,
        hrm: Any = None,
        retriever: Retriever | None = _WIRED,
        validator: Validator | None = _WIRED,
        options: GenerationOptions | None = None,
    ) -> None:
        """`backends`: one backend, or choice → backend, replacing the real ones (tests,
        scripts); `hrm`: an `HRMLocalWrapper` (built on first decomposition when None);
        `retriever`/`validator`: the documentation and code-check hooks, None for off;
        `options`: generation options for every model call (e.g. a small `max_tokens`)."""
        self.settings = settings or load_settings()
        self.storage = storage or Storage(self.settings.db_path)
        self.storage.close_interrupted_runs()  # left "running" by a process that crashed or was killed
        if backends is None:
            self._injected: dict[str, Backend] = {}
        elif isinstance(backends, Mapping):
            self._injected = dict(backends)
        else:
            self._injected = {backends.name: backends}
        choice = self.settings.llm.backend
        # given backends replace the real ones: the configured choice applies only if among them
        self.backend, self.backend_notice = self._choose(
            choice if not self._injected or choice in self._injected else "auto")
        self._hrm = hrm
        self.retriever = KnowledgeBase(self.settings) if retriever is _WIRED else retriever
        self.validator = CodeValidator(self.settings) if validator is _WIRED else validator
        self.options = options
        self.slots = BackendSlots(self.settings.execution.concurrency_per_backend)

    # ------------------------------------------------------------------ backends and models
    def _choose(self, choice: str) -> tuple[Backend, str | None]:
        if not self._injected:
            return select_backend(self.settings, choice)
        if choice in self._injected:
            return self._injected[choice], None
        if choice == "auto":
            return next(iter(self._injected.values())), None
        raise ValueError(f"Unknown backend {choice!r} — choose one of: auto, {', '.join(self._injected)}")

    @property
    def backend_name(self) -> str:
        return self.backend.name

    def set_backend(self, choice: str) -> None:
        """Switch the active backend ("auto" | "ollama" | "embedded" | "openai")."""
        self.backend, self.backend_notice = self._choose(choice)

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
        """Health of every backend kind (the injected ones when backends were given)."""
        if self._injected:
            return [backend.health() for backend in self._injected.values()]
        out = []
        for name in BACKEND_NAMES:
            try:
                backend = self.backend if self.backend.name == name else build_backend(name, self.settings)
                out.append(backend.health())
            except BackendError as error:
                out.append(BackendHealth(name=name, reachable=False, detail=str(error)))
        return out

    @property
    def hrm(self) -> Any:
        """The decomposer, built on first use so a plain chat never loads torch."""
        if self._hrm is None:
            from hrm_local_wrapper import HRMLocalWrapper

            self._hrm = HRMLocalWrapper(settings=self.settings)
        return self._hrm

    # ------------------------------------------------------------------ asking
    def check_question(self, question: object) -> str:
        """The question if it can be sent; ValueError saying what to change otherwise."""
        if not isinstance(question, str) or not question.strip():
            raise ValueError("Type a question first")
        limit = self.settings.limits.max_question_chars
        if len(question) > limit:
            raise ValueError(
                f"The question is {len(question):,} characters, over the limit of {limit:,} "
                "(limits.max_question_chars) — shorten it or attach less context"
            )
        return question

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
        cancel = cancel or threading.Event()
        started = time.perf_counter()
        conversation = self._conversation(project, conversation_id, question)
        history = [(m.role, m.content) for m in self.storage.list_messages(conversation.id)
                   if m.content.strip() and m.status in ("complete", "partial")]
        user = self.storage.add_message(conversation.id, "user", question)
        assistant = self.storage.add_message(conversation.id, "assistant", "", status="streaming",
                                             backend=self.backend.name)
        run = self.storage.create_run(conversation.id, assistant.id, question, None)
        recorder = RunRecorder(self.storage, run.id, assistant.id, self.settings.execution.store_interval_s)
        emit = EventEmitter(run.id, [recorder, on_event])
        result = RunResult(run_id=run.id, conversation_id=conversation.id, user_message_id=user.id,
                           message_id=assistant.id, status="error", backend=self.backend.name,
                           notice=self.backend_notice)
        emit(EventKind.RUN_STARTED, None, question, conversation_id=conversation.id,
             message_id=assistant.id, backend=self.backend.name, notice=self.backend_notice)
        try:
            plan = self._plan(question, context, run.id, emit, cancel) if use_hrm_decomposition else None
            if plan is None or plan.strategy == Strategy.DIRECT:
                # a direct plan still chose a role: its model answers unless the user picked one
                chosen = model_name or (plan and self.settings.roles[plan.primary_role].tag)
                self._run_direct(question, chosen, history, context, emit, cancel, result)
            else:
                self._run_plan(plan, context, emit, cancel, result)
        except BaseException as error:
            # a crash (or Ctrl-C) must still leave the answer so far and the reason on disk
            result.status, result.error = "error", f"The run stopped unexpectedly: {error!r}"
            result.answer = result.answer or recorder.content
            self._store_final(result, started, emit)
            raise
        self._store_final(result, started, emit)
        if result.status == "error":
            emit(EventKind.RUN_FAILED, None, result.error or "the run failed", result=result.model_dump(mode="json"))
        else:
            emit(EventKind.RUN_DONE, None, result.answer, result=result.model_dump(mode="json"))
        return result

    def _conversation(self, project: str, conversation_id: int | None, question: str) -> Conversation:
        if conversation_id is not None:
            conversation = self.storage.get_conversation(conversation_id)
            if conversation is None:
                raise ValueError(f"Conversation {conversation_id} does not exist — start a new one")
            return conversation
        title = " ".join(question.split())[:60]
        return self.storage.create_conversation(self.storage.ensure_project(project).id, title)

    def _plan(self, question: str, context: dict | str | None, run_id: str,
              emit: EventEmitter, cancel: threading.Event) -> TaskDecomposition:
        """The HRM/template plan, replaced by the LLM planner's when warranted and valid."""
        from workbench.decompose.dag import execution_phases, validate_plan

        plan = self.hrm.decompose_task(question, context if isinstance(context, dict) else None)
        if plan.strategy != Strategy.DIRECT and needs_planner(plan, self.settings):
            plan = plan_with_llm(plan, self.backend, ModelRouter(self.settings, self.backend),
                                 self.settings, validate_plan, options=self.options, cancel=cancel)
        dumped = plan.model_dump(mode="json")
        self.storage.update_run(run_id, decomposition=dumped)
        emit(EventKind.PLAN, None, plan.strategy.value, decomposition=dumped,
             phases=execution_phases(plan.subtasks))
        return plan

    def _run_direct(self, question: str, model_name: str | None, history: list[tuple[str, str]],
                    context: dict | str | None, emit: EventEmitter, cancel: threading.Event,
                    result: RunResult) -> None:
        generation = Generation(model="")
        try:
            model, note = ModelRouter(self.settings, self.backend).for_name(model_name)
            generation.model, result.model, result.notice = model, model, note or result.notice
            role = self.settings.role_for_display_name(model_name) if model_name else Role.REASONING
            answer_directly(question, generation, self.backend, self.settings, emit, history=history,
                            project_context=describe_context(context),
                            think=True if role == Role.REASONING else None,
                            options=self.options, cancel=cancel)
            result.status = "complete"
        except RunCancelled as stop:
            result.status, result.error = "cancelled", str(stop)
        except BackendError as error:
            result.status = "partial" if generation.content else "error"
            result.error = str(error)
        result.answer, result.thinking = generation.content, generation.thinking
        result.prompt_tokens, result.completion_tokens = generation.prompt_tokens, generation.completion_tokens
        result.duration_ms = generation.duration_ms

    def _run_plan(self, plan: TaskDecomposition, context: dict | str | None, emit: EventEmitter,
                  cancel: threading.Event, result: RunResult) -> None:
        result.decomposition = plan.model_dump(mode="json")
        executor = DAGExecutor(self.settings, self.backend, slots=self.slots, retriever=self.retriever,
                               validator=self.validator, options=self.options)
        subtasks = executor.run(plan, emit, project_context=describe_context(context), cancel=cancel)
        # Stop before the overview leaves it out silently; Stop during it only costs the overview
        summarize = overview_wanted(self.settings, self.backend.name, subtasks) and not cancel.is_set()
        emit(EventKind.SYNTHESIS_STARTED, None, f"combining {len(subtasks)} subtask results"
             + ("; the reasoning model writes an overview" if summarize else ""), overview=summarize)
        result.subtasks, result.sources = subtasks, sources_of(subtasks)
        assembled = synthesize(subtasks)
        if summarize:
            result.overview = write_overview(plan.query, subtasks, executor.router, self.backend, self.settings,
                                             emit, options=self.options, cancel=cancel, slots=self.slots)
        result.answer = with_overview(assembled, result.overview)
        emit(EventKind.TOKEN, None, unstreamed(result.answer, assembled, result.overview))
        overview = [result.overview] if result.overview is not None else []
        result.model = ", ".join(dict.fromkeys(
            [s.model for s in subtasks if s.model] + [o.model for o in overview if o.status == "complete"]))
        result.thinking = "\n\n".join(
            [f"[{s.id} — {s.model}]\n{s.thinking}" for s in subtasks if s.thinking]
            + [f"[overview — {o.model}]\n{o.thinking}" for o in overview if o.thinking])
        calls = [s for s in subtasks if s.status == "complete"] + overview
        result.prompt_tokens = sum(c.prompt_tokens or 0 for c in calls) or None
        result.completion_tokens = sum(c.completion_tokens or 0 for c in calls) or None
        result.status, result.error = _plan_outcome(subtasks, cancel)

    def _store_final(self, result: RunResult, started: float, emit: EventEmitter) -> None:
        result.duration_ms = (time.perf_counter() - started) * 1000
        error = result.error if result.status != "complete" else None
        self.storage.update_message(
            result.message_id, content=result.answer, thinking=result.thinking,
            status=_MESSAGE_STATUS[result.status], error=error, model=result.model or None,
            backend=result.backend, duration_ms=result.duration_ms,
            prompt_tokens=result.prompt_tokens, completion_tokens=result.completion_tokens,
        )
        self.storage.update_run(result.run_id, status=result.status, answer=result.answer, error=error,
                                duration_ms=result.duration_ms, events_summary=emit.summary(),
                                overview=result.overview and result.overview.record())

    # ------------------------------------------------------------------ history
    def list_projects(self) -> list[ProjectSummary]:
        return self.storage.list_projects()

    def create_project(self, name: str):
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

    @staticmethod
    def plan_phases(decomposition: dict[str, Any]) -> list[list[str]]:
        """The execution phases of a stored plan, computed the way the executor does."""
        from workbench.decompose.dag import execution_phases

        return execution_phases(TaskDecomposition.model_validate(decomposition).subtasks)

    def list_subtasks(self, run_id: str) -> list[SubtaskRecord]:
        return self.storage.list_subtasks(run_id)

    def add_feedback(self, message_id: int, *, rating: int, correct_role: str | None = None,
                     should_split: bool | None = None, note: str = "") -> Feedback:
        return self.storage.add_feedback(message_id, rating=rating, correct_role=correct_role,
                                         should_split=should_split, note=note)

    # ------------------------------------------------------------------ export / import
    def export_run(self, run_id: str, fmt: Literal["json", "markdown"] = "json") -> str:
        """The run as JSON (importable) or Markdown; KeyError for an unknown run."""
        if fmt not in ("json", "markdown"):
            raise ValueError(f"Unknown export format {fmt!r} — use 'json' or 'markdown'")
        export = self._export(run_id)
        return to_json(export) if fmt == "json" else to_markdown(export)

    def _export(self, run_id: str) -> RunExport:
        run = self.storage.get_run(run_id)
        if run is None or run.message_id is None:
            raise KeyError(f"No run {run_id!r} with an answer — pick one from the history")
        conversation = self.storage.get_conversation(run.conversation_id)
        project = self.storage.get_project(conversation.project_id)
        messages = self.storage.list_messages(conversation.id)
        answer = next(m for m in messages if m.id == run.message_id)
        question = [m for m in messages if m.role == "user" and m.id < answer.id][-1]
        return RunExport(project=project.name, conversation_title=conversation.title, question=question,
                         answer=answer, run=run, subtasks=self.storage.list_subtasks(run_id))

    def import_run(self, text: str | bytes, project: str | None = None) -> str:
        """Store an exported run as a new conversation; returns the new run's id.

        `RunImportError` (a ValueError) for a corrupt or oversized file, with nothing written;
        a failure while writing removes what was written."""
        export = from_json(text, self.settings.limits.max_import_bytes)
        target = self.storage.ensure_project(project or export.project)
        conversation = self.storage.create_conversation(target.id, export.conversation_title)
        try:
            return self._write_import(conversation.id, export)
        except BaseException:
            self.storage.delete_conversation(conversation.id)
            raise

    def _write_import(self, conversation_id: int, export: RunExport) -> str:
        copied = ("thinking", "status", "error", "model", "backend", "prompt_tokens",
                  "completion_tokens", "duration_ms")
        ids = []
        for message in (export.question, export.answer):
            added = self.storage.add_message(conversation_id, message.role, message.content)
            self.storage.update_message(added.id, **{f: getattr(message, f) for f in copied})
            ids.append(added.id)
        run = export.run
        new = self.storage.create_run(conversation_id, ids[1], run.question, run.decomposition)
        self.storage.update_run(new.id, status=run.status, answer=run.answer, error=run.error,
                                duration_ms=run.duration_ms, events_summary=run.events_summary,
                                overview=run.overview)
        for sub in export.subtasks:
            fields = sub.model_dump(exclude={"run_id", "subtask_id"})
            self.storage.upsert_subtask(new.id, sub.subtask_id, **fields)
        return new.id


def _plan_outcome(subtasks: list[SubtaskResult], cancel: threading.Event) -> tuple[str, str | None]:
    """The run's status from its subtasks', and which ones are missing from the answer."""
    missing = [s for s in subtasks if s.status != "complete"]
    if not missing:
        return "complete", None
    why = f"{len(missing)} of {len(subtasks)} subtasks did not finish: " + "; ".join(
        f"{s.id} {s.status} ({s.error or 'no output'})" for s in missing)
    if cancel.is_set():
        return "cancelled", why
    return ("partial" if len(missing) < len(subtasks) else "error"), why
