"""The Knowledge page's view: search with sources, per-source counts, ingest with progress,
the background build of the embeddings with its progress bar, index size and freshness.

Pages call `render_knowledge_page(get_knowledge_base())` and nothing else; the knowledge
base is built once per server by `knowledge_base_factory` (tests swap it for one over a
small index, then call `get_knowledge_base.clear()`). By default it is the facade's own, so
the page sees the app's settings and an ingest here refreshes what the chat searches.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import streamlit as st

from workbench.domain import DocSource
from workbench.retrieval import KnowledgeBase, Passage
from workbench.retrieval.bounded_reads import RefusedFolder
from workbench.retrieval.citations import label
from workbench.ui.session import get_system


def _default_knowledge_base() -> KnowledgeBase:
    """The facade's index when it searches one, else a new one on the facade's settings."""
    glm = get_system()
    return glm.retriever if isinstance(glm.retriever, KnowledgeBase) else KnowledgeBase(glm.settings)


knowledge_base_factory: Callable[[], KnowledgeBase] = _default_knowledge_base


@st.cache_resource(show_spinner="Opening the knowledge index…")
def get_knowledge_base() -> KnowledgeBase:
    return knowledge_base_factory()


def freshness(age_seconds: float | None) -> str:
    """"never ingested", "2 min ago", "3 h ago", "5 days ago"."""
    if age_seconds is None:
        return "never ingested"
    for limit, unit, size in ((120, "s", 1), (7200, "min", 60), (172800, "h", 3600)):
        if age_seconds < limit:
            return f"{int(age_seconds // size)} {unit} ago"
    return f"{int(age_seconds // 86400)} days ago"


def source_table(status: dict) -> pd.DataFrame:
    """One row per source: whether it was found, where, and how much of it is indexed."""
    return pd.DataFrame(
        [
            {"source": name, "found": info["found"], "files": info["files"],
             "entries": info["entries"], "location": info["location"]}
            for name, info in status["sources"].items()
        ]
    )


def render_status(kb: KnowledgeBase) -> None:
    status = kb.status()
    cols = st.columns(4)
    cols[0].metric("Mode", status["mode"])
    cols[1].metric("Entries", f"{status['entries']:,}")
    cols[2].metric("Index size", f"{status['index_bytes'] / 1e6:.1f} MB")
    cols[3].metric("Last ingest", freshness(status["age_seconds"]))
    if status["embedding_error"]:
        st.warning(f"Embeddings unavailable, searching with BM25 only: {status['embedding_error']}")
    st.dataframe(source_table(status), hide_index=True, width="stretch")
    if status["notes"]:
        with st.expander(f"{len(status['notes'])} notes from the last ingest"):
            st.text("\n".join(status["notes"]))


def embedding_label(build: dict) -> str:
    """"Building embeddings: embed 2,048/12,000 (another process)" and the like."""
    where = " (another process)" if build.get("where") == "another process" else ""
    if build["stage"] in ("embed", "") and build["total"]:
        return f"Building embeddings{where}: {build['done']:,}/{build['total']:,} entries — searching with BM25 meanwhile"
    return f"Building embeddings{where}: {build['stage'] or 'starting'}… — searching with BM25 meanwhile"


@st.fragment(run_every=1.0)
def render_embedding_progress(kb: KnowledgeBase) -> None:
    """A progress bar while vectors are built (here or in another process); the page reruns
    once when the build ends, so the mode shown switches to hybrid."""
    build = kb.embedding_status()
    if build["state"] == "running":
        st.session_state["knowledge_build_seen"] = True
        st.progress(build["done"] / max(build["total"], 1), text=embedding_label(build))
    elif st.session_state.pop("knowledge_build_seen", False):
        st.rerun()
    elif build["state"] == "failed":
        st.warning(f"Embeddings were not built, searching with BM25: {build['error']}")


def render_ingest(kb: KnowledgeBase) -> None:
    folder = st.text_input("Project folder to add (optional)", key="knowledge_project_dir")
    if not st.button("Ingest / refresh", key="knowledge_ingest"):
        return
    project = Path(folder).expanduser() if folder.strip() else None
    if project is not None and not project.is_dir():
        st.error(f"{folder} is not a folder — check the path; nothing was changed.")
        return
    bar = st.progress(0.0, text="scanning…")

    def progress(stage: str, done: int, total: int) -> None:
        bar.progress(done / max(total, 1), text=f"{stage}: {done}/{total}")

    with st.status("Updating the knowledge index…", expanded=False) as box:
        try:
            summary = kb.ingest(progress, project_dirs=[project] if project else None,
                                embeddings="background")
        except RefusedFolder as exc:
            box.update(label="Nothing was indexed", state="error")
            st.error(f"{exc}; nothing was changed.")
            return
        box.update(label=f"Indexed {summary['entries_total']:,} entries "
                         f"({len(summary['changed_files'])} files changed) in {summary['seconds']} s",
                   state="complete")


def render_passage(rank: int, passage: Passage) -> None:
    st.markdown(f"**{rank}. {label(passage)}** · {passage.source.value} · score {passage.score:.4f}")
    with st.expander("text", expanded=rank == 1):
        st.code(passage.text, language=None)


def render_search(kb: KnowledgeBase) -> None:
    query = st.text_input("Search the documentation", key="knowledge_query",
                          placeholder="e.g. butterworth lowpass, getRawParameterValue")
    cols = st.columns([3, 1])
    sources = cols[0].multiselect("Sources", [s.value for s in DocSource], key="knowledge_sources")
    k = cols[1].number_input("Results", min_value=1, max_value=50, value=kb.config.top_k,
                             key="knowledge_k")
    if not query.strip():
        return
    if not kb.has_entries():
        st.info("The index is empty — press “Ingest / refresh” first.")
        return
    passages = kb.search(query, k=int(k), sources=sources or None)
    if not passages:
        st.info("No matches.")
    for rank, passage in enumerate(passages, start=1):
        render_passage(rank, passage)


def render_knowledge_page(kb: KnowledgeBase) -> None:
    st.title("Knowledge")
    render_search(kb)
    st.divider()
    st.subheader("Index")
    render_embedding_progress(kb)
    render_ingest(kb)
    render_status(kb)
