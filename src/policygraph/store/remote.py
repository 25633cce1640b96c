"""A remote store: the GraphStore protocol over the SPARQL 1.1 Protocol and Graph Store Protocol.

``RemoteStore`` sends queries to an external engine (Oxigraph's server, Virtuoso, or any SPARQL
1.1 endpoint) through one pooled ``requests`` session with timeouts and retries, and returns
pyoxigraph's own result types, so the code above the protocol cannot tell it from a
``LocalStore``: SELECT and ASK answers are parsed by ``parse_query_results`` into
``QuerySolutions`` and ``QueryBoolean``; CONSTRUCT and DESCRIBE answers are parsed into a small
in-memory store and handed back as the ``QueryTriples`` of ``CONSTRUCT WHERE { ?s ?p ?o }``.

A store is named by a URL, ``sparql+http://host:port/path`` (``sparql+https`` alike), whose
``http(s)://host:port/path`` is the query endpoint. The engine is recognised by the ``Server``
header of its first answer, or named with ``?engine=oxigraph|virtuoso|generic``; the engine
says where its update and Graph Store endpoints are (``?update=`` and ``?graph-store=`` override
them) and how the union of the named graphs is asked for (see ``ENGINES``).

The version is the dataset's own ``pg:version`` (the build writes it in its build graph), read
at most every ``version_ttl`` seconds; a dataset without one is versioned by a hash of its graph
names and sizes. docs/external-engines.md describes the engines and their quirks.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import islice
from urllib.parse import parse_qs, urljoin, urlsplit, urlunsplit

import requests
from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QueryResultsFormat,
    QuerySolution,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Store,
    Triple,
    Variable,
    parse_query_results,
    serialize,
)

from policygraph.errors import (
    QueryError,
    QueryRefusedError,
    QuerySyntaxError,
    QueryTimeoutError,
    StoreError,
)
from policygraph.httpclient import HttpClient, excerpt, user_agent
from policygraph.namespaces import PREFIXES
from policygraph.sparql.binding import (
    QUERY_FORMS,
    has_dataset_clause,
    query_form,
    with_bindings,
)
from policygraph.store import Binding, GraphName, QueryResult

SCHEMES = {"sparql+http": "http", "sparql+https": "https"}
RESULTS_ACCEPT = "application/sparql-results+json"
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9"
_GRAPH_FORMATS = {
    "application/n-triples": RdfFormat.N_TRIPLES,
    "text/plain": RdfFormat.N_TRIPLES,
    "text/turtle": RdfFormat.TURTLE,
}
# Retried: what a busy or restarting engine answers. A 500 is an answer about the query.
RETRY_STATUSES = frozenset({429, 502, 503, 504})
EMPTY_GRAPH = "urn:x-policygraph:empty-default-graph"
"""A graph that is never written: named as the default graph when a query must not see the union
on engines that have no empty default graph of their own (Virtuoso)."""
LOAD_CHUNK = 50_000
"""Triples sent in one Graph Store request; larger graphs are sent as a PUT and then POSTs."""


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
    exclusion_pragmas: bool = False
    """Leave the graphs that are not ours out with Virtuoso's ``define input:…-exclude``."""


