"""Emitting `RunEvent`s: one small object the run, the executor and the synthesis share.

Events are the only thing the UI and the CLI render, and the run's recorder stores a run
from them, so every emitter goes through `EventEmitter` (thread-safe, counts per kind, and
each kind with its own payload type, `EVENT_DATA`).
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from pydantic import BaseModel

from workbench.domain import EVENT_DATA, EventKind, RunEvent, StepKind, StepTimed
from workbench.execute.streaming import RunCancelled

EventSink = Callable[[RunEvent], None]


class EventEmitter:
    """Sends events of one run to any number of sinks, in order, from any thread."""

    def __init__(self, run_id: str | None, sinks: list[EventSink | None]) -> None:
        self.run_id = run_id
        self._sinks = [sink for sink in sinks if sink is not None]
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()

    def __call__(
        self, kind: EventKind, subtask_id: str | None = None, text: str = "", data: BaseModel | None = None
    ) -> None:
        wanted = EVENT_DATA[kind]
        if (data is None) != (wanted is None) or (wanted is not None and not isinstance(data, wanted)):
            raise TypeError(f"a {kind.value} event carries {wanted and wanted.__name__}, not {type(data).__name__}")
        # built without re-validation: the payload is typed, and tokens arrive by the thousand
        event = RunEvent.model_construct(kind=kind, run_id=self.run_id, subtask_id=subtask_id,
                                         text=text, data=data)
        # one lock: sinks see a run's events in one order, never interleaved mid-event
        with self._lock:
            self._counts[kind.value] += 1
            for sink in self._sinks:
                sink(event)

    def summary(self) -> dict[str, int]:
        """How many events of each kind were sent — stored as the run's `events_summary`."""
        with self._lock:
            return dict(self._counts)


@dataclass
class StepOutcome:
    """How a timed step ended; the step's body sets `status` when it failed without raising."""

    status: str = "complete"


@contextmanager
def timed_step(emit: EventEmitter, kind: StepKind, name: str, subtask_id: str | None = None) -> Iterator[StepOutcome]:
    """Times the body and sends it as a STEP_TIMED event when it ends, raising or not (an
    exception counts as "failed", or "cancelled" for a Stop), so the timeline has the step."""
    outcome, start = StepOutcome(), time.time()
    try:
        yield outcome
    except RunCancelled:
        outcome.status = "cancelled"
        raise
    except BaseException:
        outcome.status = "failed"
        raise
    finally:
        emit(EventKind.STEP_TIMED, subtask_id, name, StepTimed(kind=kind, name=name, start=start, end=time.time(),
                                                               subtask_id=subtask_id, status=outcome.status))
