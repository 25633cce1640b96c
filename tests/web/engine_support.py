"""The front end over external engines, for tests: engines on loopback, fronts in front of them.

An engine is Oxigraph's server or Virtuoso 7 (skipped with a reason when not installed), loaded
with the endpoint's fixture as named graphs and a build graph recording its ``pg:version``. A
front is the real app with a forwarder to the engine, served by uvicorn on loopback.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from interfaces import LoopbackServer
from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad
from servers import ENGINES, Engine, start_engine, store_url
from sparql_support import GRAPH, ID, PG, endpoint_settings, fixture_quads

from policygraph.query.forward import Forwarder
from policygraph.store.remote import RemoteStore
from policygraph.web import Front, create_app
from policygraph.web.sparql import forwarder

BUILD_GRAPH = NamedNode(GRAPH + "build")


def versioned(version: str, marker: str = "") -> list[Quad]:
    """The fixture as named graphs, with a build graph recording ``version`` (and ``marker``, a
    value that differs between versions, in a graph of its own and in the build graph)."""
    quads = [
        Quad(q.subject, q.predicate, q.object, NamedNode(GRAPH + "default"))
        if isinstance(q.graph_name, DefaultGraph)
        else q
        for q in fixture_quads()
    ]
    build = NamedNode(ID + "build/current")
    mark = NamedNode(PG + "marker")
    value = Literal(marker or version)
    quads.append(Quad(build, mark, value, NamedNode(GRAPH + "marker")))
    quads.append(Quad(build, mark, value, BUILD_GRAPH))
    quads.append(Quad(build, NamedNode(PG + "version"), Literal(version), BUILD_GRAPH))
    return quads


def load(url: str, quads: list[Quad]) -> str:
    """Replace the engine's dataset with ``quads``; the version it reports after."""
    store = RemoteStore.open(url, graph_prefix=GRAPH)
    try:
        store.replace_dataset(quads)
        return store.version
    finally:
        store.close()


class FrontEnd:
    """The app over an engine, with its forwarder, served on loopback."""

    def __init__(self, url: str, **settings: object) -> None:
        self.settings = endpoint_settings(store_url=url, **settings)
        self.forwarder: Forwarder = forwarder(self.settings)
        self.app: Front = create_app(self.settings, pool=self.forwarder)
        self.server = LoopbackServer(self.app)
        self.url = self.server.url

    def close(self) -> None:
        self.server.stop()
        self.app.close()
        self.forwarder.close()


@contextmanager
def front_over(url: str, **settings: object) -> Iterator[FrontEnd]:
    front = FrontEnd(url, **settings)
    try:
        yield front
    finally:
        front.close()


__all__ = [
    "ENGINES",
    "Engine",
    "FrontEnd",
    "front_over",
    "load",
    "start_engine",
    "store_url",
    "versioned",
]
