"""The Run history page through AppTest: runs of the current project, details, export, import."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from tests.ui.conftest import APP

TIMEOUT = 30


def open_page(project: str = "default") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["project"] = project
    at.switch_page("pages/2_Run_history.py")
    return at.run()


def import_file(at: AppTest, name: str, content: bytes) -> AppTest:
    at.file_uploader(key="import_file").set_value((name, content, "application/json"))
    at.run()
    (button,) = [b for b in at.button if b.label.startswith("Import into")]
    return button.click().run()


def test_runs_of_the_current_project_are_listed_with_details_and_exports(glm):
    glm.chat_with_model_enhanced("What is a biquad?", use_hrm_decomposition=False, project="filters")
    glm.chat_with_model_enhanced("Elsewhere", use_hrm_decomposition=False, project="other")

    at = open_page("filters")

    table = at.dataframe[0].value
    assert list(table["question"]) == ["What is a biquad?"] and list(table["status"]) == ["complete"]
    assert "What is a biquad?" in [md.value for md in at.markdown]
    assert "A **lowpass** is `fi.lowpass(2, 1000)`." in [md.value for md in at.markdown]
    assert [b.label for b in at.get("download_button")] == ["Export JSON", "Export Markdown"]


def test_an_exported_run_imports_into_the_current_project(glm):
    result = glm.chat_with_model_enhanced("Export me", use_hrm_decomposition=False, project="source")
    exported = glm.export_run(result.run_id, "json").encode()
    glm.create_project("target")

    at = import_file(open_page("target"), "run.json", exported)

    assert "into 'target'" in at.success[0].value
    target = next(p for p in glm.list_projects() if p.name == "target")
    (conversation,) = glm.list_conversations(target.id)
    assert [m.content for m in glm.get_messages(conversation.id)][0] == "Export me"
    assert list(at.dataframe[0].value["question"]) == ["Export me"]


def test_a_corrupt_file_is_refused_and_nothing_is_written(glm):
    glm.create_project("target")
    broken = json.dumps({"format": "something else"}).encode()

    at = import_file(open_page("target"), "broken.json", broken)

    assert at.error and at.error[0].value.startswith("Not imported:")
    target = next(p for p in glm.list_projects() if p.name == "target")
    assert glm.list_conversations(target.id) == []
