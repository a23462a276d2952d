"""Which files of a context folder matter to a question: BM25 over the file texts, with
the files that carry findings ranked up, since advisors are usually asked about them."""

from __future__ import annotations

from workbench.analysis.context_reader import SourceFile
from workbench.analysis.findings import AnalysisReport

FINDING_BONUS = 0.5  # added per finding, in BM25 score units


def rank_files(question: str, files: list[SourceFile], report: AnalysisReport | None = None) -> list[SourceFile]:
    """`files` ordered by relevance to `question`, most relevant first."""
    if not files:
        return []
    import bm25s  # here, not at the top: it loads scipy, which `hrm-reason --help` need not

    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize([f"{f.relative} {f.text}" for f in files], show_progress=False), show_progress=False)
    ids, scores = retriever.retrieve(bm25s.tokenize([question], show_progress=False), k=len(files), show_progress=False)
    score = {int(i): float(s) for i, s in zip(ids[0], scores[0])}
    counts: dict[str, int] = {}
    for finding in report.findings if report else []:
        counts[finding.path] = counts.get(finding.path, 0) + 1
    order = sorted(range(len(files)),
                   key=lambda i: (-(score.get(i, 0.0) + FINDING_BONUS * counts.get(files[i].relative, 0)), files[i].relative))
    return [files[i] for i in order]


def excerpt(source: SourceFile, max_chars: int) -> str:
    """The start of a file, cut at a line end, labelled with its path."""
    text = source.text if len(source.text) <= max_chars else source.text[:max_chars].rsplit("\n", 1)[0] + "\n…"
    return f"--- {source.relative} ---\n{text}"
