"""Plans and a facade wired to a scripted backend, for the execution tests."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest

from multi_model_system import MultiModelGLMSystem
from tests.fakes import FakeBackend
from workbench.config import Settings
from workbench.domain import ChatChunk, ChatMessage, Method, Role, Strategy, Subtask, TaskDecomposition, TaskType
from workbench.storage import Storage


def make_plan(question: str, steps: list[tuple[str, Role, list[str]]], *, complexity: int = 6,
              confidence: float = 0.9) -> TaskDecomposition:
    """A plan of `(id, role, dependencies)` steps, as the template engine would build it."""
    return TaskDecomposition(
        query=question, complexity=complexity, domains=[TaskType.FAUST], primary_role=Role.CODER,
        strategy=Strategy.DIRECT if len(steps) == 1 else Strategy.HIERARCHICAL,
        confidence=confidence, method=Method.RULES,
        subtasks=[Subtask(id=sid, title=f"Step {sid}", description=f"Do step {sid} of: {question}",
                          task_type=TaskType.FAUST, role=role, dependencies=deps)
                  for sid, role, deps in steps],
    )


class FixedDecomposer:
    """Stands in for the HRM wrapper: hands out one given plan (orchestration tests only)."""

    def __init__(self, plan: TaskDecomposition) -> None:
        self.plan = plan

    def decompose_task(self, query: str, context: dict | None = None) -> TaskDecomposition:
        return self.plan.model_copy(update={"query": query})

    def get_status(self) -> dict:
        return {"available": True, "engine": "fixed plan for tests"}


DIAMOND = [("s1", Role.REASONING, []), ("s2", Role.CODER, ["s1"]), ("s3", Role.MATH, ["s1"]),
           ("s4", Role.CODER, ["s2", "s3"])]


@pytest.fixture
def storage(settings: Settings) -> Storage:
    store = Storage(settings.db_path)
    yield store
    store.close()


@pytest.fixture
def make_glm(settings: Settings, storage: Storage) -> Callable[..., MultiModelGLMSystem]:
    def build(backend: FakeBackend, plan: TaskDecomposition | None = None, **kwargs) -> MultiModelGLMSystem:
        return MultiModelGLMSystem(settings, backends=backend, storage=storage,
                                   hrm=FixedDecomposer(plan) if plan else None,
                                   retriever=kwargs.pop("retriever", None),
                                   validator=kwargs.pop("validator", None), **kwargs)
    return build


class StallingBackend(FakeBackend):
    """A scripted backend whose requests matching `stall_when` are accepted and then send
    nothing until `release` is set — a model that never loads, a server that never answers.

    Released, a stalled stream offers one more chunk; `closed` is set when the consumer had
    given up by then and the stream was closed instead of finished."""

    def __init__(self, *args, stall_when: Callable[[str, list[ChatMessage]], bool] = lambda _m, _msgs: True,
                 **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.stall_when = stall_when
        self.release = threading.Event()
        self.closed = threading.Event()

    def chat(self, model: str, messages: list[ChatMessage], **kwargs) -> Iterator[ChatChunk]:
        if self.stall_when(model, messages):
            return self._stall()
        return super().chat(model, messages, **kwargs)

    def _stall(self) -> Iterator[ChatChunk]:
        try:
            self.release.wait()
            yield ChatChunk(content="too late")
            yield ChatChunk(done=True)
        except GeneratorExit:
            self.closed.set()
            raise


@pytest.fixture
def stalling() -> Iterator[StallingBackend]:
    """A backend that stalls every request; released at teardown so no pump thread lingers."""
    backend = StallingBackend("ok")
    yield backend
    backend.release.set()
