"""Running a plan: every subtask on its role's model, independent ones at the same time.

Scheduling follows the DAG itself (graphlib): a subtask starts as soon as all its
dependencies are done, so a slow branch never holds back an independent one. A per-backend
semaphore bounds how many requests a backend serves at once (Ollama only runs
`OLLAMA_NUM_PARALLEL` in parallel); a subtask waiting for one of those slots is announced
SUBTASK_QUEUED, and SUBTASK_STARTED only once its generation really starts. A failed
subtask is retried once with backoff; if it still fails, independent branches go on and its
dependents are skipped with the reason.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from graphlib import TopologicalSorter

from workbench.config import Settings
from workbench.decompose.dag import validate_plan
from workbench.domain import ChatMessage, EventKind, GenerationOptions, Role, Subtask, TaskDecomposition
from workbench.execute.events import EventEmitter
from workbench.execute.hooks import Retriever, Validator
from workbench.execute.prompts import DependencyOutput, build_subtask_messages
from workbench.execute.results import SubtaskResult
from workbench.execute.routing import ModelRouter
from workbench.execute.slots import BackendSlots
from workbench.execute.streaming import Generation, RunCancelled, stream_into
from workbench.llm.base import Backend, BackendError, ModelNotFound
from workbench.retrieval.citations import cite, format_passages


class DAGExecutor:
    """Executes a `TaskDecomposition` on one backend and returns a result per subtask."""

    def __init__(
        self,
        settings: Settings,
        backend: Backend,
        *,
        slots: BackendSlots | None = None,
        retriever: Retriever | None = None,
        validator: Validator | None = None,
        options: GenerationOptions | None = None,
    ) -> None:
        self.settings = settings
        self.backend = backend
        self.router = ModelRouter(settings, backend)
        self.slots = slots or BackendSlots(settings.execution.concurrency_per_backend)
        self.retriever = retriever
        self.validator = validator
        self.options = options

    def run(
        self,
        plan: TaskDecomposition,
        emit: EventEmitter,
        *,
        project_context: str = "",
        cancel: threading.Event | None = None,
    ) -> list[SubtaskResult]:
        """All subtasks' results in plan order. Raises `PlanError` before running anything
        when the plan does not pass `validate_plan`; never raises for a subtask's failure."""
        cancel = cancel or threading.Event()
        by_id = {s.id: s for s in plan.subtasks}
        validate_plan(plan.subtasks)
        sorter = TopologicalSorter({s.id: s.dependencies for s in plan.subtasks})
        sorter.prepare()
        results: dict[str, SubtaskResult] = {}
        running: dict[Future[SubtaskResult], str] = {}
        with ThreadPoolExecutor(max_workers=min(len(by_id), 16),
                                thread_name_prefix="subtask") as pool:
            while sorter.is_active():
                for subtask_id in sorter.get_ready():
                    subtask = by_id[subtask_id]
                    blocked = self._blocked_reason(subtask, results, cancel)
                    if blocked is None:
                        deps = [results[d] for d in subtask.dependencies]
                        future = pool.submit(self._run_subtask, subtask, plan.query, deps,
                                             project_context, emit, cancel)
                        running[future] = subtask_id
                        continue
                    results[subtask_id] = blocked
                    kind = EventKind.SUBTASK_FAILED if blocked.status == "cancelled" else EventKind.SUBTASK_SKIPPED
                    emit(kind, subtask_id, blocked.error or "", result=blocked.model_dump())
                    sorter.done(subtask_id)
                if not running:
                    continue
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    subtask_id = running.pop(future)
                    results[subtask_id] = future.result()
                    sorter.done(subtask_id)
        return [results[s.id] for s in plan.subtasks]

    @staticmethod
    def _blocked_reason(
        subtask: Subtask, results: dict[str, SubtaskResult], cancel: threading.Event
    ) -> SubtaskResult | None:
        """A skipped/cancelled result when the subtask must not run, else None."""
        base = {"id": subtask.id, "title": subtask.title, "role": subtask.role.value}
        if cancel.is_set():
            return SubtaskResult(**base, status="cancelled", error="cancelled by the user")
        missing = [results[d] for d in subtask.dependencies if results[d].status != "complete"]
        if not missing:
            return None
        why = "; ".join(f"{d.id} ({d.title}) {d.status}: {d.error or 'no output'}" for d in missing)
        return SubtaskResult(**base, status="skipped", error=f"skipped because it depends on {why}")

    def _run_subtask(
        self,
        subtask: Subtask,
        question: str,
        dependencies: list[SubtaskResult],
        project_context: str,
        emit: EventEmitter,
        cancel: threading.Event,
    ) -> SubtaskResult:
        started = time.perf_counter()
        result = SubtaskResult(id=subtask.id, title=subtask.title, role=subtask.role.value,
                               backend=self.backend.name, status="failed")
        try:
            self._attempt_all(subtask, question, dependencies, project_context, emit, cancel, result)
        except RunCancelled as stop:
            result.status, result.error = "cancelled", str(stop)
        except ModelNotFound as error:
            result.error = str(error)
        result.duration_ms = (time.perf_counter() - started) * 1000
        if result.status == "complete":
            emit(EventKind.SUBTASK_DONE, subtask.id, result.output, result=result.model_dump())
        else:
            emit(EventKind.SUBTASK_FAILED, subtask.id, result.error or "", result=result.model_dump())
        return result

    def _attempt_all(
        self,
        subtask: Subtask,
        question: str,
        dependencies: list[SubtaskResult],
        project_context: str,
        emit: EventEmitter,
        cancel: threading.Event,
        result: SubtaskResult,
    ) -> None:
        """Fills `result`: routing, documentation, prompt, tries with backoff, validation."""
        model, note = self.router.for_role(subtask.role)
        result.model, result.model_note = model, note
        docs = self._documentation(subtask, result)
        execution = self.settings.execution
        messages = build_subtask_messages(
            subtask, question=question, docs=docs, project_context=project_context,
            dependencies=[DependencyOutput(d.title, d.model or "", d.output) for d in dependencies],
            dependency_budget_tokens=execution.dependency_token_budget,
            project_budget_tokens=execution.project_context_token_budget,
        )
        result.prompt_chars = sum(len(m.content) for m in messages)
        announce = {"model": model, "note": note, "backend": self.backend.name, "role": subtask.role.value,
                    "prompt_chars": result.prompt_chars, "sources": result.sources}
        for attempt in range(execution.retries + 1):
            if attempt:
                if cancel.wait(execution.retry_backoff_s * 2 ** (attempt - 1)):
                    raise RunCancelled("cancelled by the user")
            generation = Generation(model=model)
            try:
                self._generate(subtask, messages, generation, cancel, emit,
                               announce=None if attempt else announce)
            except ModelNotFound:
                raise
            except BackendError as error:
                result.attempts.append({"kind": "generation", "attempt": attempt + 1, "ok": False,
                                        "error": str(error), "duration_ms": generation.duration_ms})
                result.error = str(error)
                continue
            result.attempts.append({"kind": "generation", "attempt": attempt + 1, "ok": True,
                                    "duration_ms": generation.duration_ms})
            result.output, result.thinking = generation.content, generation.thinking
            result.prompt_tokens = generation.prompt_tokens
            result.completion_tokens = generation.completion_tokens
            result.status, result.error = "complete", None
            self._validate(subtask, messages, docs, result, emit, cancel)
            return

    def _generate(
        self,
        subtask: Subtask,
        messages: list[ChatMessage],
        generation: Generation,
        cancel: threading.Event,
        emit: EventEmitter | None = None,
        announce: dict[str, object] | None = None,
    ) -> Generation:
        """One model call under a backend slot; streams events when `emit` is given, and
        with `announce` (the SUBTASK_STARTED fields) also says queued / started."""
        say = None if emit is None or announce is None else (
            lambda kind: emit(kind, subtask.id, subtask.title, **announce))
        with self._slot(cancel, say):
            return stream_into(
                generation, self.backend, messages,
                think=True if subtask.role == Role.REASONING else None,
                options=self.options, timeout_s=self.settings.execution.subtask_timeout_s,
                cancel=cancel,
                on_content=emit and (lambda text: emit(EventKind.TOKEN, subtask.id, text)),
                on_thinking=emit and (lambda text: emit(EventKind.THINKING, subtask.id, text)),
            )

    @contextmanager
    def _slot(self, cancel: threading.Event, say: Callable[[EventKind], None] | None) -> Iterator[None]:
        """Holds one of the backend's slots. With `say`, a subtask that has to wait says
        SUBTASK_QUEUED first, and SUBTASK_STARTED once it holds the slot; Stop ends the wait."""
        with self.slots.hold(self.backend.name, cancel, on_wait=say and (lambda: say(EventKind.SUBTASK_QUEUED))):
            if say:
                say(EventKind.SUBTASK_STARTED)
            yield

    def _documentation(self, subtask: Subtask, result: SubtaskResult) -> str:
        """The retrieved passages as prompt text; a broken index costs the docs, not the subtask."""
        if self.retriever is None:
            return ""
        try:
            passages = self.retriever.context_for(subtask, self.settings.retrieval.doc_token_budget)
        except Exception as error:  # noqa: BLE001 - any index failure only loses the docs
            result.attempts.append({"kind": "retrieval", "ok": False, "error": str(error)})
            return ""
        result.sources = cite(passages)
        return format_passages(passages)

    def _validate(
        self,
        subtask: Subtask,
        messages: list[ChatMessage],
        docs: str,
        result: SubtaskResult,
        emit: EventEmitter,
        cancel: threading.Event,
    ) -> None:
        """Check the output's code blocks; one repair round per failing block, recorded."""
        if self.validator is None or not self.settings.validation.enabled:
            return
        for checked in self.validator.check(result.output):
            record = {"kind": "validation", "language": checked.language, "ok": checked.ok,
                      "badge": checked.badge, "errors": [e.model_dump() for e in checked.errors]}
            result.attempts.append(record)
            emit(EventKind.VALIDATION, subtask.id, checked.badge, ok=checked.ok, language=checked.language)
            if checked.ok is not False:
                continue

            def generate(prompt: str) -> str:
                repair = [*messages, ChatMessage(role="assistant", content=result.output),
                          ChatMessage(role="user", content=prompt)]
                return self._generate(subtask, repair, Generation(model=result.model or ""), cancel).content

            outcome = self.validator.repair(checked, generate, docs)
            for attempt in outcome.attempts[1:]:
                result.attempts.append({"kind": "repair", "round": attempt.round, "language": checked.language,
                                        "ok": attempt.result.ok, "badge": attempt.result.badge})
                emit(EventKind.VALIDATION, subtask.id, attempt.result.badge, ok=attempt.result.ok,
                     language=checked.language, repair_round=attempt.round)
            if outcome.repaired:
                result.output = result.output.replace(checked.code, outcome.final.code)
