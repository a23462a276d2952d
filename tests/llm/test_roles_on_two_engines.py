"""One decomposed run with the reasoning role on a real llama.cpp server and the coder role on
the embedded backend; every stored subtask names the host that answered it.

The run's `ModelCaller` asks `resolve_role` which host serves each role that has one.
"""

from __future__ import annotations

from multi_model_system import MultiModelGLMSystem
from workbench.config import load_settings
from workbench.domain import GenerationOptions


def test_each_subtask_runs_and_is_recorded_on_its_roles_host(tmp_path, llama_server):
    settings = load_settings(
        data_dir=tmp_path / "data",
        llm={"backend": "embedded", "ollama_host": "http://127.0.0.1:9", "request_timeout_s": 120.0},
        hosts={"gpu": {"backend": "openai", "base_url": llama_server.base_url}},
        roles={"reasoning": {"host": "gpu", "tag": llama_server.model},
               "coder": {"backend": "embedded"}, "math": {"backend": "embedded"}},
        execution={"planner_complexity_threshold": 11, "synthesis_summary": "off", "retries": 0},
    )
    glm = MultiModelGLMSystem(settings, retriever=None, validator=None, options=GenerationOptions(max_tokens=8))

    result = glm.chat_with_model_enhanced("Build a JUCE audio plugin with FAUST reverb processing",
                                          use_hrm_decomposition=True)

    subtasks = glm.list_subtasks(result.run_id)
    hosts = {(s.role, s.backend) for s in subtasks}
    assert {role for role, _ in hosts} >= {"reasoning", "coder"}
    assert all(host == ("gpu" if role == "reasoning" else "embedded") for role, host in hosts), hosts
    assert all(s.status == "complete" for s in subtasks)
