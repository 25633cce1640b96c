"""Writing an engine's graphs: the Graph Store Protocol where the engine has it, else SPARQL Update.

A graph is replaced by a ``PUT`` of its first ``LOAD_CHUNK`` triples and ``POST``s of the rest,
so that no request body grows with the graph. Without a Graph Store endpoint (the generic
engine) the same is done with ``DROP SILENT GRAPH`` and ``INSERT DATA``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import islice

from pyoxigraph import NamedNode, RdfFormat, Triple, serialize

from policygraph.errors import StoreError
from policygraph.httpclient import HttpClient, excerpt
from policygraph.store.remote.engines import Endpoints

LOAD_CHUNK = 50_000
"""Triples sent in one Graph Store request; larger graphs are sent as a PUT and then POSTs."""


class GraphWriter:
    """The update and Graph Store endpoints of one engine; ``written`` is called after a change."""

    def __init__(self, endpoints: Endpoints, http: HttpClient, written: Callable[[], None]) -> None:
        self.endpoints = endpoints
        self.http = http
        self._written = written

    def put_graph(self, graph: NamedNode, triples: Iterable[Triple]) -> None:
        """Replace ``graph`` with ``triples`` (sent in chunks of ``LOAD_CHUNK``)."""
        chunks = _chunks(triples, LOAD_CHUNK)
        first = next(chunks, [])
        self._send("PUT", graph, first)
        for chunk in chunks:
            self._send("POST", graph, chunk)
        self._written()

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
        self._written()

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update (only the store's writers call this; the web layer never does)."""
        response = self.http.request("POST", self.endpoints.update, data=[("update", sparql)])
        try:
            if response.status_code >= 400:
                said = " ".join(response.text[:300].split())  # the engine's own reason
                raise StoreError(
                    f"update refused by {self.endpoints.update}: HTTP {response.status_code}"
                    + (f": {said}" if said else "")
                )
        finally:
            response.close()
        self._written()

    def _send(self, method: str, graph: NamedNode, triples: list[Triple]) -> None:
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


def _chunks(triples: Iterable[Triple], size: int) -> Iterator[list[Triple]]:
    iterator = iter(triples)
    while chunk := list(islice(iterator, size)):
        yield chunk


__all__ = ["LOAD_CHUNK", "GraphWriter"]
