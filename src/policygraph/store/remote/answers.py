"""An engine's answers read as pyoxigraph's own result types, or as the error they mean.

SELECT and ASK answers are parsed by ``parse_query_results`` into ``QuerySolutions`` and
``QueryBoolean``; CONSTRUCT and DESCRIBE answers are parsed into a small in-memory store and
handed back as the ``QueryTriples`` of ``CONSTRUCT WHERE { ?s ?p ?o }``, so that the code above
the store cannot tell a remote answer from a local one.
"""

from __future__ import annotations

import requests
from pyoxigraph import (
    Literal,
    NamedNode,
    QueryResultsFormat,
    QuerySolution,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Store,
    parse_query_results,
)

from policygraph.errors import QuerySyntaxError, QueryTimeoutError, StoreError
from policygraph.httpclient import excerpt
from policygraph.store import QueryResult

RESULTS_ACCEPT = "application/sparql-results+json"
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9"
_GRAPH_FORMATS = {
    "application/n-triples": RdfFormat.N_TRIPLES,
    "text/plain": RdfFormat.N_TRIPLES,
    "text/turtle": RdfFormat.TURTLE,
}


def read_answer(response: requests.Response, endpoint: str) -> QueryResult:
    """Parse an engine's answer into pyoxigraph's result types, or raise what it means."""
    status = response.status_code
    if status == 400:
        raise QuerySyntaxError(f"{endpoint} refused the query: {excerpt(response)}")
    if status in {401, 403}:
        raise StoreError(f"{endpoint} refused access (HTTP {status})")
    if status != 200:
        raise StoreError(f"{endpoint} answered HTTP {status}: {excerpt(response)}")
    # Virtuoso stops a query at its time limit and sends what it found, flagged in headers.
    if "X-SQL-State" in response.headers:
        message = response.headers.get("X-SQL-Message", response.headers["X-SQL-State"])
        raise QueryTimeoutError(f"{endpoint} stopped the query early: {message}")
    media_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    try:
        if media_type in {"application/sparql-results+json", "application/json"}:
            return parse_query_results(response.content, format=QueryResultsFormat.JSON)
        if media_type == "application/sparql-results+xml":
            return parse_query_results(response.content, format=QueryResultsFormat.XML)
        rdf = _GRAPH_FORMATS.get(media_type)
        if rdf is not None:
            return _as_query_triples(response.content, rdf)
    except SyntaxError as exc:
        raise StoreError(f"{endpoint} sent a malformed {media_type} answer: {exc}") from exc
    raise StoreError(f"{endpoint} answered in an unexpected media type {media_type!r}")


def _as_query_triples(data: bytes, fmt: RdfFormat) -> QueryTriples:
    """Triples as pyoxigraph's own ``QueryTriples``: loaded into a store and constructed back."""
    store = Store()
    store.load(data, format=fmt)
    result = store.query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert isinstance(result, QueryTriples)
    return result


def single_count(result: QueryResult) -> int:
    """The ``?n`` of a ``SELECT (COUNT(*) AS ?n)`` answer."""
    if not isinstance(result, QuerySolutions):
        raise StoreError("a COUNT query did not answer with solutions")
    for solution in result:
        value = solution["n"]
        if value is not None:
            return int(value.value)
    return 0


def triples_of(result: QueryResult) -> QueryTriples:
    if not isinstance(result, QueryTriples):
        raise StoreError("a CONSTRUCT query did not answer with triples")
    return result


def iri_of(solution: QuerySolution, name: str) -> str | None:
    term = solution[name]
    return term.value if isinstance(term, NamedNode) else None


def text_of(solution: QuerySolution, name: str) -> str | None:
    term = solution[name]
    return term.value if isinstance(term, NamedNode | Literal) else None


__all__ = [
    "GRAPH_ACCEPT",
    "RESULTS_ACCEPT",
    "iri_of",
    "read_answer",
    "single_count",
    "text_of",
    "triples_of",
]
