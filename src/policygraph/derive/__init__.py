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

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from pyoxigraph import NamedNode, Quad, Store, Triple

from policygraph.derive import suggested_evidence
from policygraph.derive.decision_ranking import DecisionRanking, read_decisions
from policygraph.derive.vector_ranking import VectorRanking
from policygraph.namespaces import PG, RDF, Minter
from policygraph.sources import SourceDocument, SourceGraph

METHODS_DIR = Path(__file__).parent / "methods"
METHOD_LICENSE = "https://creativecommons.org/licenses/by/4.0/"

INPUT_TYPES = frozenset(
    {PG.GovernmentDecision, PG.Claim, PG.AssessmentReport, PG.AssessmentGeneration}
)
"""What derivations read: a publish that changes none of these keeps the derived graphs."""


@dataclass
class Derived:
    """What a derivation is given: the content (without any derived graph) and the minter."""

    store: Store
    minter: Minter

    @cached_property
    def ranking(self) -> DecisionRanking:
        return DecisionRanking(read_decisions(self.store))

    @cached_property
    def vectors(self) -> VectorRanking:
        """The same decisions as TF-IDF vectors, for texts compared as documents."""
        return VectorRanking(self.ranking.decisions.values())


@dataclass(frozen=True)
class Derivation:
    slug: str
    """Its named graph is ``{base}/graph/{slug}``; its method is described in
    ``methods/<slug>.md``."""
    title: str
    version: str
    """The method's version, in the method's IRI: changed when what it computes changes."""
    derive: Callable[[Derived], Iterable[Triple]]

    def method(self, minter: Minter) -> NamedNode:
        """The method as an IRI with its version: ``{base}/id/methode/{slug}/{version}``."""
        return minter.thing("methode", self.slug, self.version)

    def document(self, minter: Minter) -> SourceDocument:
        path = METHODS_DIR / f"{self.slug}.md"
        return SourceDocument(
            slug=f"methode-{self.slug}",
            title=self.title,
            path=path,
            relative_path=f"methods/{self.slug}.md",
            origin=self.method(minter).value,
            license=METHOD_LICENSE,
            media_type="text/markdown",
        )


def _suggested_evidence(given: Derived) -> Iterable[Triple]:
    minter = given.minter
    return suggested_evidence.suggestion_triples(
        given.store,
        minter,
        given.vectors,
        method=SUGGESTED_EVIDENCE.method(minter),
        description=minter.source(SUGGESTED_EVIDENCE.document(minter).slug),
    )


SUGGESTED_EVIDENCE = Derivation(
    slug=suggested_evidence.SLUG,
    title=suggested_evidence.TITLE,
    version=suggested_evidence.VERSION,
    derive=_suggested_evidence,
)

DERIVATIONS: tuple[Derivation, ...] = (SUGGESTED_EVIDENCE,)
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
