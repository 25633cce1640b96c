"""The support of citations counted per report, per chapter and per agreement.

A reader who asks "how far can I trust this chapter's assessments?" wants the share of its
citations that are weak or unsupported, and SPARQL should read it rather than recount it: each
report, chapter and agreement that has citations gets a ``pg:CitationSupportSummary``
(``<its IRI>#citatiesteun``) with the count per level and the two shares.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from pyoxigraph import Literal, NamedNode, Triple

from policygraph.derive.support_levels import SUPPORTED, UNSUPPORTED, WEAK
from policygraph.namespaces import PG, RDF, XSD

FRAGMENT = "citatiesteun"


@dataclass(frozen=True)
class Placed:
    """The level of one citation and where it is counted."""

    level: str
    report: str
    chapter: str
    agreement: str | None


def summary_iri(subject: str) -> NamedNode:
    """``<report, chapter or agreement>#citatiesteun``: the summary is about that one thing."""
    return NamedNode(f"{subject}#{FRAGMENT}")


def share(part: int, whole: int) -> Literal:
    """``part / whole`` as an xsd:decimal of four places (0 when there is nothing to share)."""
    value = Decimal(part) / Decimal(whole) if whole else Decimal(0)
    rounded = value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_EVEN)
    return Literal(str(rounded), datatype=XSD.decimal)


def _count(value: int) -> Literal:
    return Literal(str(value), datatype=XSD.nonNegativeInteger)


def summary_triples(citations: Iterable[Placed], method: NamedNode) -> Iterator[Triple]:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for citation in citations:
        for subject in (citation.report, citation.chapter, citation.agreement):
            if subject:
                counts[subject][citation.level] += 1
    for subject in sorted(counts):
        levels = counts[subject]
        total = sum(levels.values())
        node = summary_iri(subject)
        yield Triple(node, RDF.type, PG.CitationSupportSummary)
        yield Triple(node, PG.summarises, NamedNode(subject))
        yield Triple(node, PG.citationCount, _count(total))
        yield Triple(node, PG.supportedCitationCount, _count(levels[SUPPORTED]))
        yield Triple(node, PG.weakCitationCount, _count(levels[WEAK]))
        yield Triple(node, PG.unsupportedCitationCount, _count(levels[UNSUPPORTED]))
        yield Triple(node, PG.weakCitationShare, share(levels[WEAK], total))
        yield Triple(node, PG.unsupportedCitationShare, share(levels[UNSUPPORTED], total))
        yield Triple(node, PG.assessmentMethod, method)


__all__ = ["FRAGMENT", "Placed", "share", "summary_iri", "summary_triples"]
