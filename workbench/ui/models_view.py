"""The Models page: every host with its health and models, where each role runs, pulling a
missing role model into Ollama, editing the role map, and each model's measured speed."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import streamlit as st

from workbench.system import System
from workbench.config import Settings, settings_file
from workbench.domain import Role
from workbench.llm.base import BackendError
from workbench.llm.host_status import HostStatus, probe_hosts
from workbench.llm.hosts import HostPool, inline_host_name
from workbench.llm.model_catalog import ModelInfo
from workbench.llm.model_pull import pull_model
from workbench.llm.role_backends import RoleBinding, resolve_role
from workbench.llm.role_map_file import RoleChoice, save_role_map
from workbench.ui import session
from workbench.ui.model_speed import speed_samples

AUTO = "auto"
FLASH_KEY = "models_flash"


def render_models_page(glm: System) -> None:
    settings = glm.settings
    st.title("Models")
    if flash := st.session_state.pop(FLASH_KEY, None):
        st.success(flash)
    pool = HostPool(settings)
    statuses = {status.host.name: status for status in probe_hosts(pool)}
    _render_hosts(list(statuses.values()))
    _render_roles(settings, pool, statuses)
    _render_role_map(settings, pool)
    _render_speeds(glm)


def hosts_table(statuses: list[HostStatus]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"host": s.host.name, "backend": s.host.backend, "address": s.host.base_url or "in-process",
          "health": "up" if s.reachable else "down", "latency_ms": round(s.latency_ms, 1),
          "models": len(s.models), "slots": s.host.concurrency, "detail": s.detail} for s in statuses],
        columns=["host", "backend", "address", "health", "latency_ms", "models", "slots", "detail"],
    )


def models_table(models: list[ModelInfo]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"model": m.name, "size_gb": round(m.size_bytes / 1e9, 2) if m.size_bytes else None,
          "family": m.family, "parameters": m.parameter_size, "quantization": m.quantization} for m in models],
        columns=["model", "size_gb", "family", "parameters", "quantization"],
    )


def _render_hosts(statuses: list[HostStatus]) -> None:
    st.subheader("Hosts")
    st.dataframe(hosts_table(statuses), hide_index=True)
    for status in statuses:
        if status.reachable and status.models:
            with st.expander(f"{status.host.name} · {len(status.models)} models installed"):
                st.dataframe(models_table(status.models), hide_index=True)


def _render_roles(settings: Settings, pool: HostPool, statuses: dict[str, HostStatus]) -> None:
    st.subheader("Where each role runs")
    for role in Role:
        try:
            binding = resolve_role(settings, role, pool)
        except BackendError as error:
            st.error(f"**{role.value}** · {error}")
            continue
        status = statuses.get(binding.host)
        installed = binding.host == "embedded" or (status is not None and status.has(binding.tag))
        line = f"**{role.value}** · `{binding.tag}` on **{binding.host}**"
        if binding.notice:
            line += f" — {binding.notice}"
        if installed:
            st.markdown(line)
            continue
        st.warning(f"{line} — not installed there")
        if pool.host(binding.host).backend == "ollama":
            _pull_button(binding, pool.host(binding.host).base_url or "")


def _pull_button(binding: RoleBinding, base_url: str) -> None:
    if not st.button(f"Pull {binding.tag} on {binding.host}", key=f"pull_{binding.role.value}"):
        return
    bar, shown = st.progress(0.0, text=f"pulling {binding.tag}…"), 0.0
    try:
        for step in pull_model(base_url, binding.tag):
            shown = step.fraction if step.fraction is not None else shown  # "verifying" keeps the bar
            bar.progress(shown, text=step.label)
    except BackendError as error:
        st.error(str(error))
        return
    st.success(f"Pulled {binding.tag} on {binding.host}")


def _current_host(settings: Settings, role: Role) -> str:
    model = settings.model_for(role)
    if model.host:
        return model.host
    if model.base_url:
        return inline_host_name(model.backend, model.base_url)
    return model.backend if model.backend != AUTO else AUTO


def _render_role_map(settings: Settings, pool: HostPool) -> None:
    st.subheader("Role map")
    path = settings_file()
    options = [AUTO, *pool.hosts]
    with st.form("role_map"):
        choices: dict[Role, RoleChoice] = {}
        for role in Role:
            model = settings.model_for(role)
            left, middle, right = st.columns([1, 2, 2])
            host = left.selectbox(f"{role.value} host", options, index=options.index(_current_host(settings, role)),
                                  key=f"map_host_{role.value}")
            tag = middle.text_input(f"{role.value} model", value=model.tag, key=f"map_tag_{role.value}")
            fallback = right.multiselect(f"{role.value} fallback", options[1:], default=model.fallback,
                                         key=f"map_fallback_{role.value}")
            choices[role] = _choice(pool, host, tag.strip(), fallback)
        saved = st.form_submit_button(f"Save to {path}")
    if not saved:
        return
    try:
        save_role_map(path, choices)
    except ValueError as error:
        st.error(f"Not saved: {error}")
        return
    st.session_state[FLASH_KEY] = f"Saved the role map to {path}; the workbench now uses it"
    session.get_system.clear()  # the next page run builds the facade from the saved file
    st.rerun()


def _choice(pool: HostPool, host: str, tag: str, fallback: list[str]) -> RoleChoice:
    """A built-in or `[hosts]` name is written as `host`; an inline host keeps its URL."""
    if host == AUTO:
        return RoleChoice(tag=tag, fallback=fallback)
    entry = pool.host(host)
    if "@" in host:
        return RoleChoice(tag=tag, fallback=fallback, backend=entry.backend, base_url=entry.base_url)
    return RoleChoice(tag=tag, host=host, fallback=fallback)


def _render_speeds(glm: System) -> None:
    st.subheader("Speed per model")
    samples = speed_samples(glm)
    if samples.empty:
        st.caption("No stored run has token counts yet — ask something on the chat page.")
        return
    left, right = st.columns(2)
    left.plotly_chart(px.box(samples, x="model", y="tokens_per_s", color="host", points="all",
                             title="tokens per second"), key="chart_tokens")
    latency = samples.dropna(subset=["first_token_ms"])
    if latency.empty:
        right.caption("First-token latency is not recorded for these runs.")
    else:
        right.plotly_chart(px.box(latency, x="model", y="first_token_ms", color="host", points="all",
                                  title="first-token latency (ms)"), key="chart_first_token")
