"""The store protocols: what the CLI and the web layer read, and what publishing writes.

``GraphStore`` is a read-only view of one published version: ``LocalStore`` (pyoxigraph on disk)
and ``RemoteStore`` (an engine over the SPARQL 1.1 Protocol) both implement it.
``WritableStore`` is where publishing writes a new version: ``LocalVersions`` (a new version
directory, switched to atomically) and ``RemoteStore`` (the engine's graphs replaced) both
implement it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Protocol, runtime_checkable

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QueryBoolean,
    QuerySolutions,
    QueryTriples,
    Triple,
    Variable,
)

QueryResult = QuerySolutions | QueryBoolean | QueryTriples
GraphName = NamedNode | BlankNode | DefaultGraph
Binding = NamedNode | BlankNode | Literal | Triple


@runtime_checkable
class GraphStore(Protocol):
    """A read-only view of one published version of the dataset."""

    @property
    def version(self) -> str:
        """An identifier that changes whenever the published content changes."""
        ...

    def query(
        self,
        sparql: str,
        *,
        substitutions: Mapping[Variable, Binding] | None = None,
        default_graph: list[GraphName] | None = None,
        named_graphs: list[NamedNode | BlankNode] | None = None,
        union_default_graph: bool = True,
    ) -> QueryResult:
        """Evaluate a SPARQL 1.1 query. Raises QuerySyntaxError for text that is not SPARQL."""
        ...

    def quads(self, graph: GraphName | None = None) -> Iterator[Quad]:
        """Every quad, or those of one graph."""
        ...

    def named_graphs(self) -> Iterator[NamedNode | BlankNode]: ...

    def __len__(self) -> int: ...

    def close(self) -> None: ...


@runtime_checkable
class WritableStore(Protocol):
    """Where publishing writes a new version of the dataset.

    Publishing makes the version (its quads, the quads added and removed since the version
    before) and hands it to each store it publishes to; how the store makes it the one readers
    see is the store's own affair.
    """

    @property
    def label(self) -> str:
        """A short name of the store, for progress messages and timings."""
        ...

    def holds(self, version: str) -> bool:
        """Whether the store serves ``version`` now (so writing it again would change nothing)."""
        ...

    def write_version(
        self,
        version: str,
        quads: Sequence[Quad],
        *,
        added: Sequence[Quad] = (),
        removed: Sequence[Quad] = (),
        previous: str | None = None,
    ) -> None:
        """Publish ``quads`` as the version ``version``, or raise ``StoreError``.

        ``quads`` end with the build graph, which carries ``pg:version``: a store that cannot
        switch versions atomically writes in order, so that its version changes last.
        ``added`` and ``removed`` are counted from the version ``previous``: a store that holds
        it may write just the difference.
        """
        ...

    def close(self) -> None: ...


__all__ = ["Binding", "GraphName", "GraphStore", "QueryResult", "WritableStore"]
