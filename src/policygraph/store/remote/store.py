"""``RemoteStore``: one external SPARQL engine, read and written over HTTP.

Reading goes through the query endpoint (``protocol``), with the dataset named as the engine
understands it (``dataset``) and the answers read as pyoxigraph's types (``answers``); writing
goes through the Graph Store Protocol or SPARQL Update (``graph_store``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence

from pyoxigraph import BlankNode, DefaultGraph, NamedNode, Quad, Triple, Variable

from policygraph.errors import StoreError
from policygraph.httpclient import HttpClient
from policygraph.store import Binding, GraphName, QueryResult
from policygraph.store.remote.answers import single_count, triples_of
from policygraph.store.remote.binding import query_text
from policygraph.store.remote.catalogue import GraphCatalogue, content_version
from policygraph.store.remote.dataset import Parameters, dataset_for
from policygraph.store.remote.engines import (
    ENGINES,
    Endpoints,
    Engine,
    endpoints_for,
    parse_store_url,
    store_urls,
)
from policygraph.store.remote.graph_store import GraphWriter
from policygraph.store.remote.protocol import QueryClient, engine_client, probe, sniff_engine
from policygraph.store.remote.replicas import HEALTH_INTERVAL, Replica, Replicas
from policygraph.store.remote.switch import Graphs, by_graph, switch_update, touched_graphs

log = logging.getLogger(__name__)

_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


class RemoteStore:
    """One external SPARQL engine: a ``GraphStore`` and a ``WritableStore``."""

    label = "remote engine"

    def __init__(
        self,
        endpoints: Endpoints | Sequence[Endpoints],
        http: HttpClient,
        *,
        graph_prefix: str | None = None,
        version_ttl: float = 2.0,
        health_interval: float = HEALTH_INTERVAL,
    ) -> None:
        replicas = [endpoints] if isinstance(endpoints, Endpoints) else list(endpoints)
        self.endpoints = replicas[0]
        self.http = http
        self.replicas = Replicas(replicas, probe(http, health_interval), interval=health_interval)
        self._client = QueryClient(self.replicas, http)
        self._catalogue = GraphCatalogue(self._client.select_all, graph_prefix, version_ttl)
        # Every replica gets every write: they hold the same data.
        self._writers = [GraphWriter(e, http, self._catalogue.invalidate) for e in replicas]

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
        """Connect to the store at ``url`` (one URL, or replicas separated by commas); the first
        request recognises the engine, which every replica must share."""
        parsed = [parse_store_url(one, engine) for one in store_urls(url)]
        if not parsed:
            raise StoreError(f"no store URL in {url!r}")
        http = engine_client(
            timeout=timeout, retries=retries, pool_size=pool_size, project_url=project_url
        )
        try:
            chosen = _engine_of(http, parsed)
        except BaseException:
            http.close()
            raise
        return cls(
            [endpoints_for(query, options, chosen) for query, options in parsed],
            http,
            graph_prefix=graph_prefix,
            version_ttl=version_ttl,
        )

    @staticmethod
    def content_version(quads: Iterable[Quad], graph_prefix: str | None = None) -> str:
        """The version a RemoteStore reports for ``quads`` when they record no ``pg:version``."""
        return content_version(quads, graph_prefix)

    @property
    def engine(self) -> str:
        return self.endpoints.engine.name

    @property
    def graph_prefix(self) -> str | None:
        return self._catalogue.graph_prefix

    # -- reading ------------------------------------------------------------------------------

    @property
    def version(self) -> str:
        return self._catalogue.version()

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
        form, text = query_text(sparql, substitutions, base_iri)
        pragmas, dataset = dataset_for(
            self.endpoints.engine,
            text,
            self._catalogue.current,
            default_graph=default_graph,
            named_graphs=named_graphs,
            union=union_default_graph,
        )
        return self._client.query(pragmas + text, form, dataset)

    def dataset(
        self,
        text: str,
        *,
        default_graph: list[GraphName] | None,
        named_graphs: list[NamedNode | BlankNode] | None,
        union: bool,
        names_its_dataset: bool | None = None,
    ) -> tuple[str, Parameters]:
        """The pragmas to put before ``text`` and the protocol's dataset parameters for it (what
        ``query`` sends; the endpoint's forwarder sends queries itself, and says whether the
        text has FROM or FROM NAMED when it has read that already)."""
        return dataset_for(
            self.endpoints.engine,
            text,
            self._catalogue.current,
            default_graph=default_graph,
            named_graphs=named_graphs,
            union=union,
            names_its_dataset=names_its_dataset,
        )

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
        return iter([NamedNode(g) for g in self._catalogue.current().graphs])

    def __len__(self) -> int:
        return single_count(self.query(_COUNT, union_default_graph=False))

    def close(self) -> None:
        self.replicas.close()
        self.http.close()

    # -- writing ------------------------------------------------------------------------------

    def holds(self, version: str) -> bool:
        try:
            return self.version == version
        except StoreError:  # unreachable, or holding no version: it needs writing
            return False

    def write_version(
        self,
        version: str,
        quads: Sequence[Quad],
        *,
        added: Sequence[Quad] = (),
        removed: Sequence[Quad] = (),
        previous: str | None = None,
    ) -> None:
        """Make ``quads`` the dataset of every replica; the engine reads ``version`` from their
        build graph, and keeps no record of changes (the local versions do).

        A replica that holds ``previous`` (the version ``added`` and ``removed`` are counted
        from) is sent what changed in the graphs they touch (``switch_graphs``); any other is
        read whole and compared. Either way the switch is one update request (``switch``),
        which its readers see whole or not at all; an empty engine is loaded graph by graph
        (nobody reads a dataset that is not there yet).
        """
        replicas = self.replicas.replicas
        if previous is not None:
            graphs = touched_graphs(quads, added, removed)
            replicas = self.switch_graphs(previous, quads, graphs)
        self.write_whole(quads, replicas)

    def write_whole(self, quads: Sequence[Quad], replicas: Sequence[Replica]) -> None:
        """Make ``quads`` the dataset of each of ``replicas``, each read whole and compared
        (one update), or loaded graph by graph when it holds nothing."""
        new = by_graph(quads)
        for member in replicas:
            replica = self._replica(member)
            held = by_graph(replica.quads())
            if held:
                replica._switch(held, new)
            else:
                replica.replace_dataset(quads)
        self.invalidate()

    def switch_graphs(
        self, previous: str, quads: Iterable[Quad], graphs: Sequence[str]
    ) -> list[Replica]:
        """Give each replica that holds the version ``previous`` the ``graphs`` as ``quads``
        have them (``quads`` may hold those graphs only), and no others; return the replicas
        that hold another version, left as they were."""
        new = {name: triples for name, triples in by_graph(quads).items() if name in graphs}
        lagging = []
        for member in self.replicas.replicas:
            replica = self._replica(member)
            if not replica.holds(previous):
                lagging.append(member)
                continue
            held = {name: set(replica._graph_triples(NamedNode(name))) for name in graphs}
            replica._switch({name: t for name, t in held.items() if t}, new)
        self.invalidate()
        return lagging

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
        before = set(self._catalogue.graph_sizes()[0])
        for name, triples in by_graph.items():
            self.put_graph(name, triples)
        for stale in sorted(before - {g.value for g in by_graph}):
            self.delete_graph(NamedNode(stale))
        self.invalidate()

    def put_graph(self, graph: NamedNode, triples: Iterable[Triple]) -> None:
        """Replace ``graph`` with ``triples`` (on every replica)."""
        held = triples if isinstance(triples, list | tuple) else list(triples)
        for writer in self._writers:
            writer.put_graph(graph, held)

    def delete_graph(self, graph: NamedNode) -> None:
        """Drop ``graph``; a graph that is not there is no error."""
        for writer in self._writers:
            writer.delete_graph(graph)

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update (only the store's writers call this; the web layer never does)."""
        for writer in self._writers:
            writer.update(sparql)

    def invalidate(self) -> None:
        """Forget the cached version and graph list: the next reader asks the engine again."""
        self._catalogue.invalidate()

    # -- internals ----------------------------------------------------------------------------

    def _replica(self, member: Replica) -> RemoteStore:
        """A store of one replica alone, on this store's connections."""
        return RemoteStore(member.endpoints, self.http, graph_prefix=self.graph_prefix)

    def _switch(self, held: Graphs, new: Graphs) -> None:
        """Turn the graphs ``held`` into ``new``: one update, or graph by graph (not atomic for
        readers, and logged) when the engine cannot take that many triples in one."""
        switch = switch_update(held, new)
        if switch is None:
            return
        bound = self.endpoints.engine.max_update_triples
        if bound is None or switch.triples <= bound:
            self.update(switch.update)
            return
        log.warning(
            "%s: %d triples change, more than one update can carry there (%d): written graph "
            "by graph, which readers may see half done",
            self.endpoints.query,
            switch.triples,
            bound,
        )
        for name, triples in new.items():  # in order: the version's own graph last
            if held.get(name) != triples:
                self.put_graph(NamedNode(name), triples)
        for gone in sorted(held.keys() - new.keys()):
            self.delete_graph(NamedNode(gone))

    def _graph_triples(self, graph: NamedNode) -> list[Triple]:
        bound = {Variable("g"): graph}
        construct = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
        triples = list(triples_of(self.query(construct, substitutions=bound, named_graphs=[graph])))
        expected = single_count(self.query(_COUNT, substitutions=bound, named_graphs=[graph]))
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
        for triple in triples_of(result):
            yield Quad(triple.subject, triple.predicate, triple.object, DefaultGraph())


def _engine_of(http: HttpClient, parsed: list[tuple[str, dict[str, str]]]) -> Engine:
    """The engine the URLs name, else the one the first replica that answers says it is."""
    named = {options["engine"] for _, options in parsed if "engine" in options}
    if len(named) > 1:
        raise StoreError(f"the replicas of one store are one engine, not {sorted(named)}")
    if named:
        return ENGINES[named.pop()]
    reasons = []
    for query, _ in parsed:
        try:
            return sniff_engine(http, query)
        except StoreError as error:
            reasons.append(str(error))
    raise StoreError("; ".join(reasons))


__all__ = ["RemoteStore"]
