"""HRMLocalWrapper: cache keys and persistence, threads, status and the analyzer seam."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from hrm_local_wrapper import HRMLocalWrapper, load_analyzer
from workbench.config import Settings
from workbench.decompose.analyze import RuleAnalyzer
from workbench.decompose.cache import cache_key
from workbench.domain import Method

QUERY = "Build a JUCE audio plugin with FAUST reverb processing"
QUERIES = [
    QUERY,
    "Create a basic sine oscillator in FAUST",
    "Build a modular synthesis engine with FAUST and JUCE GUI",
    "My JUCE plugin crashes in processBlock when the host changes the buffer size",
    "Derive the bilinear transform coefficients for a second-order lowpass biquad",
    "Create a complete guitar effects processor",
    "Profile and optimize the processBlock of my JUCE convolution reverb",
    "Pros and cons of processing audio per sample versus per block in a plugin",
]


def test_cache_is_keyed_by_context_and_survives_a_restart(hrm: HRMLocalWrapper, settings: Settings) -> None:
    plain = hrm.decompose_task(QUERY)
    assert hrm.decompose_task(f"  {QUERY}\n") is plain  # normalized whitespace hits the memory cache
    mac = hrm.decompose_task(QUERY, {"target_platform": "mac_vst"})
    assert mac is not plain and "build_configuration" in [s.id for s in mac.subtasks]
    assert hrm.get_status()["cached_queries"] == 2

    restarted = HRMLocalWrapper(device="cpu", settings=settings)
    assert restarted.get_status()["cached_queries"] == 2
    assert restarted.decompose_task(QUERY, {"target_platform": "mac_vst"}) == mac
    restarted.clear_cache()
    assert restarted.get_status()["cached_queries"] == 0


def test_cache_key_changes_with_engine_and_model() -> None:
    base = cache_key("q", {"a": 1}, "rules-1", None)
    assert base == cache_key("q", {"a": 1}, "rules-1", None)
    assert len({base, cache_key("q", {"a": 2}, "rules-1", None), cache_key("q", {"a": 1}, "rules-2", None),
                cache_key("q", {"a": 1}, "rules-1", "sha256:abc"), cache_key("Q", {"a": 1}, "rules-1", None)}) == 5


def test_caching_can_be_turned_off(settings: Settings) -> None:
    hrm = HRMLocalWrapper(device="cpu", enable_caching=False, settings=settings)
    first = hrm.decompose_task(QUERY)
    assert hrm.decompose_task(QUERY) is not first and hrm.decompose_task(QUERY) == first
    assert hrm.get_status()["cache_enabled"] is False and hrm.get_status()["cached_queries"] == 0


def test_eight_threads_decomposing_at_once_agree(hrm: HRMLocalWrapper, settings: Settings) -> None:
    expected = [HRMLocalWrapper(enable_caching=False, settings=settings).decompose_task(q).model_dump_json()
                for q in QUERIES]

    def work(offset: int) -> list[str]:
        order = QUERIES[offset:] + QUERIES[:offset]  # threads race on different keys first
        got = {q: hrm.decompose_task(q).model_dump_json() for q in order * 3}
        return [got[q] for q in QUERIES]

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(work, range(8)))
    assert all(r == expected for r in results)
    assert hrm.get_status()["cached_queries"] == len(QUERIES)


def test_status_reports_the_rules_and_why(hrm: HRMLocalWrapper) -> None:
    status = hrm.get_status()
    assert status["device"] == "cpu" and status["analyzer"] == "rules"
    assert status["hrm_available"] is False and status["model_loaded"] is False
    assert isinstance(status["cuda_available"], bool) and isinstance(status["mps_available"], bool)
    assert "no HRM checkpoint" in status["fallback_reason"]


def test_a_broken_checkpoint_falls_back_to_the_rules(settings: Settings, tmp_path: Path) -> None:
    broken = tmp_path / "hrm.pt"
    broken.write_bytes(b"this is not a torch checkpoint")
    analyzer = load_analyzer(settings, "cpu", broken)
    assert isinstance(analyzer, RuleAnalyzer)
    assert str(broken) in analyzer.status()["fallback_reason"] or "cannot be imported" in analyzer.status()["fallback_reason"]
    hrm = HRMLocalWrapper(device="cpu", model_path=broken, settings=settings)
    assert hrm.decompose_task(QUERY).method is Method.RULES


def test_bad_device_is_refused(settings: Settings) -> None:
    with pytest.raises(ValueError, match="auto, mps, cuda, cpu"):
        HRMLocalWrapper(device="gpu", settings=settings)


def test_analyze_matches_the_plan(hrm: HRMLocalWrapper) -> None:
    analysis = hrm.analyze(QUERY)
    plan = hrm.decompose_task(QUERY)
    assert (analysis.complexity, analysis.domains, analysis.confidence) == (plan.complexity, plan.domains, plan.confidence)