ENGINES: dict[str, Engine] = {
    # Oxigraph's server: /query, /update, /store; union-default-graph is a query parameter.
    "oxigraph": Engine("oxigraph", "update", "store", "union-default-graph", False, True),
    # Virtuoso: updates on /sparql itself, the Graph Store at /sparql-graph-crud; its default
    # graph is the union of every graph, its own system graphs included, which are excluded by
    # pragmas (naming our graphs instead would work, but Virtuoso echoes each one named in a
    # response header, and clients refuse answers with more than 100 headers).
    "virtuoso": Engine("virtuoso", None, "sparql-graph-crud", None, False, False, True),
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
    return value.split("://", 1)[0] in SCHEMES


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


class RemoteStore:
    """One external SPARQL engine, read (and written) over HTTP."""

    def __init__(
        self,
        endpoints: Endpoints,
        http: HttpClient,
        *,
        graph_prefix: str | None = None,
        version_ttl: float = 2.0,
    ) -> None:
        self.endpoints = endpoints
        self.http = http
        self.graph_prefix = graph_prefix
        self.version_ttl = version_ttl
        self._lock = threading.Lock()
        self._checked = float("-inf")
        self._version = ""
        self._graphs: tuple[str, ...] = ()
        self._foreign: tuple[str, ...] = ()

    @classmethod
    def open(
        cls,
        url: str,
        *,
        timeout: float = 30.0,
        retries: int = 2,
        pool_size: int = 8,
        graph_prefix: str | None = None,
        project_url: str = "https://data.policygraph.be",
        version_ttl: float = 2.0,
        engine: str | None = None,
    ) -> RemoteStore:
        """Connect to the store at ``url``; the first request recognises the engine."""
        query, options = parse_store_url(url, engine)
        http = HttpClient(
            user_agent=user_agent(project_url),
            timeout=timeout,
            retries=retries,
            backoff=0.2,
            pool_size=pool_size,
            error=StoreError,
            timeout_error=QueryTimeoutError,
            retry_statuses=RETRY_STATUSES,
        )
        if "engine" in options:
            chosen = ENGINES[options["engine"]]
        else:
            probe = http.request(
                "GET", query, params={"query": "ASK {}"}, headers={"Accept": RESULTS_ACCEPT}
            )
            probe.close()
            if probe.status_code != 200:
                http.close()
                raise StoreError(f"{query} is not a SPARQL endpoint (HTTP {probe.status_code})")
            chosen = recognise(probe.headers.get("Server", ""))
        return cls(
            endpoints_for(query, options, chosen),
            http,
            graph_prefix=graph_prefix,
            version_ttl=version_ttl,
        )

    @staticmethod
    def content_version(quads: Iterable[Quad], graph_prefix: str | None = None) -> str:
        """The version a RemoteStore reports for ``quads`` when they record no ``pg:version``."""
        sizes: dict[str, int] = {}
        for quad in set(quads):
            name = quad.graph_name
            if isinstance(name, NamedNode) and (
                graph_prefix is None or name.value.startswith(graph_prefix)
            ):
                sizes[name.value] = sizes.get(name.value, 0) + 1
        return _sizes_version(dict(sorted(sizes.items())))

    @property
    def engine(self) -> str:
        return self.endpoints.engine.name

    # -- reading ------------------------------------------------------------------------------

    @property
    def version(self) -> str:
        self._refresh()
        return self._version

    def query(
        self,
        sparql: str,
        *,
        substitutions: Mapping[Variable, Binding] | None = None,
        default_graph: list[GraphName] | None = None,
        named_graphs: list[NamedNode | BlankNode] | None = None,
        union_default_graph: bool = True,
        base_iri: str | None = None,
    ) -> QueryResult:
        form = query_form(sparql)
        if form not in QUERY_FORMS:
            if form in {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE"}:
                raise QueryRefusedError("a query cannot be an update")
            raise QuerySyntaxError("not a SPARQL query: no SELECT, CONSTRUCT, ASK or DESCRIBE")
        text = with_bindings(sparql, substitutions) if substitutions else sparql
        if base_iri is not None:
            text = f"BASE <{NamedNode(base_iri).value}>\n{text}"
        pragmas, dataset = self._dataset(text, default_graph, named_graphs, union_default_graph)
        text = pragmas + text
        accept = RESULTS_ACCEPT if form in {"SELECT", "ASK"} else GRAPH_ACCEPT
        response = self.http.request(
            "POST",
            self.endpoints.query,
            data=[("query", text), *dataset],
            headers={"Accept": accept},
        )
        return _result(response, self.endpoints.query)

    def quads(self, graph: GraphName | None = None) -> Iterator[Quad]:
        """Every quad of the dataset's named graphs, or of one graph, read graph by graph."""
        if isinstance(graph, DefaultGraph):
            yield from self._default_graph_quads()
            return
        names = [graph] if graph is not None else list(self.named_graphs())
        for name in names:
            if not isinstance(name, NamedNode):
                raise StoreError("a remote store has no blank-node graph names")
            triples = self._graph_triples(name)
            yield from (Quad(t.subject, t.predicate, t.object, name) for t in triples)

    def named_graphs(self) -> Iterator[NamedNode | BlankNode]:
        self._refresh()
        return iter([NamedNode(g) for g in self._graphs])

    def __len__(self) -> int:
        result = self.query(
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", union_default_graph=False
        )
        return _single_count(result)

    def close(self) -> None:
        self.http.close()

    # -- writing (the Graph Store Protocol, else SPARQL Update) -------------------------------

    def put_graph(self, graph: NamedNode, triples: Iterable[Triple]) -> None:
        """Replace ``graph`` with ``triples`` (sent in chunks of ``LOAD_CHUNK``)."""
        chunks = _chunks(triples, LOAD_CHUNK)
        first = next(chunks, [])
        self._send_graph("PUT", graph, first)
        for chunk in chunks:
            self._send_graph("POST", graph, chunk)
        self.invalidate()

    def delete_graph(self, graph: NamedNode) -> None:
        """Drop ``graph``; a graph that is not there is no error."""
        if self.endpoints.graph_store is None:
            self.update("DROP SILENT GRAPH " + str(graph))
            return
        response = self.http.request(
            "DELETE", self.endpoints.graph_store, params={"graph": graph.value}
        )
        response.close()
        if response.status_code not in {200, 204, 404}:
            raise StoreError(f"cannot drop {graph.value}: HTTP {response.status_code}")
        self.invalidate()

    def replace_dataset(self, quads: Iterable[Quad]) -> None:
        """Make the dataset's graphs (under ``graph_prefix``) exactly those of ``quads``.

        Graph by graph: each PUT replaces one graph; graphs that are no longer there are dropped
        last. Readers may see a mix of old and new graphs while it runs; the version changes
        when the graph that carries ``pg:version`` is written, which is why callers pass it last.
        """
        by_graph: dict[NamedNode, list[Triple]] = {}
        for quad in quads:
            if not isinstance(quad.graph_name, NamedNode):
                raise StoreError("a remote dataset is written as named graphs only")
            by_graph.setdefault(quad.graph_name, []).append(quad.triple)
        before = set(self._list_graphs())
        for name, triples in by_graph.items():
            self.put_graph(name, triples)
        for stale in sorted(before - {g.value for g in by_graph}):
            self.delete_graph(NamedNode(stale))
        self.invalidate()

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update (only the store's writers call this; the web layer never does)."""
        response = self.http.request("POST", self.endpoints.update, data=[("update", sparql)])
        response.close()
        if response.status_code >= 400:
            raise StoreError(
                f"update refused by {self.endpoints.update}: HTTP {response.status_code}"
            )
        self.invalidate()

    def invalidate(self) -> None:
        """Forget the cached version and graph list: the next reader asks the engine again."""
        with self._lock:
            self._checked = float("-inf")

    # -- internals ----------------------------------------------------------------------------

    def _send_graph(self, method: str, graph: NamedNode, triples: list[Triple]) -> None:
        body = serialize(triples, format=RdfFormat.N_TRIPLES) or b""
        if self.endpoints.graph_store is None:
            if method == "PUT":
                self.update("DROP SILENT GRAPH " + str(graph))
            self.update(f"INSERT DATA {{ GRAPH {graph} {{\n{body.decode('utf-8')}\n}} }}")
            return
        response = self.http.request(
            method,
            self.endpoints.graph_store,
            params={"graph": graph.value},
            data=body,
            headers={"Content-Type": "application/n-triples"},
        )
        response.close()
        if response.status_code not in {200, 201, 204}:
            raise StoreError(
                f"cannot write {graph.value} to {self.endpoints.graph_store}: "
                f"HTTP {response.status_code} {excerpt(response)}"
            )

    def _refresh(self) -> None:
        with self._lock:
            if time.monotonic() - self._checked < self.version_ttl:
                return
        sizes, foreign = self._graph_sizes()
        version = self._read_version(sizes)
        with self._lock:
            self._graphs, self._foreign, self._version = tuple(sizes), tuple(foreign), version
            self._checked = time.monotonic()

    def _graph_sizes(self) -> tuple[dict[str, int], list[str]]:
        """Our named graphs (under ``graph_prefix``) with their sizes, and the others' names."""
        # Not SELECT DISTINCT ?g, nor GRAPH ?g {}: Virtuoso 7.2 hangs on the first and answers
        # the second with no graph at all. Grouping works on every engine tried.
        result = self._raw_select(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        )
        sizes, foreign = {}, []
        for solution in result:
            name, size = _iri_of(solution, "g"), _text_of(solution, "n")
            if name is None or size is None:
                continue
            if self.graph_prefix is None or name.startswith(self.graph_prefix):
                sizes[name] = int(size)
            else:
                foreign.append(name)
        return dict(sorted(sizes.items())), sorted(foreign)

    def _list_graphs(self) -> list[str]:
        return list(self._graph_sizes()[0])

    def _read_version(self, sizes: Mapping[str, int]) -> str:
        text = f"SELECT DISTINCT ?v WHERE {{ GRAPH ?g {{ ?x <{PREFIXES['pg']}version> ?v }} }}"
        versions = sorted(v for s in self._raw_select(text) if (v := _text_of(s, "v")) is not None)
        if len(versions) == 1:
            return versions[0]
        return _sizes_version(sizes)

    def _raw_select(self, text: str) -> QuerySolutions:
        """A SELECT on the engine's whole dataset, as the engine defines it (no dataset named)."""
        response = self.http.request(
            "POST", self.endpoints.query, data=[("query", text)], headers={"Accept": RESULTS_ACCEPT}
        )
        result = _result(response, self.endpoints.query)
        if not isinstance(result, QuerySolutions):
            raise StoreError("the engine answered a SELECT with something else")
        return result

    def _dataset(
        self,
        text: str,
        default_graph: list[GraphName] | None,
        named_graphs: list[NamedNode | BlankNode] | None,
        union: bool,
    ) -> tuple[str, list[tuple[str, str]]]:
        """Pragmas to put before the query, and the protocol's dataset parameters.

        None of either when the query names its own dataset (FROM, FROM NAMED).
        """
        if has_dataset_clause(text):
            return "", []
        engine = self.endpoints.engine
        params: list[tuple[str, str]] = []
        ours: tuple[str, ...] | None = None
        pragmas = ""
        if engine.explicit_dataset or engine.exclusion_pragmas:
            self._refresh()
        if engine.explicit_dataset:
            ours = self._graphs or (EMPTY_GRAPH,)
        if engine.exclusion_pragmas:
            pragmas = "".join(
                f"define input:{kind}-graph-exclude {NamedNode(g)}\n"
                for g in self._foreign
                for kind in ("default", "named")
            )
        if default_graph is not None:
            names = [g for g in default_graph if not isinstance(g, DefaultGraph)]
            if len(names) < len(default_graph):  # the engine's own default graph is asked for
                if names:
                    raise QueryError(
                        "a remote default graph cannot mix the default and named graphs"
                    )
                if not engine.has_default_graph:
                    params.append(("default-graph-uri", EMPTY_GRAPH))
            else:
                params += [("default-graph-uri", _graph_iri(g)) for g in names] or [
                    ("default-graph-uri", EMPTY_GRAPH)
                ]
        elif union:
            if engine.union_parameter is not None and named_graphs is None:
                params.append((engine.union_parameter, "true"))
            elif ours is not None:
                params += [("default-graph-uri", g) for g in ours]
            elif engine.union_parameter is not None:
                # Oxigraph refuses its union parameter beside named-graph-uri: name the union.
                self._refresh()
                params += [("default-graph-uri", g) for g in self._graphs or (EMPTY_GRAPH,)]
        elif not engine.has_default_graph:
            params.append(("default-graph-uri", EMPTY_GRAPH))
        if named_graphs is not None:
            params += [("named-graph-uri", _graph_iri(g)) for g in named_graphs]
        elif ours is not None:
            params += [("named-graph-uri", g) for g in ours]
        return pragmas, params

    def _graph_triples(self, graph: NamedNode) -> list[Triple]:
        result = self.query(
            "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }",
            substitutions={Variable("g"): graph},
            named_graphs=[graph],
        )
        if not isinstance(result, QueryTriples):
            raise StoreError("a CONSTRUCT query did not answer with triples")
        triples = list(result)
        expected = _single_count(
            self.query(
                "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                substitutions={Variable("g"): graph},
                named_graphs=[graph],
            )
        )
        if len(triples) != expected:
            raise StoreError(
                f"{self.endpoints.query} sent {len(triples)} of the {expected} triples of "
                f"{graph.value}: raise the engine's result limit (Virtuoso: ResultSetMaxRows)"
            )
        return triples

    def _default_graph_quads(self) -> Iterator[Quad]:
        if not self.endpoints.engine.has_default_graph:
            return  # Virtuoso's default graph is the union of all: it has none of its own
        result = self.query("CONSTRUCT WHERE { ?s ?p ?o }", union_default_graph=False)
        if not isinstance(result, QueryTriples):
            raise StoreError("a CONSTRUCT query did not answer with triples")
        for triple in result:
            yield Quad(triple.subject, triple.predicate, triple.object, DefaultGraph())


def _sizes_version(sizes: Mapping[str, int]) -> str:
    """No (or no single) recorded version: the content is named by its graphs and their sizes."""
    lines = "\n".join(f"{name} {size}" for name, size in sizes.items())
    return "graphs-" + hashlib.sha256(lines.encode()).hexdigest()[:16]


def _iri_of(solution: QuerySolution, name: str) -> str | None:
    term = solution[name]
    return term.value if isinstance(term, NamedNode) else None


def _text_of(solution: QuerySolution, name: str) -> str | None:
    term = solution[name]
    return term.value if isinstance(term, NamedNode | Literal) else None


def _graph_iri(graph: GraphName) -> str:
    if isinstance(graph, NamedNode):
        return graph.value
    raise QueryError("blank-node graph names cannot be sent to a remote store")


def _chunks(triples: Iterable[Triple], size: int) -> Iterator[list[Triple]]:
    iterator = iter(triples)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _single_count(result: QueryResult) -> int:
    if not isinstance(result, QuerySolutions):
        raise StoreError("a COUNT query did not answer with solutions")
    for solution in result:
        value = solution["n"]
        if value is not None:
            return int(value.value)
    return 0


def _result(response: requests.Response, endpoint: str) -> QueryResult:
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


__all__ = [
    "ENGINES",
    "Endpoints",
    "Engine",
    "RemoteStore",
    "is_store_url",
    "parse_store_url",
    "recognise",
]
