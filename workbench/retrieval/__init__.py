"""Knowledge retrieval: the user's FAUST libraries and examples, JUCE headers, the project's
primers and the user's own project files, indexed for hybrid (BM25 + dense) search."""

from workbench.retrieval.citations import cite, format_passages
from workbench.retrieval.entries import Entry, Passage, estimate_tokens
from workbench.retrieval.knowledge_base import KnowledgeBase

__all__ = ["KnowledgeBase", "Passage", "Entry", "format_passages", "cite", "estimate_tokens"]
