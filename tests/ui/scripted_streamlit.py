"""`streamlit run` with the scripted backend registered first, for browser tests and benchmarks
that need a model of known timing while the app, its pages, storage and the real decomposer
stay as they are: `python -m tests.ui.scripted_streamlit run app.py …` with
`WORKBENCH_LLM__BACKEND=scripted`. The answer and its timing come from the environment
(`SCRIPTED_ANSWER`, `SCRIPTED_FIRST_TOKEN_DELAY_S`, `SCRIPTED_TOKEN_DELAY_S`); `running_app`
starts it with `launcher="tests.ui.scripted_streamlit"`.
"""

from __future__ import annotations

import os

from streamlit.web.cli import main

from workbench.llm.registry import register_backend
from workbench.llm.scripted import ScriptedBackend


def scripted_backend() -> ScriptedBackend:
    return ScriptedBackend(os.environ.get("SCRIPTED_ANSWER", "ok"),
                           first_token_delay_s=float(os.environ.get("SCRIPTED_FIRST_TOKEN_DELAY_S", "0")),
                           token_delay_s=float(os.environ.get("SCRIPTED_TOKEN_DELAY_S", "0")))


if __name__ == "__main__":
    backend = scripted_backend()
    # the server runs the pages in this process, so they find the backend in the same registry
    register_backend(backend.name, lambda _settings: backend)
    main(prog_name="streamlit")
