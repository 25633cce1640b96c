"""The store protocol: what the build, the CLI and the web layer need from a quad store.

``LocalStore`` (pyoxigraph on disk, published versions switched atomically) implements it; a
remote SPARQL 1.1 store can implement the same protocol.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
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


__all__ = ["Binding", "GraphName", "GraphStore", "QueryResult"]
