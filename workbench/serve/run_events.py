"""A run started with `start_run`, seen from async server code as an async stream of events.

The run works in its own thread; each event is awaited in a worker thread that the server
may abandon, so a client that goes away (a closed HTTP stream, an MCP cancellation) stops
the run at once instead of after its next token.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

import anyio.to_thread

from workbench.domain import RunEvent

if TYPE_CHECKING:
    from workbench.execute.run_handle import RunHandle


async def run_events(handle: RunHandle) -> AsyncIterator[RunEvent]:
    """Every event of the run until it ends; leaving early cancels the run."""
    events = iter(handle)
    try:
        while (event := await anyio.to_thread.run_sync(next, events, None, abandon_on_cancel=True)) is not None:
            yield event
    finally:
        if not handle.done:
            handle.cancel()
