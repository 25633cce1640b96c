"""What a derivation is and what it is given: ``Derivation`` and the ``Derived`` context.

Kept apart from the package's ``__init__`` so that a derivation module can name its own
``Derivation`` while the package lists every one of them in ``DERIVATIONS``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from pyoxigraph import NamedNode, Store, Triple

from policygraph.derive.decision_ranking import DecisionRanking, read_decisions
from policygraph.derive.vector_ranking import VectorRanking
from policygraph.namespaces import PG, Minter
from policygraph.sources import SourceDocument

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


__all__ = ["INPUT_TYPES", "METHODS_DIR", "METHOD_LICENSE", "Derivation", "Derived"]
