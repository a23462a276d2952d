"""Several writers on one file at once: threads sharing a Storage, separate Storage
objects, and a separate process, none of them may see "database is locked"."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable
from pathlib import Path

from workbench.storage import Storage

WRITES = 150


def _run_together(*jobs: Callable[[], None]) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(len(jobs))

    def wrapped(job: Callable[[], None]) -> None:
        start.wait()
        try:
            job()
        except BaseException as exc:  # collected and asserted on in the test's own thread
            errors.append(exc)

    threads = [threading.Thread(target=wrapped, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def _writer(storage: Storage, conversation_id: int, tag: str) -> Callable[[], None]:
    def job() -> None:
        for i in range(WRITES):
            message = storage.add_message(conversation_id, "assistant", "", status="streaming")
            storage.update_message(message.id, content=f"{tag}-{i}", status="complete")
            storage.list_messages(conversation_id)
    return job


def test_threads_share_one_storage(storage: Storage) -> None:
    project = storage.create_project("p")
    conversation = storage.create_conversation(project.id, "c")
    errors = _run_together(*(_writer(storage, conversation.id, f"t{n}") for n in range(3)))
    assert errors == []
    contents = {m.content for m in storage.list_messages(conversation.id)}
    assert contents == {f"t{n}-{i}" for n in range(3) for i in range(WRITES)}


def test_two_storage_objects_on_one_file(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    first, second = Storage(path), Storage(path)
    conversation = first.create_conversation(first.ensure_project("p").id, "c")
    errors = _run_together(
        _writer(first, conversation.id, "first"),
        _writer(second, conversation.id, "second"),
        lambda: [second.ensure_project(f"p{i}") for i in range(WRITES)],
    )
    assert errors == []
    assert len(first.list_messages(conversation.id)) == 2 * WRITES
    assert len(first.list_projects()) == WRITES + 1
    first.close()
    second.close()


def test_another_process_writes_while_we_write(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    storage = Storage(path)
    conversation = storage.create_conversation(storage.ensure_project("p").id, "c")
    child = subprocess.Popen(
        [
            sys.executable, "-c",
            textwrap.dedent(f"""
                from workbench.storage import Storage
                s = Storage({str(path)!r})
                print("ready", flush=True)
                for i in range({WRITES}):
                    s.add_message({conversation.id}, "user", f"child-{{i}}")
            """),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout.readline() == "ready\n", child.stderr.read()
    for i in range(WRITES):
        storage.add_message(conversation.id, "user", f"parent-{i}")
    _, stderr = child.communicate(timeout=120)
    assert child.returncode == 0, stderr
    assert len(storage.list_messages(conversation.id)) == 2 * WRITES
    storage.close()
