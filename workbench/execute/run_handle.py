"""A run in a background thread, seen as a stream of events (what the UI polls).

Iterating a handle yields the run's events as they happen and ends when the run does;
`result()` returns the `RunResult` (or raises what the run raised); `cancel()` asks the
run to stop between two tokens.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator

from workbench.domain import RunEvent, RunResult
from workbench.execute.events import EventSink

RunTarget = Callable[[EventSink, threading.Event], RunResult]

_END = object()


class RunHandle:
    def __init__(self, target: RunTarget) -> None:
        self.events: queue.Queue[RunEvent | object] = queue.Queue()
        self._cancel = threading.Event()
        self._result: RunResult | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._work, args=(target,), name="run", daemon=True)
        self._thread.start()

    def _work(self, target: RunTarget) -> None:
        try:
            self._result = target(self.events.put, self._cancel)
        except BaseException as error:  # noqa: BLE001 - handed to the caller by result()
            self._error = error
        finally:
            self.events.put(_END)

    def __iter__(self) -> Iterator[RunEvent]:
        while (event := self.events.get()) is not _END:
            yield event

    def drain(self) -> list[RunEvent]:
        """The events that arrived since the last call, without waiting (for a UI that
        redraws on a timer); the end marker is left for `done`."""
        out: list[RunEvent] = []
        while True:
            try:
                event = self.events.get_nowait()
            except queue.Empty:
                return out
            if event is _END:
                self.events.put(_END)
                return out
            out.append(event)

    @property
    def done(self) -> bool:
        return not self._thread.is_alive()

    def cancel(self) -> None:
        self._cancel.set()

    def result(self, timeout: float | None = None) -> RunResult:
        """Wait for the run; raises `TimeoutError` if it is still going after `timeout`."""
        self._thread.join(timeout)
        if self._thread.is_alive():
            raise TimeoutError(f"the run is still going after {timeout} s")
        if self._error is not None:
            raise self._error
        return self._result
