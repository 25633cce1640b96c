"""Result formats: the one table of what policygraph can answer in, and everything known of each.

An entry gives a format's name (what the CLI and ``?format=`` take, and what the query workers
and the web process call it), its media type and aliases, the kinds of result it carries, its
W3C format IRI (https://www.w3.org/ns/formats/, for the service description), its pyoxigraph
serialiser and what the query workers need to bound and write it. Content negotiation
(``web.negotiation``), the service description and the query workers derive their lists from
this table; adding a format is adding a row.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import IO

from pyoxigraph import QueryBoolean, QueryResultsFormat, QuerySolutions, QueryTriples, RdfFormat

from policygraph.errors import UnsupportedFormatError
from policygraph.store import QueryResult

W3C_FORMATS = "http://www.w3.org/ns/formats/"


class ResultKind(enum.Enum):
    """What a query form returns; a format is negotiated per kind."""

    SOLUTIONS = "solutions"
    BOOLEAN = "boolean"
    GRAPH = "graph"


SOLUTIONS = frozenset({ResultKind.SOLUTIONS})
SOLUTIONS_AND_BOOLEAN = frozenset({ResultKind.SOLUTIONS, ResultKind.BOOLEAN})
GRAPH = frozenset({ResultKind.GRAPH})


@dataclass(frozen=True)
class ResultFormat:
    name: str
    media_type: str
    kinds: frozenset[ResultKind]
    """The kinds of result offered in this format (the first format of a kind is its default)."""
    iri: str
    """Its W3C format IRI."""
    parameter: str
    """The ``?format=`` value that links to a document in this format use (a URL: kept)."""
    aliases: tuple[str, ...] = ()
    """Other names and media types that select it (in ``?format=`` and ``Accept``)."""
    results: QueryResultsFormat | None = None
    """Set for formats of SELECT and ASK results."""
    rdf: RdfFormat | None = None
    """Set for formats of CONSTRUCT and DESCRIBE graphs."""
    min_row_bytes: int = 0
    """For solutions: the fewest bytes one row takes, so a body of n bytes holds at most n //
    that many rows (``{}`` and a comma in JSON, ``<result></result>`` in XML, an empty line)."""
    prefixed: bool = False
    """A graph is written with the project's prefixes (the format has a prefix syntax)."""
    quads: bool = False
    """The format writes a dataset: a graph result is given as quads in the default graph."""

    @property
    def label(self) -> str:
        """Its name for people ("Turtle", "JSON-LD"), as pyoxigraph gives it."""
        serialiser = self.results or self.rdf
        assert serialiser is not None
        return serialiser.name


RESULT_FORMATS: tuple[ResultFormat, ...] = (
    ResultFormat(
        "json",
        "application/sparql-results+json",
        SOLUTIONS_AND_BOOLEAN,
        W3C_FORMATS + "SPARQL_Results_JSON",
        "json",
        ("srj", "application/json", "text/json"),
        results=QueryResultsFormat.JSON,
        min_row_bytes=3,
    ),
    ResultFormat(
        "xml",
        "application/sparql-results+xml",
        SOLUTIONS_AND_BOOLEAN,
        W3C_FORMATS + "SPARQL_Results_XML",
        "xml",
        ("srx", "application/xml", "text/xml"),
        results=QueryResultsFormat.XML,
        min_row_bytes=17,
    ),
    ResultFormat(
        "csv",
        "text/csv",
        SOLUTIONS,
        W3C_FORMATS + "SPARQL_Results_CSV",
        "csv",
        results=QueryResultsFormat.CSV,
        min_row_bytes=2,
    ),
    ResultFormat(
        "tsv",
        "text/tab-separated-values",
        SOLUTIONS,
        W3C_FORMATS + "SPARQL_Results_TSV",
        "tsv",
        results=QueryResultsFormat.TSV,
        min_row_bytes=1,
    ),
    ResultFormat(
        "turtle",
        "text/turtle",
        GRAPH,
        W3C_FORMATS + "Turtle",
        "ttl",
        # Turtle is N3 too: a client asking for N3 can read it.
        ("ttl", "n3", "application/x-turtle", "application/turtle", "text/n3", "text/rdf+n3"),
        rdf=RdfFormat.TURTLE,
        prefixed=True,
    ),
    ResultFormat(
        "ntriples",
        "application/n-triples",
        GRAPH,
        W3C_FORMATS + "N-Triples",
        "nt",
        ("nt", "n-triples", "text/plain"),
        rdf=RdfFormat.N_TRIPLES,
    ),
    ResultFormat(
        "jsonld",
        "application/ld+json",
        GRAPH,
        W3C_FORMATS + "JSON-LD",
        "jsonld",
        # For graphs ``json`` and ``xml`` mean JSON-LD and RDF/XML, as SPARQLWrapper expects.
        ("json-ld", "json", "application/json"),
        rdf=RdfFormat.JSON_LD,
    ),
    ResultFormat(
        "rdfxml",
        "application/rdf+xml",
        GRAPH,
        W3C_FORMATS + "RDF_XML",
        "rdf",
        ("rdf", "rdf+xml", "xml", "application/xml", "text/xml"),
        rdf=RdfFormat.RDF_XML,
        prefixed=True,
    ),
    ResultFormat(
        "trig",
        "application/trig",
        GRAPH,
        W3C_FORMATS + "TriG",
        "trig",
        rdf=RdfFormat.TRIG,
        prefixed=True,
        quads=True,
    ),
    ResultFormat(
        "nquads",
        "application/n-quads",
        GRAPH,
        W3C_FORMATS + "N-Quads",
        "nq",
        ("nq", "n-quads"),
        rdf=RdfFormat.N_QUADS,
        quads=True,
    ),
)
BY_NAME = {f.name: f for f in RESULT_FORMATS}


def formats_for(kind: ResultKind) -> tuple[ResultFormat, ...]:
    """The formats of a kind of result, its default first."""
    return tuple(f for f in RESULT_FORMATS if kind in f.kinds)


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


__all__ = [
    "BY_NAME",
    "RESULT_FORMATS",
    "W3C_FORMATS",
    "ResultFormat",
    "ResultKind",
    "fits",
    "formats_for",
    "result_format",
    "write_result",
]
