"""One intra-op thread for torch while a small model runs on the CPU.

The workbench's torch models (the HRM router, the MiniLM query encoder) are small: their time
goes to per-op overhead, and on a 2-core machine shared with other work two intra-op threads
spin against each other. Measured here with a second process busy: one MiniLM query 14 ms
with one thread against 157 ms with two; one HRM training batch 1.8 s against 10-30 s. The
setting is process-wide, so it is changed under a lock and restored afterwards.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

_LOCK = threading.RLock()  # re-entered when validation runs inside training


@contextlib.contextmanager
def one_torch_thread() -> Iterator[None]:
    import torch  # only callers that already run torch pay for the import

    with _LOCK:
        before = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            yield
        finally:
            torch.set_num_threads(before)
