"""Reading and writing RDF files, and moving terms between pyoxigraph and rdflib.

pyoxigraph parses and serialises every syntax we accept; rdflib is needed only because pySHACL
validates rdflib graphs, so the conversion lives here, in one place.
"""

from __future__ import annotations

import gzip
import logging
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from xml.parsers import expat

import rdflib
from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    RdfFormat,
    Triple,
    parse,
)

from policygraph.errors import RDFSyntaxError, SourceError, UnsupportedFormatError

# Extensions we read; the format is never guessed from content.
FORMATS_BY_EXTENSION: dict[str, RdfFormat] = {
    ".ttl": RdfFormat.TURTLE,
    ".nt": RdfFormat.N_TRIPLES,
    ".nq": RdfFormat.N_QUADS,
    ".trig": RdfFormat.TRIG,
    ".jsonld": RdfFormat.JSON_LD,
    ".json": RdfFormat.JSON_LD,
    ".rdf": RdfFormat.RDF_XML,
    ".owl": RdfFormat.RDF_XML,
    ".xml": RdfFormat.RDF_XML,
}


def format_for(path: Path) -> RdfFormat:
    suffix = path.suffix.lower()
    if suffix == ".gz":
        suffix = Path(path.stem).suffix.lower()
    try:
        return FORMATS_BY_EXTENSION[suffix]
    except KeyError:
        known = ", ".join(sorted(FORMATS_BY_EXTENSION))
        raise UnsupportedFormatError(
            f"{path}: cannot tell the RDF syntax from the extension {suffix or '(none)'!r}; "
            f"use one of {known}"
        ) from None


def read_quads(
    path: Path, *, base_iri: str | None = None, max_bytes: int | None = None
) -> list[Quad]:
    """Every quad of an RDF file; triples of a triple syntax land in the default graph.

    With ``max_bytes``, a file (or a gzip file's content, counted as it is decompressed) larger
    than that is refused with ``SourceError`` before it is parsed.
    """
    fmt = format_for(path)
    data = _read_bounded(path, max_bytes)
    if fmt == RdfFormat.RDF_XML:
        _refuse_entity_bombs(data, path)
    try:
        return list(parse(data, format=fmt, base_iri=base_iri))
    except SyntaxError as exc:
        raise RDFSyntaxError(f"{path}: {exc}") from exc


def _read_bounded(path: Path, max_bytes: int | None) -> bytes:
    limit = -1 if max_bytes is None else max_bytes + 1  # one byte more tells "too large"
    try:
        if path.suffix.lower() == ".gz":
            with gzip.open(path, "rb") as unpacked:
                data = unpacked.read(limit)
        else:
            with path.open("rb") as file:
                data = file.read(limit)
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise SourceError(f"{path}: not a readable gzip file: {exc}") from exc
    except OSError as exc:
        raise SourceError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if max_bytes is not None and len(data) > max_bytes:
        raise SourceError(f"{path}: larger than {max_bytes} bytes (max_input_bytes)")
    return data


def _refuse_entity_bombs(data: bytes, path: Path) -> None:
    """Refuse XML whose entities expand out of all proportion (the "billion laughs").

    pyoxigraph's RDF/XML parser expands entity declarations without a bound: a 1 KB file asks
    for gigabytes. Expat (2.4 and later) stops such a document at its amplification limit, in
    a streaming pass that builds nothing, so the file goes through it first. Declarations of
    ordinary size, as ontology editors write them for namespaces, pass; external entities are
    never fetched (expat has no handler to load them).
    """
    parser = expat.ParserCreate()
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise RDFSyntaxError(f"{path}: not well-formed XML: {exc}") from exc


def to_rdflib(term: NamedNode | BlankNode | Literal | Triple | DefaultGraph) -> rdflib.term.Node:
    if isinstance(term, NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
    raise TypeError(f"no rdflib term for {term!r}")


def from_rdflib(term: rdflib.term.Node) -> NamedNode | BlankNode | Literal:
    if isinstance(term, rdflib.URIRef):
        return NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return BlankNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return Literal(str(term), language=term.language)
        if term.datatype is not None:
            return Literal(str(term), datatype=NamedNode(str(term.datatype)))
        return Literal(str(term))
    raise TypeError(f"no pyoxigraph term for {term!r}")


class _IllTypedLiterals(logging.Filter):
    """rdflib logs a warning with a traceback for every literal whose lexical form its datatype
    does not allow; SHACL reports each one (``sh:datatype``) in a line of its own, so the
    tracebacks only bury that line."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Failed to convert Literal lexical form")


@contextmanager
def _quiet_ill_typed_literals() -> Iterator[None]:
    logger, quiet = logging.getLogger("rdflib.term"), _IllTypedLiterals()
    logger.addFilter(quiet)
    try:
        yield
    finally:
        logger.removeFilter(quiet)


def rdflib_graph(triples: Iterable[Triple | Quad]) -> rdflib.Graph:
    """An rdflib graph of the triples (graph names dropped: SHACL validates one data graph)."""
    with _quiet_ill_typed_literals():
        return _rdflib_graph(triples)


def _rdflib_graph(triples: Iterable[Triple | Quad]) -> rdflib.Graph:
    graph = rdflib.Graph()
    # Terms repeat a lot (predicates, classes); converting each once saves most of the time.
    cache: dict[object, rdflib.term.Node] = {}

    def convert(term: NamedNode | BlankNode | Literal | Triple | DefaultGraph) -> rdflib.term.Node:
        node = cache.get(term)
        if node is None:
            node = cache[term] = to_rdflib(term)
        return node

    add = graph.add
    for t in triples:
        add((convert(t.subject), convert(t.predicate), convert(t.object)))
    return graph
