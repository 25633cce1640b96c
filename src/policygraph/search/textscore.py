"""``pg:textScore(?resource, "text")``: full-text search inside SPARQL.

A custom function of pyoxigraph's evaluator: it gives the score (``xsd:double``) of
``?resource`` for the text, as ``/search`` ranks it, and no value when the resource does not
match, so that ``BIND(pg:textScore(?d, "waterstof") AS ?score) FILTER(BOUND(?score))`` keeps
the matches and ``ORDER BY DESC(?score)`` ranks them.

The function is called once per solution, so the text is searched once per version and text
and the scores of all its matches kept (a bounded number of texts, least recently used first
out). The index is opened when a query first calls the function, in the process evaluating it:
a query worker, never the fork server, which must stay without threads to fork safely.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import partial
from pathlib import Path

from pyoxigraph import Literal, NamedNode

from policygraph.errors import SearchUnavailableError
from policygraph.namespaces import PG
from policygraph.search.engine import SearchIndex, open_index
from policygraph.search.index import index_dir
from policygraph.store import GraphStore, QueryResult
from policygraph.store.local import LocalStore

TEXT_SCORE = PG.textScore
MAX_TEXTS = 64
MAX_TEXT_CHARS = 1000

Function = Callable[..., Literal | None]


class TextScores:
    """The ``pg:textScore`` function of one process, with its index and its cache."""

    def __init__(self, max_texts: int = MAX_TEXTS) -> None:
        self._max_texts = max_texts
        self._index: tuple[Path, SearchIndex | None] | None = None
        self._scores: OrderedDict[tuple[Path, str], dict[str, float]] = OrderedDict()
        self._lock = threading.Lock()

    def functions(self, version_dir: Path | None) -> dict[NamedNode, Function]:
        """The custom functions for a query on the version at ``version_dir``."""
        return {TEXT_SCORE: partial(self._score, version_dir)}

    def available(self, version_dir: Path | None) -> bool:
        """Whether the version at ``version_dir`` has an index to search."""
        return version_dir is not None and self._opened(version_dir) is not None

    def scores(self, version_dir: Path, text: str) -> dict[str, float]:
        """IRI → score of the resources matching ``text`` in that version (empty without an
        index)."""
        key = (version_dir, text[:MAX_TEXT_CHARS])
        with self._lock:
            if key in self._scores:
                self._scores.move_to_end(key)
                return self._scores[key]
        index = self._opened(version_dir)
        found = index.scores(key[1]) if index is not None else {}
        with self._lock:
            self._scores[key] = found
            while len(self._scores) > self._max_texts:
                self._scores.popitem(last=False)
        return found

    def _score(self, version_dir: Path | None, *arguments: object) -> Literal | None:
        if version_dir is None or len(arguments) != 2:
            return None
        resource, text = arguments
        if not isinstance(resource, NamedNode) or not isinstance(text, Literal):
            return None
        score = self.scores(version_dir, text.value).get(resource.value)
        return None if score is None else Literal(score)

    def _opened(self, version_dir: Path) -> SearchIndex | None:
        with self._lock:
            if self._index is not None and self._index[0] == version_dir:
                return self._index[1]
            try:
                index: SearchIndex | None = open_index(index_dir(version_dir))
            except SearchUnavailableError:
                index = None
            self._index = (version_dir, index)
            return index


_CALL = re.compile(r"textScore>?\s*\(")


def mentions_text_score(query: str) -> bool:
    """Whether a query may call ``pg:textScore`` (by its local name: a prefix may be any)."""
    return _CALL.search(query) is not None


def query_with_text_score(
    store: GraphStore, sparql: str, *, union_default_graph: bool = True
) -> QueryResult:
    """``store.query(sparql)`` with ``pg:textScore`` when the store is a local version (the
    command line's query); an engine elsewhere keeps no index and evaluates without it."""
    if not isinstance(store, LocalStore) or store.path is None:
        return store.query(sparql, union_default_graph=union_default_graph)
    text_scores = TextScores()
    if mentions_text_score(sparql) and not text_scores.available(store.path):
        raise unavailable()
    return store.query(
        sparql,
        union_default_graph=union_default_graph,
        custom_functions=text_scores.functions(store.path),
    )


def unavailable() -> SearchUnavailableError:
    return SearchUnavailableError(
        "this version has no search index, so pg:textScore cannot be evaluated: "
        "rebuild with policygraph build --force"
    )


__all__ = [
    "MAX_TEXTS",
    "TEXT_SCORE",
    "TextScores",
    "mentions_text_score",
    "query_with_text_score",
    "unavailable",
]
