"""The lifecycle of one question, from the chat box to the stored answer.

In order: the conversation and its history; the user's message, stored before any model is
called; the assistant message and the run row; the plan (`Decomposer.plan`, or one subtask
when decomposition is off); the DAG executor — a direct answer is a plan of one subtask and
takes the same steps; the synthesis of several parts; the final save of the message and the
run. Every model call goes through the run's one `ModelCaller`. Backend failures come back in
the `RunResult`, never as exceptions.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from workbench.config import Settings
from workbench.domain import (
    EventKind, GenerationOptions, MessageStatus, Method, PlanMade, Role, RunEnded, RunResult, RunStarted, RunStatus,
    StepTimed, SubtaskResult, SubtaskStatus, SynthesisStarted, TaskDecomposition,
)
from workbench.execute.caller import ModelCaller
from workbench.execute.events import EventEmitter, EventSink
from workbench.execute.executor import ChatTurn, DAGExecutor
from workbench.execute.hooks import Retriever, Validator
from workbench.execute.planner import Decomposer, one_subtask_plan
from workbench.execute.prompts import describe_context
from workbench.execute.recorder import RunRecorder
from workbench.execute.slots import BackendSlots
from workbench.execute.synthesis import (
    one_answer, overview_wanted, sources_of, synthesize, unstreamed, with_overview, write_overview,
)
from workbench.llm.base import Backend
from workbench.storage import Storage
from workbench.storage.records import Conversation


@dataclass
class RunParts:
    """What a run is made of; the system hands a fresh one to each question."""

    settings: Settings
    storage: Storage
    backend: Backend
    notice: str | None
    decomposer: Decomposer | None  # None: answer directly, without a plan
    retriever: Retriever | None
    validator: Validator | None
    slots: BackendSlots
    options: GenerationOptions | None = None


def run_question(
    parts: RunParts,
    question: str,
    model_name: str | None = None,
    *,
    project: str = "default",
    conversation_id: int | None = None,
    context: dict | str | None = None,
    on_event: EventSink | None = None,
    cancel: threading.Event | None = None,
) -> RunResult:
    """Answer a checked `question` and store everything. `model_name` (display name or tag)
    is the model of a direct answer; with decomposition each subtask uses its role's model."""
    return _QuestionRun(parts, cancel or threading.Event()).run(
        question, model_name, project, conversation_id, context, on_event)


