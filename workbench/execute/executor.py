"""Running a plan: every subtask on its role's model, independent ones at the same time.

Scheduling follows the DAG itself (graphlib): a subtask starts as soon as all its
dependencies are done, so a slow branch never holds back an independent one. A per-backend
semaphore bounds how many requests a backend serves at once (Ollama only runs
`OLLAMA_NUM_PARALLEL` in parallel); a subtask waiting for one of those slots is announced
SUBTASK_QUEUED, and SUBTASK_STARTED only once its generation really starts (again for each
retry). A failed subtask is retried once with backoff; if it still fails, independent
branches go on and its dependents are skipped, naming it.

A plan of one subtask is how a direct answer runs: the same retrieval, role prompt, project
context, validation and repair, with the chat history in the prompt and its text streamed
as the answer.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from graphlib import TopologicalSorter

from workbench.config import Settings
from workbench.decompose.dag import validate_plan
from workbench.domain import (
    ChatMessage, CodeChecked, EventKind, GenerationOptions, Preparing, Role, StepTimed, Subtask, SubtaskBegun,
    SubtaskEnded, SubtaskResult, SubtaskStatus, TaskDecomposition,
)
from workbench.execute.caller import ModelCaller
from workbench.execute.events import EventEmitter, timed_step
from workbench.execute.hooks import Retriever, Validator
from workbench.execute.prompts import DependencyOutput, build_answer_messages, build_subtask_messages
from workbench.execute.streaming import Generation, RunCancelled
from workbench.llm.base import BackendError, LoadsOnFirstUse, ModelNotFound
from workbench.retrieval.citations import cite, format_passages


@dataclass(frozen=True)
class ChatTurn:
    """What a one-subtask plan (a direct answer) adds: the chat so far and the model the
    user picked. Its subtask's text streams as the answer itself (events with no subtask
    id), so it is saved and shown as it arrives, with no synthesis around it."""

    history: Sequence[tuple[str, str]] = ()
    model_name: str | None = None  # a display name or tag; None: the role's model


@dataclass(frozen=True)
class _Run:
    question: str
    project_context: str
    emit: EventEmitter
    cancel: threading.Event
    answer: ChatTurn | None  # set for a one-subtask plan


class DAGExecutor:
    """Executes a `TaskDecomposition` through one run's `ModelCaller`, a result per subtask."""

    def __init__(
        self,
        settings: Settings,
        caller: ModelCaller,
        *,
        retriever: Retriever | None = None,
        validator: Validator | None = None,
    ) -> None:
        self.settings = settings
        self.caller = caller
        self.retriever = retriever
        self.validator = validator

    def run(
        self,
        plan: TaskDecomposition,
        emit: EventEmitter,
        *,
        project_context: str = "",
        conversation: ChatTurn | None = None,
    ) -> list[SubtaskResult]:
        """All subtasks' results in plan order. Raises `PlanError` before running anything
        when the plan does not pass `validate_plan`; never raises for a subtask's failure.
        Stop is the caller's `cancel`. A plan of one subtask is answered as a chat turn
        (`conversation`, or an empty one)."""
        by_id = {s.id: s for s in plan.subtasks}
        validate_plan(plan.subtasks)
        single = (conversation or ChatTurn()) if len(plan.subtasks) == 1 else None
        run = _Run(plan.query, project_context, emit, self.caller.cancel, single)
        sorter = TopologicalSorter({s.id: s.dependencies for s in plan.subtasks})
        sorter.prepare()
        results: dict[str, SubtaskResult] = {}
        running: dict[Future[SubtaskResult], str] = {}
        with ThreadPoolExecutor(max_workers=min(len(by_id), 16),
                                thread_name_prefix="subtask") as pool:
            while sorter.is_active():
                for subtask_id in sorter.get_ready():
                    subtask = by_id[subtask_id]
                    blocked = self._blocked_reason(subtask, results, run.cancel)
                    if blocked is None:
                        deps = [results[d] for d in subtask.dependencies]
                        running[pool.submit(self._run_subtask, subtask, deps, run)] = subtask_id
                        continue
                    results[subtask_id] = blocked
                    kind = (EventKind.SUBTASK_FAILED if blocked.status == SubtaskStatus.CANCELLED
                            else EventKind.SUBTASK_SKIPPED)
                    emit(kind, subtask_id, blocked.error or "", SubtaskEnded(result=blocked))
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
        """A skipped/cancelled result when the subtask must not run, else None. The reason
        names the upstream subtasks that did not finish; their errors stay with them."""
        base = {"id": subtask.id, "title": subtask.title, "role": subtask.role.value}
        if cancel.is_set():
            return SubtaskResult(**base, status=SubtaskStatus.CANCELLED, error="cancelled by the user")
        missing = [results[d] for d in subtask.dependencies if results[d].status != SubtaskStatus.COMPLETE]
        if not missing:
            return None
        why = ", ".join(f"{d.id} ({d.title}) {d.status}" for d in missing)
        return SubtaskResult(**base, status=SubtaskStatus.SKIPPED, error=f"skipped: it needs {why}")

    def _run_subtask(self, subtask: Subtask, dependencies: list[SubtaskResult], run: _Run) -> SubtaskResult:
        started = time.perf_counter()
        result = SubtaskResult(id=subtask.id, title=subtask.title, role=subtask.role.value,
                               backend="", status=SubtaskStatus.FAILED)
        try:
            result.backend = self.caller.host_for(_calling_role(subtask, run, self.settings))
            self._attempt_all(subtask, dependencies, run, result)
        except RunCancelled as stop:
            result.status, result.error = SubtaskStatus.CANCELLED, str(stop)
        except BackendError as error:  # no model at all, or the model list could not be read
            result.error = str(error)
        result.duration_ms = (time.perf_counter() - started) * 1000
        if result.status == SubtaskStatus.COMPLETE:
            run.emit(EventKind.SUBTASK_DONE, subtask.id, result.output,
                     SubtaskEnded(result=result.model_copy(), is_answer=run.answer is not None))
        else:
            run.emit(EventKind.SUBTASK_FAILED, subtask.id, result.error or "",
                     SubtaskEnded(result=result.model_copy(), is_answer=run.answer is not None))
        return result

    def _attempt_all(self, subtask: Subtask, dependencies: list[SubtaskResult], run: _Run,
                     result: SubtaskResult) -> None:
        """Fills `result`: routing, documentation, prompt, tries with backoff, validation.
        A failed try's partial text is kept (the longest one) with the error; a direct
        answer that already streamed text to the user is not tried again."""
        answer = run.answer
        role = _calling_role(subtask, run, self.settings)
        if role is None:  # a model the user named by its tag
            model, note = self.caller.model_for_name(answer.model_name if answer else None)
        else:
            model, note = self.caller.model_for(role)
        result.model, result.model_note = model, note
        docs = self._documentation(subtask, result, run, *self._doc_request(role))
        messages = self._messages(subtask, dependencies, docs, run)
        result.prompt_chars = sum(len(m.content) for m in messages)
        execution = self.settings.execution
        for attempt in range(1, execution.retries + 2):
            if attempt > 1 and run.cancel.wait(execution.retry_backoff_s * 2 ** (attempt - 2)):
                raise RunCancelled("cancelled by the user")
            announce = SubtaskBegun(model=model, note=note, backend=result.backend, role=subtask.role.value,
                                    prompt_chars=result.prompt_chars, sources=result.sources, attempt=attempt,
                                    is_answer=answer is not None)
            generation = Generation(model=model)
            try:
                self._generate(subtask, messages, generation, run, announce)
            except RunCancelled:
                if len(generation.content) >= len(result.output):  # Stop keeps what arrived
                    result.output, result.thinking = generation.content, generation.thinking
                raise
            except ModelNotFound:
                raise
            except BackendError as error:
                result.attempts.append({"kind": "generation", "attempt": attempt, "ok": False, "error": str(error),
                                        "duration_ms": generation.duration_ms, "chars": len(generation.content)})
                result.error = str(error)
                if len(generation.content) >= len(result.output):
                    result.output, result.thinking = generation.content, generation.thinking
                if answer is not None and generation.content:
                    return  # the user has seen this text: keep it, with the error, rather than start over
                continue
            result.attempts.append({"kind": "generation", "attempt": attempt, "ok": True,
                                    "duration_ms": generation.duration_ms,
                                    "first_token_ms": generation.first_token_ms})
            result.output, result.thinking = generation.content, generation.thinking
            result.prompt_tokens = generation.prompt_tokens
            result.completion_tokens = generation.completion_tokens
            result.status, result.error = SubtaskStatus.COMPLETE, None
            self._validate(subtask, messages, result, run)
            return

    def _messages(self, subtask: Subtask, dependencies: list[SubtaskResult], docs: str,
                  run: _Run) -> list[ChatMessage]:
        execution = self.settings.execution
        if run.answer is not None:
            return build_answer_messages(
                subtask, run.question, run.answer.history, docs=docs, project_context=run.project_context,
                max_messages=execution.history_messages, budget_tokens=execution.history_token_budget,
                project_budget_tokens=execution.project_context_token_budget,
            )
        return build_subtask_messages(
            subtask, question=run.question, docs=docs, project_context=run.project_context,
            dependencies=[DependencyOutput(d.title, d.model or "", d.output) for d in dependencies],
            dependency_budget_tokens=execution.dependency_token_budget,
            project_budget_tokens=execution.project_context_token_budget,
        )

    def _generate(
        self,
        subtask: Subtask,
        messages: list[ChatMessage],
        generation: Generation,
        run: _Run,
        announce: SubtaskBegun | None = None,
        sampling: GenerationOptions | None = None,
    ) -> Generation:
        """One model call through the run's caller. With `announce` (a try of the subtask,
        not a repair) it streams events and says queued / started; a direct answer's text
        streams as the answer (no subtask id)."""
        role = _calling_role(subtask, run, self.settings)
        if announce is None:
            return self.caller.stream(role, generation, messages, sampling=sampling)
        emit = run.emit
        streamed_as = None if run.answer is not None else subtask.id
        backend = self.caller.backend_for(role)
        if isinstance(backend, LoadsOnFirstUse) and (loading := backend.pending_load()):
            emit(EventKind.PREPARING, subtask.id, loading, Preparing(what=loading))

        def say(kind: EventKind) -> None:
            emit(kind, subtask.id, subtask.title, announce)

        return self.caller.stream(
            role, generation, messages,
            on_content=lambda text: emit(EventKind.TOKEN, streamed_as, text),
            on_thinking=lambda text: emit(EventKind.THINKING, streamed_as, text),
            on_wait=lambda: say(EventKind.SUBTASK_QUEUED),
            on_start=lambda: say(EventKind.SUBTASK_STARTED),
        )

    def _doc_request(self, role: Role | None) -> tuple[int, bool]:
        """The documentation's share of the prompt, and whether whole example programs may
        fill it: the embedded model reads every prompt token on the CPU, so it gets less, and
        at 1.5B it copies an example program instead of answering (seen on bench/faust_tasks)."""
        retrieval = self.settings.retrieval
        if self.caller.backend_for(role).name != "embedded":
            return retrieval.doc_token_budget, True
        return min(retrieval.doc_token_budget, retrieval.embedded_doc_token_budget), retrieval.embedded_examples

    def _documentation(self, subtask: Subtask, result: SubtaskResult, run: _Run, budget_tokens: int,
                       examples: bool) -> str:
        """The retrieved passages as prompt text; a broken index costs the docs, not the subtask."""
        if self.retriever is None:
            return ""
        with timed_step(run.emit, "retrieval", f"{subtask.id} · retrieval", subtask.id) as step:
            try:
                passages = self.retriever.context_for(subtask, budget_tokens, examples=examples)
            except Exception as error:  # noqa: BLE001 - any index failure only loses the docs
                result.attempts.append({"kind": "retrieval", "ok": False, "error": str(error)})
                step.status = "failed"
                return ""
        result.sources = cite(passages)
        return format_passages(passages)

    def _validate(self, subtask: Subtask, messages: list[ChatMessage], result: SubtaskResult, run: _Run) -> None:
        """Check the output's code blocks against what was asked (the question for a direct
        answer, the subtask's own description in a plan); repair rounds per failing block,
        recorded, the best version kept. A repair continues the conversation, whose prompt
        already carries the retrieved documentation, so the repair prompt adds only the docs
        of the symbols the code uses (sending them twice doubled a small model's prompt time)."""
        if self.validator is None or not self.settings.validation.enabled:
            return
        asked = run.question if run.answer is not None else subtask.description
        if waiting := self.validator.preparation(result.output):
            run.emit(EventKind.PREPARING, subtask.id, waiting, Preparing(what=waiting))
        with timed_step(run.emit, "validation", f"{subtask.id} · validation", subtask.id) as step:
            checks = self.validator.check(result.output, asked)
            step.status = "failed" if any(c.ok is False for c in checks) else "complete"
        for checked in checks:
            record = {"kind": "validation", "language": checked.language, "ok": checked.ok,
                      "badge": checked.badge, "errors": [e.model_dump() for e in checked.errors],
                      "code": checked.code}
            result.attempts.append(record)
            run.emit(EventKind.VALIDATION, subtask.id, checked.badge,
                     CodeChecked(ok=checked.ok, language=checked.language))
            if checked.ok is not False:
                continue

            def generate(prompt: str) -> str:
                repair = [*messages, ChatMessage(role="assistant", content=result.output),
                          ChatMessage(role="user", content=prompt)]
                return self._generate(subtask, repair, Generation(model=result.model or ""), run).content

            def resample(seed: int) -> str:
                sampling = GenerationOptions(temperature=self.settings.validation.resample_temperature, seed=seed)
                return self._generate(subtask, messages, Generation(model=result.model or ""), run,
                                      sampling=sampling).content

            outcome = self.validator.repair(checked, generate, asked, resample)
            for attempt in outcome.attempts[1:]:
                result.attempts.append({"kind": "repair", "round": attempt.round, "language": checked.language,
                                        "ok": attempt.result.ok, "badge": attempt.result.badge,
                                        "fixes": attempt.fixes or None, "resampled": attempt.resampled or None,
                                        "seed": attempt.seed,
                                        "best": attempt.round == outcome.best.round or None,
                                        "stopped": outcome.stopped if attempt.round == outcome.rounds_used else None,
                                        "code": attempt.code, "seconds": attempt.seconds})
                run.emit(EventKind.VALIDATION, subtask.id, attempt.result.badge,
                         CodeChecked(ok=attempt.result.ok, language=checked.language, repair_round=attempt.round))
                if attempt.started_at is not None and attempt.finished_at is not None:
                    kind = "fresh answer" if attempt.resampled else "repair round"
                    name = f"{subtask.id} · {kind} {attempt.round} ({checked.language})"
                    run.emit(EventKind.STEP_TIMED, subtask.id, name, StepTimed(
                        kind="repair", name=name, start=attempt.started_at, end=attempt.finished_at,
                        subtask_id=subtask.id, status="complete" if attempt.result.ok else "failed"))
            if outcome.improved:  # the best version shown, even when it still fails its check
                result.output = result.output.replace(checked.code, outcome.best.code)


def _calling_role(subtask: Subtask, run: _Run, settings: Settings) -> Role | None:
    """The role whose backend and model serve this subtask's calls: for a direct answer from
    a model the user picked, the role that model is the display name of, or None for a bare
    tag (it lives on the run's backend); else the subtask's role."""
    if run.answer is None or not run.answer.model_name:
        return subtask.role
    return settings.role_for_display_name(run.answer.model_name)
