"""The seed's decomposition API, handed on from `workbench.decomposer`:

    hrm = HRMLocalWrapper(device="auto", enable_caching=True, model_path=None)
    plan = hrm.decompose_task("Build a JUCE plugin with FAUST reverb", {"target_platform": "mac_vst"})
    hrm.get_execution_order(plan); hrm.export_decomposition(plan, "my_task.json")
    load_decomposition("my_task.json")
"""

from workbench.decomposer import HRMLocalWrapper, load_analyzer, load_decomposition

__all__ = ["HRMLocalWrapper", "load_analyzer", "load_decomposition"]
