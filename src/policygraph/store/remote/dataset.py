"""Naming the dataset a query runs on, in the way each engine understands.

The SPARQL 1.1 Protocol names a dataset with ``default-graph-uri`` and ``named-graph-uri``;
engines differ in what they do without them (Oxigraph: an empty default graph, or the union
with its own parameter; Virtuoso: the union of every graph, its system graphs included), so the
parameters (and, for Virtuoso, pragmas naming our graphs, put before the query) are chosen per
``Engine``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from pyoxigraph import BlankNode, DefaultGraph, NamedNode

from policygraph.errors import QueryError
from policygraph.sparql.inspection import has_dataset_clause
from policygraph.store import GraphName
from policygraph.store.remote.catalogue import Catalogue
from policygraph.store.remote.engines import Engine

EMPTY_GRAPH = "urn:x-policygraph:empty-default-graph"
"""A graph that is never written: named as the default graph when a query must not see the union
on engines that have no empty default graph of their own (Virtuoso)."""

Parameters = list[tuple[str, str]]


def dataset_for(
    engine: Engine,
    text: str,
    catalogue: Callable[[], Catalogue],
    *,
    default_graph: list[GraphName] | None,
    named_graphs: list[NamedNode | BlankNode] | None,
    union: bool,
    names_its_dataset: bool | None = None,
) -> tuple[str, Parameters]:
    """Pragmas to put before the query, and the protocol's dataset parameters.

    None of either when the query names its own dataset (FROM, FROM NAMED; read from ``text``
    unless ``names_its_dataset`` says it). ``catalogue`` is asked only when the engine needs
    the names of the dataset's graphs.
    """
    if has_dataset_clause(text) if names_its_dataset is None else names_its_dataset:
        return "", []
    params: Parameters = []
    ours: tuple[str, ...] | None = None
    pragmas = ""
    if engine.explicit_dataset or engine.dataset_pragmas:
        known = catalogue()
        if engine.explicit_dataset:
            ours = known.graphs or (EMPTY_GRAPH,)
        if engine.dataset_pragmas:
            pragmas = _virtuoso_pragmas(known, text, default_graph, named_graphs, union)
    if default_graph is not None:
        names = [g for g in default_graph if not isinstance(g, DefaultGraph)]
        if len(names) < len(default_graph):  # the engine's own default graph is asked for
            if names:
                raise QueryError("a remote default graph cannot mix the default and named graphs")
            if not engine.has_default_graph:
                params.append(("default-graph-uri", EMPTY_GRAPH))
        else:
            params += [("default-graph-uri", graph_iri(g)) for g in names] or [
                ("default-graph-uri", EMPTY_GRAPH)
            ]
    elif union:
        if engine.union_parameter is not None and named_graphs is None:
            params.append((engine.union_parameter, "true"))
        elif ours is not None:
            params += [("default-graph-uri", g) for g in ours]
        elif engine.union_parameter is not None:
            # Oxigraph refuses its union parameter beside named-graph-uri: name the union.
            params += [("default-graph-uri", g) for g in catalogue().graphs or (EMPTY_GRAPH,)]
    elif not engine.has_default_graph:
        params.append(("default-graph-uri", EMPTY_GRAPH))
    if named_graphs is not None:
        params += [("named-graph-uri", graph_iri(g)) for g in named_graphs]
    elif ours is not None:
        params += [("named-graph-uri", g) for g in ours]
    return pragmas, params


_GRAPH_PATTERN = re.compile(r"\bGRAPH\s*(?:<|\?|\$|[A-Za-z_][\w.-]*:)", re.IGNORECASE)


def _virtuoso_pragmas(
    known: Catalogue,
    text: str,
    default_graph: list[GraphName] | None,
    named_graphs: list[NamedNode | BlankNode] | None,
    union: bool,
) -> str:
    """Pragmas that keep Virtuoso's own graphs out of a query's dataset.

    A query without a GRAPH pattern gets the few exclusions of Virtuoso's system graphs (cheap
    to compile). A query with one gets our graphs named instead, since any exclusion pragma
    breaks ``GRAPH <iri>`` on Virtuoso 7.2 (it then finds at most one solution); naming them
    costs a pragma line per graph.
    """
    lines: list[str] = []
    if _GRAPH_PATTERN.search(text) is None:
        if default_graph is None and union:
            lines += [f"define input:default-graph-exclude {NamedNode(g)}" for g in known.foreign]
        return "".join(line + "\n" for line in lines)
    named = [NamedNode(g) for g in known.graphs or (EMPTY_GRAPH,)]
    if default_graph is None and union:
        lines += [f"define input:default-graph-uri {g}" for g in named]
    if named_graphs is None:
        lines += [f"define input:named-graph-uri {g}" for g in named]
    return "".join(line + "\n" for line in lines)


def graph_iri(graph: GraphName) -> str:
    if isinstance(graph, NamedNode):
        return graph.value
    raise QueryError("blank-node graph names cannot be sent to a remote store")


__all__ = ["EMPTY_GRAPH", "Parameters", "dataset_for", "graph_iri"]
