"""The seed's chat API, handed on from `workbench.system`:

    glm = MultiModelGLMSystem()
    r = glm.chat_with_model_enhanced("Create a guitar effects processor", use_hrm_decomposition=True)
    handle = glm.start_run("...")          # the same in a background thread, as events
    glm.list_projects(); glm.get_run(r.run_id); glm.export_run(r.run_id, "markdown"); glm.import_run(text)
"""

from workbench.system import System as MultiModelGLMSystem

__all__ = ["MultiModelGLMSystem"]
