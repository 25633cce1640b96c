"""Memoised SPARQL parsing for rdflib while pySHACL validates.

pySHACL hands rdflib the text of a SPARQL-based constraint afresh for every focus node, with the
focus node as an initial binding, and rdflib's pure-Python parser then takes longer than the
evaluation itself (tens of milliseconds, times thousands of decisions and claims). The text is
the same every time, so its parse can be kept: ``cached_sparql_parsing`` swaps rdflib's SPARQL
processor for one that parses each distinct text once, and puts the original back after.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from rdflib import plugin
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.evaluate import evalQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.processor import SPARQLProcessor
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Processor
from rdflib.term import Identifier

PLUGIN = ("sparql", Processor)


@lru_cache(maxsize=256)
def _translated(text: str, base: str | None, namespaces: tuple[tuple[str, Any], ...]) -> Query:
    return translateQuery(parseQuery(text), base, dict(namespaces))


class CachingSPARQLProcessor(SPARQLProcessor):
    def query(  # type: ignore[override]
        self,
        strOrQuery: str | Query,  # noqa: N803 -- rdflib's own parameter names
        initBindings: Mapping[str, Identifier] | None = None,  # noqa: N803
        initNs: Mapping[str, Any] | None = None,  # noqa: N803
        base: str | None = None,
        DEBUG: bool = False,  # noqa: N803
    ) -> Mapping[str, Any]:
        prepared = (
            _translated(strOrQuery, base, tuple(sorted((initNs or {}).items())))
            if isinstance(strOrQuery, str)
            else strOrQuery
        )
        return evalQuery(self.graph, prepared, initBindings or {}, base)


@contextmanager
def cached_sparql_parsing() -> Iterator[None]:
    original = plugin._plugins[PLUGIN]  # rdflib has no public way to read a registration back
    plugin.register(*PLUGIN, __name__, CachingSPARQLProcessor.__name__)
    try:
        yield
    finally:
        plugin._plugins[PLUGIN] = original
