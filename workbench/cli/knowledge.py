"""`hrm-reason knowledge ingest | embed | search | status` — the knowledge base from the terminal."""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.vocabulary import DocSource

if TYPE_CHECKING:
    from workbench.config import Settings
    from workbench.retrieval import KnowledgeBase


def _existing_dir(value: str) -> Path:
    path = Path(value).expanduser()
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"{value} is not a directory — check the path")
    return path


def register(subparsers) -> None:
    parser = subparsers.add_parser("knowledge", help="index and search FAUST/JUCE documentation")
    commands = parser.add_subparsers(dest="knowledge_command", required=True, metavar="ACTION")

    ingest = commands.add_parser("ingest", help="index (or refresh) the documentation sources")
    ingest.add_argument("--faust-lib", type=_existing_dir, help="folder with the FAUST .lib files")
    ingest.add_argument("--juce", type=_existing_dir, help="JUCE checkout or its modules folder")
    ingest.add_argument("--path", type=_existing_dir, action="append", default=[],
                        help="a project folder to index (repeatable; remembered for refreshes)")
    ingest.add_argument("--if-empty", action="store_true",
                        help="only when the index has no entries yet (the app's start script uses this)")
    ingest.add_argument("--no-embeddings", action="store_true",
                        help="BM25 only, in seconds; add the vectors later with `knowledge embed`")
    ingest.set_defaults(func=_ingest)

    embed = commands.add_parser("embed", help="add the missing vectors (hybrid search) to the index")
    embed.set_defaults(func=_embed)

    search = commands.add_parser("search", help="search the index")
    search.add_argument("query")
    search.add_argument("-k", type=int, default=None, help="number of results (default: settings)")
    search.add_argument("--source", action="append", choices=[s.value for s in DocSource],
                        help="only these sources (repeatable)")
    search.add_argument("--json", action="store_true", help="print JSON")
    search.set_defaults(func=_search)

    status = commands.add_parser("status", help="sources, counts, mode and age of the index")
    status.add_argument("--json", action="store_true", help="print JSON")
    status.set_defaults(func=_status)


def _knowledge_base(settings: Settings) -> KnowledgeBase:
    """The index, imported here: retrieval loads bm25s and scipy, which `--help` need not.
    No background build: a command that ends would cut it off; `ingest` and `embed` build
    the vectors in the foreground instead."""
    from workbench.retrieval import KnowledgeBase

    return KnowledgeBase(settings, background=False)


def _ingest(args: argparse.Namespace, settings: Settings) -> int:
    from workbench.retrieval.bounded_reads import RefusedFolder

    kb = _knowledge_base(settings)
    if args.if_empty and kb.has_entries():
        return 0
    try:
        summary = kb.ingest(faust_lib_dir=args.faust_lib, juce_dir=args.juce,
                            project_dirs=args.path, show_progress=True,
                            embeddings="skip" if args.no_embeddings else "now")
    except RefusedFolder as exc:
        print(f"error: {exc} (nothing was indexed or remembered)")
        return 2
    print(f"{summary['entries_total']} entries from {summary['files']} files "
          f"({len(summary['changed_files'])} changed, {len(summary['removed_files'])} removed, "
          f"{summary['entries_added']} entries re-parsed) in {summary['seconds']} s — mode {summary['mode']}")
    for note in summary["notes"]:
        print(f"  note: {note}")
    _print_embeddings(summary["embeddings"])
    _print_sources(kb.status())
    return 0


def _embed(args: argparse.Namespace, settings: Settings) -> int:
    kb = _knowledge_base(settings)
    result = kb.build_embeddings(show_progress=True)
    _print_embeddings(result.as_dict())
    print(f"mode {kb.mode}")
    return 1 if result.state == "failed" else 0


def _print_embeddings(build: dict) -> None:
    if build["state"] == "failed":
        print(f"  embeddings not built, searching with BM25: {build['error']}")
    elif build["state"] == "done" and build["total"]:
        print(f"  embedded {build['done']} entries")


def _search(args: argparse.Namespace, settings: Settings) -> int:
    k = args.k if args.k is not None else settings.retrieval.top_k
    if k < 1:
        print("error: -k must be at least 1")
        return 2
    kb = _knowledge_base(settings)
    if not kb.has_entries():
        print("The index is empty — run `hrm-reason knowledge ingest` first.")
        return 1
    sources = [DocSource(s) for s in args.source] if args.source else None
    passages = kb.search(args.query, k=k, sources=sources)
    if args.json:
        print(json.dumps([
            {"source": p.source.value, "title": p.title, "location": p.location,
             "score": p.score, "text": p.text}
            for p in passages
        ], indent=2))
        return 0
    if not passages:
        print("no matches")
    for rank, p in enumerate(passages, start=1):
        first = next((line for line in p.text.splitlines()[1:] if line.strip()), "")
        print(f"{rank}. {p.title}  [{p.source.value}]  {p.location}  score {p.score:.4f}")
        print(f"   {first[:110]}")
    return 0


def _status(args: argparse.Namespace, settings: Settings) -> int:
    status = _knowledge_base(settings).status()
    if args.json:
        print(json.dumps(status, indent=2))
        return 0
    when = (datetime.fromtimestamp(status["last_ingest"]).isoformat(timespec="seconds")
            if status["last_ingest"] else "never")
    print(f"mode {status['mode']}, {status['entries']} entries, "
          f"{status['index_bytes'] / 1e6:.1f} MB in {status['index_dir']}, last ingest {when}")
    if status["embedding_error"]:
        print(f"embeddings unavailable: {status['embedding_error']}")
    build = status["embeddings"]
    if build["state"] == "running":
        print(f"building embeddings ({build['where']}): {build['stage']} {build['done']}/{build['total']}")
    _print_sources(status)
    return 0


def _print_sources(status: dict) -> None:
    for source, info in status["sources"].items():
        print(f"  {source:16} {info['entries']:6} entries {info['files']:5} files  {info['location']}")
