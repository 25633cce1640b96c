"""Graphs derived from a version's own content when it is published.

Some facts are no source's: they follow from the sources together. How well a report's citation
holds needs the claim, the decision and what the model was shown; which decisions a section's
assessment missed needs every decision of the version, including those harvested after the
build. They are computed in ``publish`` (``build/publishing.py``) from the content about to be
validated, each into a named graph of its own, so they are validated, versioned and described
like any source, and a harvest that adds decisions brings them up to date.

A derivation is a ``Derivation``: the slug of its graph, its method (a description shipped in
``derive/methods/<slug>.md``, whose checksum pins the method a graph was made with, and a
version that names it in IRIs), and a function from the ``Derived`` context to triples. The
context holds the content as a store to query and the one ``DecisionRanking`` of its decisions,
built once for all derivations.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pyoxigraph import NamedNode, Quad, Store

from policygraph.derive.citation_support import CITATION_SUPPORT
from policygraph.derive.derivation import INPUT_TYPES, Derivation, Derived
from policygraph.derive.suggested_evidence import SUGGESTED_EVIDENCE
from policygraph.namespaces import RDF, Minter
from policygraph.sources import SourceGraph

DERIVATIONS: tuple[Derivation, ...] = (CITATION_SUPPORT, SUGGESTED_EVIDENCE)
"""Every derivation, run in this order on each publish that changes their inputs."""


def needs_derivation(graphs: Sequence[SourceGraph], *, replace_all: bool) -> bool:
    """Whether publishing ``graphs`` changes what the derivations read."""
    return replace_all or any(
        triple.predicate == RDF.type and triple.object in INPUT_TYPES
        for graph in graphs
        for triple in graph.triples
    )


def derived_graph_names(minter: Minter) -> frozenset[NamedNode]:
    return frozenset(minter.graph(derivation.slug) for derivation in DERIVATIONS)


def derive_graphs(content: Iterable[Quad], minter: Minter) -> list[SourceGraph]:
    """The derived graphs of ``content`` (whose own derived graphs, if any, are not read)."""
    if not DERIVATIONS:
        return []
    names = derived_graph_names(minter)
    store = Store()
    store.bulk_extend(quad for quad in content if quad.graph_name not in names)
    given = Derived(store, minter)
    return [
        SourceGraph(
            name=minter.graph(derivation.slug),
            title=derivation.title,
            document=derivation.document(minter),
            triples=tuple(dict.fromkeys(derivation.derive(given))),
        )
        for derivation in DERIVATIONS
    ]


__all__ = [
    "DERIVATIONS",
    "Derivation",
    "Derived",
    "derive_graphs",
    "derived_graph_names",
    "needs_derivation",
]
