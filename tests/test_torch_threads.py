"""The one-thread context sets torch's intra-op threads and always restores them."""

from __future__ import annotations

import pytest
import torch

from workbench.torch_threads import one_torch_thread


def test_one_thread_inside_and_the_setting_restored_after_nesting_and_errors():
    torch.set_num_threads(2)
    with one_torch_thread():
        assert torch.get_num_threads() == 1
        with one_torch_thread():
            assert torch.get_num_threads() == 1
        assert torch.get_num_threads() == 1
    assert torch.get_num_threads() == 2
    with pytest.raises(RuntimeError), one_torch_thread():
        raise RuntimeError("boom")
    assert torch.get_num_threads() == 2
