"""Switching an engine from one version to the next in one SPARQL Update: atomic for readers.

Written graph by graph, a new version is visible half-done for as long as the load takes. An
engine that runs one update request as one transaction (Oxigraph: every update is a
transaction, read from a snapshot; Virtuoso: a request is one transaction at its default
isolation) shows its readers the whole old version or the whole new one. So the new version
goes in as one request holding only the difference, graph by graph:

- a graph with blank nodes on either side is replaced whole (``DROP SILENT GRAPH``, then
  ``INSERT {…} WHERE {}``, not ``INSERT DATA``, which Virtuoso 7 refuses with blank nodes): an
  engine labels blank nodes its own way, so their quads cannot be matched;
- any other graph gets ``DELETE DATA`` of the quads it loses and ``INSERT DATA`` of those it
  gains, one operation per graph: Virtuoso 7 leaves language-tagged, ``xsd:anyURI`` and
  ``xsd:hexBinary`` literals in place when one ``DELETE DATA`` names two graphs;
- a graph the new version no longer has is dropped.

An engine that cannot take the whole difference in one request (Virtuoso's SPARQL compiler runs
out of memory at about 5,000 triples) is written graph by graph instead, which is not atomic;
the store logs a warning saying so.

The version itself (``pg:version`` in the build graph) changes within the same request, so the
front ends, which read it every few seconds, switch with the data and key their caches by it.

A version made from the one an engine holds, by a harvest or a write of annotations, differs
from it only in the graphs its added and removed quads name and in the graph that records the
version (``touched_graphs``): only those are read from the engine and compared.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from pyoxigraph import BlankNode, NamedNode, Quad, Triple

from policygraph.namespaces import PG

Graphs = dict[str, set[Triple]]


def by_graph(quads: Iterable[Quad]) -> Graphs:
    graphs: Graphs = defaultdict(set)
    for quad in quads:
        if isinstance(quad.graph_name, NamedNode):
            graphs[quad.graph_name.value].add(quad.triple)
    return dict(graphs)


def touched_graphs(
    quads: Iterable[Quad], added: Iterable[Quad], removed: Iterable[Quad]
) -> list[str]:
    """The graphs in which ``quads`` can differ from the version ``added`` and ``removed`` are
    counted from: theirs, and the one that records the version. In the order of ``quads`` (the
    version's own graph, which comes last there, is switched last), then those it no longer
    has."""
    changed = {
        q.graph_name.value for q in (*added, *removed) if isinstance(q.graph_name, NamedNode)
    }
    present: dict[str, None] = {}
    for quad in quads:
        if isinstance(quad.graph_name, NamedNode):
            if quad.predicate == PG.version:
                changed.add(quad.graph_name.value)
            present[quad.graph_name.value] = None
    return [name for name in present if name in changed] + sorted(changed - present.keys())


@dataclass(frozen=True)
class Switch:
    """The update that turns one version into the next, and how many triples it carries."""

    update: str
    triples: int


def switch_update(old: Graphs, new: Graphs) -> Switch | None:
    """The one update that turns ``old`` into ``new``; None when they are the same."""
    carried = 0
    drops: list[str] = []
    deletes: list[str] = []
    inserts: list[str] = []
    blank_inserts: list[str] = []
    for name in sorted(old.keys() - new.keys()):
        drops.append(f"DROP SILENT GRAPH {NamedNode(name)}")
    for name in sorted(new):
        before, after = old.get(name, set()), new[name]
        graph = NamedNode(name)
        if _has_blank_nodes(before) or _has_blank_nodes(after):
            if before and before != after:  # labels differ whatever the content: replaced
                drops.append(f"DROP SILENT GRAPH {graph}")
            if before != after:
                blank_inserts.append(_block(graph, after))
                carried += len(after)
            continue
        if gone := before - after:
            deletes.append(_block(graph, gone))
        if came := after - before:
            inserts.append(_block(graph, came))
        carried += len(gone) + len(came)
    operations = drops[:]
    operations += [f"DELETE DATA {{\n{block}\n}}" for block in deletes]
    operations += [f"INSERT DATA {{\n{block}\n}}" for block in inserts]
    if blank_inserts:
        operations.append("INSERT {\n" + "\n".join(blank_inserts) + "\n} WHERE {}")
    return Switch(" ;\n".join(operations), carried) if operations else None


def _block(graph: NamedNode, triples: Iterable[Triple]) -> str:
    lines = "\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in triples)
    return f"GRAPH {graph} {{\n{lines}\n}}"


def _has_blank_nodes(triples: set[Triple]) -> bool:
    return any(isinstance(t.subject, BlankNode) or isinstance(t.object, BlankNode) for t in triples)


__all__ = ["Graphs", "Switch", "by_graph", "switch_update", "touched_graphs"]
