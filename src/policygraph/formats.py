"""Result formats: one table of names, media types and pyoxigraph serialisers.

The CLI picks a format by name; the web layer negotiates a media type from the same table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from pyoxigraph import QueryBoolean, QueryResultsFormat, QuerySolutions, QueryTriples, RdfFormat

from policygraph.errors import UnsupportedFormatError
from policygraph.store import QueryResult


@dataclass(frozen=True)
class ResultFormat:
    name: str
    media_type: str
    results: QueryResultsFormat | None
    """Set for formats of SELECT and ASK results."""
    rdf: RdfFormat | None
    """Set for formats of CONSTRUCT and DESCRIBE graphs."""


RESULT_FORMATS: tuple[ResultFormat, ...] = (
    ResultFormat("json", "application/sparql-results+json", QueryResultsFormat.JSON, None),
    ResultFormat("xml", "application/sparql-results+xml", QueryResultsFormat.XML, None),
    ResultFormat("csv", "text/csv", QueryResultsFormat.CSV, None),
    ResultFormat("tsv", "text/tab-separated-values", QueryResultsFormat.TSV, None),
    ResultFormat("turtle", "text/turtle", None, RdfFormat.TURTLE),
    ResultFormat("ntriples", "application/n-triples", None, RdfFormat.N_TRIPLES),
    ResultFormat("jsonld", "application/ld+json", None, RdfFormat.JSON_LD),
    ResultFormat("rdfxml", "application/rdf+xml", None, RdfFormat.RDF_XML),
    ResultFormat("trig", "application/trig", None, RdfFormat.TRIG),
    ResultFormat("nquads", "application/n-quads", None, RdfFormat.N_QUADS),
)
BY_NAME = {f.name: f for f in RESULT_FORMATS}


def result_format(name: str) -> ResultFormat:
    try:
        return BY_NAME[name]
    except KeyError:
        raise UnsupportedFormatError(
            f"unknown result format {name!r}; use one of {', '.join(BY_NAME)}"
        ) from None


def fits(fmt: ResultFormat, result: QueryResult) -> bool:
    """Whether the format can carry this kind of result."""
    if isinstance(result, QueryTriples):
        return fmt.rdf is not None
    return fmt.results is not None


def write_result(result: QueryResult, fmt: ResultFormat, output: IO[bytes]) -> None:
    """Serialise a result into ``output`` as pyoxigraph produces it (streamed, not buffered)."""
    if not fits(fmt, result):
        kind = "a graph" if isinstance(result, QueryTriples) else "solutions"
        raise UnsupportedFormatError(f"the format {fmt.name} cannot carry {kind}")
    if isinstance(result, QueryTriples):
        assert fmt.rdf is not None
        result.serialize(output, format=fmt.rdf)
    elif isinstance(result, QuerySolutions | QueryBoolean):
        assert fmt.results is not None
        result.serialize(output, format=fmt.results)
