"""Full-text search over a published version: sections, claims, decisions, organisations and
campaigns, in Dutch (``analyzer.py``), ranked with BM25 (tantivy).

The index is built at publish time inside the version directory (``index_dir``), so it switches
with the store; ``open_index`` opens it read-only and ``SearchIndex.search`` answers a
``SearchRequest`` with a ``SearchPage``.
"""

from __future__ import annotations

from policygraph.search.analyzer import analyze
from policygraph.search.documents import TYPES
from policygraph.search.engine import SearchIndex, open_index, open_published
from policygraph.search.index import ensure_index, index_dir, index_store
from policygraph.search.query import FacetCount, Hit, SearchPage, SearchRequest

__all__ = [
    "TYPES",
    "FacetCount",
    "Hit",
    "SearchIndex",
    "SearchPage",
    "SearchRequest",
    "analyze",
    "ensure_index",
    "index_dir",
    "index_store",
    "open_index",
    "open_published",
]