class _QuestionRun:
    def __init__(self, parts: RunParts, cancel: threading.Event) -> None:
        self.parts = parts
        self.settings = parts.settings
        self.storage = parts.storage
        self.cancel = cancel
        self.caller = ModelCaller(parts.settings, parts.backend, parts.slots, options=parts.options, cancel=cancel)

    def run(self, question: str, model_name: str | None, project: str,
            conversation_id: int | None, context: dict | str | None, on_event: EventSink | None) -> RunResult:
        started = time.perf_counter()
        backend = self.parts.backend.name
        conversation = self._conversation(project, conversation_id, question)
        history = [(m.role, m.content) for m in self.storage.list_messages(conversation.id)
                   if m.content.strip() and m.status in (MessageStatus.COMPLETE, MessageStatus.PARTIAL)]
        user = self.storage.add_message(conversation.id, "user", question)
        assistant = self.storage.add_message(conversation.id, "assistant", "", status=MessageStatus.STREAMING,
                                             backend=backend)
        run = self.storage.create_run(conversation.id, assistant.id, question, None)
        recorder = RunRecorder(self.storage, run.id, assistant.id, self.settings.execution.store_interval_s)
        emit = EventEmitter(run.id, [recorder, on_event])
        result = RunResult(run_id=run.id, conversation_id=conversation.id, user_message_id=user.id,
                           message_id=assistant.id, status=RunStatus.ERROR, backend=backend,
                           notice=self.parts.notice)
        emit(EventKind.RUN_STARTED, None, question, RunStarted(
            conversation_id=conversation.id, message_id=assistant.id, backend=backend, notice=self.parts.notice))
        try:
            if self.parts.decomposer is not None:
                plan = self._plan(question, context, run.id, emit)
            else:  # decomposition off: one subtask for the picked model's role
                role = (self.settings.role_for_display_name(model_name) if model_name else None) or Role.REASONING
                plan = one_subtask_plan(question, role)
            # a direct plan still chose a role: its model answers unless the user picked one
            self._run_plan(plan, context, emit, result, ChatTurn(history=history, model_name=model_name))
        except BaseException as error:
            # a crash (or Ctrl-C) must still leave the answer so far and the reason on disk
            result.status, result.error = RunStatus.ERROR, f"The run stopped unexpectedly: {error!r}"
            result.answer = result.answer or recorder.answer_so_far
            self._store_final(result, started, emit)
            raise
        self._store_final(result, started, emit)
        if result.status == RunStatus.ERROR:
            emit(EventKind.RUN_FAILED, None, result.error or "the run failed", RunEnded(result=result))
        else:
            emit(EventKind.RUN_DONE, None, result.answer, RunEnded(result=result))
        return result

    def _conversation(self, project: str, conversation_id: int | None, question: str) -> Conversation:
        if conversation_id is not None:
            conversation = self.storage.get_conversation(conversation_id)
            if conversation is None:
                raise ValueError(f"Conversation {conversation_id} does not exist — start a new one")
            return conversation
        title = " ".join(question.split())[:60]
        return self.storage.create_conversation(self.storage.ensure_project(project).id, title)

    def _plan(self, question: str, context: dict | str | None, run_id: str, emit: EventEmitter) -> TaskDecomposition:
        from workbench.decompose.dag import execution_phases

        def announce(plan: TaskDecomposition, refining: bool) -> None:
            dumped = plan.model_dump(mode="json")
            self.storage.update_run(run_id, decomposition=dumped)
            emit(EventKind.PLAN, None, plan.strategy.value,
                 PlanMade(decomposition=dumped, phases=execution_phases(plan.subtasks), refining=refining))

        # the template plan is shown at once; a refined one replaces it when the planner answers
        template: list[tuple[TaskDecomposition, bool, float]] = []

        def on_template(first: TaskDecomposition, refining: bool) -> None:
            template.append((first, refining, time.time()))
            emit(EventKind.STEP_TIMED, None, "analysis and template plan", StepTimed(
                kind="plan", name="analysis and template plan", start=started, end=template[0][2]))
            announce(first, refining)

        started = time.time()
        plan = self.parts.decomposer.plan(
            question, context if isinstance(context, dict) else None, llm=self.caller, on_template=on_template)
        first, refining, planner_started = template[0]
        if refining:  # the planner's own time; a rejected plan is a failed step (the template stands)
            status = "complete" if plan.method == Method.PLANNER else "cancelled" if self.cancel.is_set() else "failed"
            emit(EventKind.STEP_TIMED, None, "LLM planner", StepTimed(
                kind="planner", name="LLM planner", start=planner_started, end=time.time(), status=status))
        if plan is not first:
            announce(plan, False)
        return plan

    def _run_plan(self, plan: TaskDecomposition, context: dict | str | None, emit: EventEmitter,
                  result: RunResult, turn: ChatTurn) -> None:
        executor = DAGExecutor(self.settings, self.caller, retriever=self.parts.retriever,
                               validator=self.parts.validator)
        subtasks = executor.run(plan, emit, project_context=describe_context(context), conversation=turn)
        result.subtasks, result.sources = subtasks, sources_of(subtasks)
        if len(subtasks) == 1:
            self._one_answer(subtasks[0], result)
            # the check lines and sources under the answer stream too, so a client that only
            # reads the stream (hrm-reason serve) ends with what was stored
            if tail := result.answer[len(subtasks[0].output):]:
                emit(EventKind.TOKEN, None, tail)
        else:
            self._combined_answer(plan, subtasks, emit, result)
        if fallbacks := self.caller.notices():  # a role whose host was down: the answer says where it ran
            lines = "\n".join(f"> {line}" for line in fallbacks)
            result.answer = f"{result.answer}\n\n{lines}"
            emit(EventKind.TOKEN, None, f"\n\n{lines}")
            result.notice = "; ".join(filter(None, [result.notice, *fallbacks]))

    def _combined_answer(self, plan: TaskDecomposition, subtasks: list[SubtaskResult], emit: EventEmitter,
                         result: RunResult) -> None:
        result.decomposition = plan.model_dump(mode="json")
        # Stop before the overview leaves it out silently; Stop during it only costs the overview
        summarize = overview_wanted(self.settings, self.parts.backend.name, subtasks) and not self.cancel.is_set()
        emit(EventKind.SYNTHESIS_STARTED, None, f"combining {len(subtasks)} subtask results"
             + ("; the reasoning model writes an overview" if summarize else ""), SynthesisStarted(overview=summarize))
        assembled = synthesize(subtasks)
        if summarize:
            result.overview = write_overview(plan.query, subtasks, self.caller, self.settings, emit)
        result.answer = with_overview(assembled, result.overview)
        emit(EventKind.TOKEN, None, unstreamed(result.answer, assembled, result.overview))
        overview = [result.overview] if result.overview is not None else []
        result.model = ", ".join(dict.fromkeys(
            [s.model for s in subtasks if s.model] + [o.model for o in overview if o.status == "complete"]))
        result.thinking = "\n\n".join(
            [f"[{s.id} — {s.model}]\n{s.thinking}" for s in subtasks if s.thinking]
            + [f"[overview — {o.model}]\n{o.thinking}" for o in overview if o.thinking])
        calls = [s for s in subtasks if s.status == SubtaskStatus.COMPLETE] + overview
        result.prompt_tokens = sum(c.prompt_tokens or 0 for c in calls) or None
        result.completion_tokens = sum(c.completion_tokens or 0 for c in calls) or None
        result.status, result.error = _plan_outcome(subtasks, self.cancel)

    def _one_answer(self, subtask: SubtaskResult, result: RunResult) -> None:
        """A one-subtask plan: its text (already streamed) is the answer, with no synthesis
        around it; a failure keeps what arrived, as a partial answer with the error."""
        result.answer, result.thinking = one_answer(subtask), subtask.thinking
        result.model = subtask.model
        result.notice = subtask.model_note or result.notice
        result.prompt_tokens, result.completion_tokens = subtask.prompt_tokens, subtask.completion_tokens
        if subtask.status == SubtaskStatus.COMPLETE:
            result.status, result.error = RunStatus.COMPLETE, None
        elif subtask.status == SubtaskStatus.CANCELLED:
            result.status, result.error = RunStatus.CANCELLED, subtask.error
        else:
            result.status = RunStatus.PARTIAL if subtask.output else RunStatus.ERROR
            result.error = subtask.error

    def _store_final(self, result: RunResult, started: float, emit: EventEmitter) -> None:
        result.duration_ms = (time.perf_counter() - started) * 1000
        error = result.error if result.status != RunStatus.COMPLETE else None
        self.storage.update_message(
            result.message_id, content=result.answer, thinking=result.thinking,
            status=MessageStatus.of_run(result.status), error=error, model=result.model or None,
            backend=result.backend, duration_ms=result.duration_ms,
            prompt_tokens=result.prompt_tokens, completion_tokens=result.completion_tokens,
        )
        self.storage.update_run(result.run_id, status=result.status, answer=result.answer, error=error,
                                duration_ms=result.duration_ms, events_summary=emit.summary(),
                                overview=result.overview and result.overview.record())


def _plan_outcome(subtasks: list[SubtaskResult], cancel: threading.Event) -> tuple[RunStatus, str | None]:
    """The run's status from its subtasks', and which ones are missing from the answer."""
    missing = [s for s in subtasks if s.status != SubtaskStatus.COMPLETE]
    if not missing:
        return RunStatus.COMPLETE, None
    why = f"{len(missing)} of {len(subtasks)} subtasks did not finish: " + "; ".join(
        f"{s.id} {s.status} ({s.error or 'no output'})" for s in missing)
    if cancel.is_set():
        return RunStatus.CANCELLED, why
    if len(missing) < len(subtasks):
        return RunStatus.PARTIAL, why
    causes = {s.error for s in missing if s.status == SubtaskStatus.FAILED}
    if len(causes) == 1 and None not in causes:
        return RunStatus.ERROR, causes.pop()  # one cause for all (e.g. the backend is down): said once
    return RunStatus.ERROR, why
