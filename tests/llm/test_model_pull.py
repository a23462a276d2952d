"""`ollama pull` progress, from a local server that streams Ollama's NDJSON pull lines one by one."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.llm.test_role_backends import TAGS
from workbench.llm import BackendError, BackendUnavailable
from workbench.llm.model_pull import PullStep, pull_model

LAYER = 50_000_000
PULL_LINES = [
    {"status": "pulling manifest"},
    {"status": "pulling 6a0746a1ec1a", "digest": "sha256:6a07", "total": LAYER, "completed": 0},
    {"status": "pulling 6a0746a1ec1a", "digest": "sha256:6a07", "total": LAYER, "completed": LAYER // 2},
    {"status": "pulling 6a0746a1ec1a", "digest": "sha256:6a07", "total": LAYER, "completed": LAYER},
    {"status": "verifying sha256 digest"},
    {"status": "writing manifest"},
    {"status": "success"},
]


class PullServer(ThreadingHTTPServer):
    """An Ollama that has TAGS installed and answers POST /api/pull with `lines`, flushing
    each; after line `hold_after` it waits on `gate`, so a test can prove it saw progress
    while the pull was still going."""

    daemon_threads = True

    def __init__(self, lines: list[dict], hold_after: int = 0) -> None:
        super().__init__(("127.0.0.1", 0), _PullHandler)
        self.lines = lines
        self.hold_after = hold_after
        self.gate = threading.Event()
        self.requests: list[dict] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _PullHandler(BaseHTTPRequestHandler):
    server: PullServer
    protocol_version = "HTTP/1.1"  # chunked transfer, as Ollama streams

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        body = json.dumps(TAGS).encode() if self.path == "/api/tags" else b"{}"
        self.send_response(200 if self.path == "/api/tags" else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:  # noqa: N802 - the http.server API
        self.server.requests.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for i, line in enumerate(self.server.lines):
            data = (json.dumps(line) + "\n").encode()
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()
            if i == self.server.hold_after:
                self.server.gate.wait(30)
        self.wfile.write(b"0\r\n\r\n")

    def log_message(self, *args) -> None:
        pass


@contextmanager
def pull_server(lines: list[dict], hold_after: int = 0) -> Iterator[PullServer]:
    server = PullServer(lines, hold_after)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.gate.set()
        server.shutdown()
        server.server_close()


def test_progress_arrives_while_the_pull_runs_and_ends_at_success():
    with pull_server(PULL_LINES) as server:
        steps = pull_model(server.url, "qwen2.5-coder:7b")
        first = next(steps)  # the server is holding the rest back until the gate opens
        assert first == PullStep("pulling manifest") and not server.gate.is_set()
        server.gate.set()
        rest = list(steps)
    assert server.requests[0]["model"] == "qwen2.5-coder:7b" and server.requests[0]["stream"] is True
    assert [s.fraction for s in rest] == [0.0, 0.5, 1.0, None, None, 1.0]
    assert rest[1].label == "pulling 6a0746a1ec1a — 25 of 50 MB"
    assert rest[-1].status == "success"


def test_an_unknown_model_is_a_clear_error():
    lines = [{"status": "pulling manifest"}, {"error": "pull model manifest: file does not exist"}]
    with pull_server(lines) as server:
        server.gate.set()
        with pytest.raises(BackendError, match="could not pull 'nope:1b': pull model manifest: file does not exist"):
            list(pull_model(server.url, "nope:1b"))


def test_a_pull_cut_short_is_not_taken_for_success():
    with pull_server(PULL_LINES[:3]) as server:
        server.gate.set()
        with pytest.raises(BackendError, match="ended at 'pulling 6a0746a1ec1a' — start it again"):
            list(pull_model(server.url, "qwen2.5-coder:7b"))


def test_an_unreachable_server_says_how_to_start_it():
    with pytest.raises(BackendUnavailable, match=r"not reachable at http://127.0.0.1:9 — start it with `ollama serve`"):
        list(pull_model("http://127.0.0.1:9", "qwen2.5-coder:7b"))
