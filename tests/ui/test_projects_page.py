"""The Projects page through AppTest on a real database: table, create, rename, delete."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.ui.conftest import APP

TIMEOUT = 30


def open_page() -> AppTest:
    """The Projects page of the real multipage app (so it can switch to the chat)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.switch_page("pages/1_Projects.py")
    return at.run()


def button(at: AppTest, label: str):
    (found,) = [b for b in at.button if b.label == label]
    return found


def create(at: AppTest, name: str) -> AppTest:
    at.text_input[0].set_value(name)
    (submit,) = [b for b in at.button if b.label == "Create"]
    return submit.click().run()


def test_projects_are_listed_with_their_counts(glm):
    glm.chat_with_model_enhanced("What is FAUST?", use_hrm_decomposition=False, project="synths")
    glm.create_project("empty one")

    at = open_page()

    table = at.dataframe[0].value
    assert list(table.columns) == ["project", "conversations", "messages", "last activity", "created"]
    synths = table.set_index("project").loc["synths"]
    assert (synths["conversations"], synths["messages"]) == (1, 2)
    assert table.set_index("project").loc["empty one", "messages"] == 0


def test_create_and_rename_a_project(glm):
    at = create(open_page(), "reverbs")
    assert "Created project 'reverbs'" in at.success[0].value
    assert [p.name for p in glm.list_projects()] == ["reverbs"]

    (new_name,) = [t for t in at.text_input if t.label == "New name"]
    new_name.set_value("plate reverbs")
    button(at, "Rename").click()
    at.run()

    assert [p.name for p in glm.list_projects()] == ["plate reverbs"]
    assert at.selectbox(key="project_choice").value == "plate reverbs"


def test_duplicate_or_empty_names_are_refused_with_the_reason(glm):
    glm.create_project("reverbs")

    at = create(open_page(), "reverbs")
    assert at.error and "reverbs" in at.error[0].value
    at = create(at, "   ")
    assert at.error
    assert [p.name for p in glm.list_projects()] == ["reverbs"]


def test_delete_asks_first_and_cancel_keeps_the_project(glm):
    glm.chat_with_model_enhanced("Keep me", use_hrm_decomposition=False, project="keep")

    at = button(open_page(), "Delete…").click().run()
    assert "1 conversations and 2 messages" in at.warning[0].value
    assert [p.name for p in glm.list_projects()] == ["keep"]

    at = button(at, "Cancel").click().run()
    assert not at.warning and [p.name for p in glm.list_projects()] == ["keep"]

    at = button(at, "Delete…").click().run()
    at = button(at, "Yes, delete keep").click().run()
    assert glm.list_projects() == []
    assert "Deleted project 'keep'" in at.success[0].value


def test_open_switches_to_the_chat_in_that_project(glm):
    glm.create_project("delays")
    glm.create_project("filters")

    at = open_page()
    at.selectbox(key="project_choice").set_value("filters").run()
    at = button(at, "Open in the chat").click().run()

    assert at.query_params["project"] == "filters"
    assert at.sidebar.selectbox[0].label == "Project" and at.sidebar.selectbox[0].value == "filters"
