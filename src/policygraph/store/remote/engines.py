"""The engines behind a remote store, and the store URL that names one.

A store is named by a URL, ``sparql+http://host:port/path`` (``sparql+https`` alike), whose
``http(s)://host:port/path`` is the query endpoint; several URLs separated by commas name
replicas of one engine (``replicas``). The engine is recognised by the ``Server`` header of its
first answer, or named with ``?engine=oxigraph|virtuoso|generic``; the engine
says where its update and Graph Store endpoints are (``?update=`` and ``?graph-store=`` override
them) and how the union of the named graphs is asked for.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qs, urljoin, urlsplit, urlunsplit

from policygraph.errors import StoreError

SCHEMES = {"sparql+http": "http", "sparql+https": "https"}


@dataclass(frozen=True)
class Engine:
    """What differs between engines behind the same protocols."""

    name: str
    update: str | None
    """The update endpoint, relative to the query endpoint; None: the query endpoint itself."""
    graph_store: str | None
    """The Graph Store Protocol endpoint, relative to the query endpoint; None: none."""
    union_parameter: str | None
    """A protocol parameter that makes the default graph the union of the named graphs."""
    explicit_dataset: bool
    """Name the dataset's graphs in every request (default-graph-uri, named-graph-uri)."""
    has_default_graph: bool
    """Whether the engine keeps a default graph apart from the named graphs."""
    dataset_pragmas: bool = False
    """Name our graphs with Virtuoso's ``define input:default-graph-uri`` (and ``named-…``)."""
    native_formats: frozenset[str] = frozenset({"json", "xml"})
    """The result formats (names of ``formats.py``) the engine writes as we do; the others are
    asked for in JSON or N-Triples and converted by the front end."""
    timeout_parameter: str | None = None
    """A protocol parameter that bounds the engine's own evaluation, in milliseconds."""
    max_update_triples: int | None = None
    """The most triples one update request may carry (None: no bound known)."""


ENGINES: dict[str, Engine] = {
    # Oxigraph's server: /query, /update, /store; union-default-graph is a query parameter.
    # It writes every format of ours itself (the same serializers as pyoxigraph's).
    "oxigraph": Engine(
        "oxigraph",
        "update",
        "store",
        "union-default-graph",
        False,
        True,
        native_formats=frozenset(
            {"json", "xml", "csv", "tsv", "turtle", "ntriples", "rdfxml", "trig", "nquads"}
        ),
    ),
    # Virtuoso: updates on /sparql itself, the Graph Store at /sparql-graph-crud; its default
    # graph is the union of every graph, its own system graphs included, so our graphs are named
    # in pragmas (not in protocol parameters: Virtuoso echoes each of those in a response
    # header, and clients refuse answers with more than 100 headers).
    # Its own ``timeout`` parameter (ms) stops a query at the deadline on the engine itself.
    "virtuoso": Engine(
        "virtuoso",
        None,
        "sparql-graph-crud",
        None,
        False,
        False,
        True,
        native_formats=frozenset({"json", "xml", "turtle", "ntriples"}),
        timeout_parameter="timeout",
        # Its SPARQL compiler runs out of memory at about 5,000 triples of INSERT DATA.
        max_update_triples=4_000,
    ),
    # Anything else speaking SPARQL 1.1: name the dataset, update through SPARQL Update.
    "generic": Engine("generic", None, None, None, True, True),
}


@dataclass(frozen=True)
class Endpoints:
    query: str
    update: str
    graph_store: str | None
    engine: Engine


def is_store_url(value: str) -> bool:
    return value.strip().split("://", 1)[0] in SCHEMES


def store_urls(value: str) -> list[str]:
    """The engine replicas a store URL setting names: one URL, or several separated by commas
    (replicas holding the same data)."""
    return [url.strip() for url in value.split(",") if url.strip()]


def parse_store_url(url: str, engine: str | None = None) -> tuple[str, dict[str, str]]:
    """The query endpoint and the options of a ``sparql+http(s)://`` store URL."""
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES or not parts.hostname:
        raise StoreError(f"not a remote store URL (sparql+http://host:port/path): {url!r}")
    options = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    unknown = set(options) - {"engine", "update", "graph-store"}
    if unknown:
        raise StoreError(f"unknown option(s) {sorted(unknown)} in the store URL {url!r}")
    if engine is not None:
        options["engine"] = engine
    if options.get("engine", "oxigraph") not in ENGINES:
        raise StoreError(f"unknown engine {options['engine']!r}: one of {sorted(ENGINES)}")
    query = urlunsplit((SCHEMES[parts.scheme], parts.netloc, parts.path or "/", "", ""))
    return query, options


def endpoints_for(query: str, options: Mapping[str, str], engine: Engine) -> Endpoints:
    update = urljoin(query, options["update"]) if "update" in options else None
    store = urljoin(query, options["graph-store"]) if "graph-store" in options else None
    return Endpoints(
        query=query,
        update=update or (urljoin(query, engine.update) if engine.update else query),
        graph_store=store or (urljoin(query, engine.graph_store) if engine.graph_store else None),
        engine=engine,
    )


def recognise(server_header: str) -> Engine:
    """The engine that names itself in a ``Server`` header."""
    lowered = server_header.lower()
    if lowered.startswith("oxigraph"):
        return ENGINES["oxigraph"]
    if lowered.startswith("virtuoso"):
        return ENGINES["virtuoso"]
    return ENGINES["generic"]


__all__ = [
    "ENGINES",
    "Endpoints",
    "Engine",
    "endpoints_for",
    "is_store_url",
    "parse_store_url",
    "recognise",
    "store_urls",
]
