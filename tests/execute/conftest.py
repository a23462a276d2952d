"""Plans and a facade wired to a scripted backend, for the execution tests."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest

from multi_model_system import MultiModelGLMSystem
from tests.fakes import FakeBackend, use_backend
from workbench.config import Settings
from workbench.domain import ChatChunk, ChatMessage, Role, TaskDecomposition
from workbench.execute.scripted_plans import FixedDecomposer, make_plan  # noqa: F401 - the tests' plans
from workbench.storage import Storage

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
        return MultiModelGLMSystem(use_backend(settings, backend), storage=storage,
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
