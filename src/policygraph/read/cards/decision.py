"""A decision as a reader wants it: what it is, where it is published, and who cites it.

Its title, date, kind (by its label), text and official link, the Themis news item that
publishes it, and every assessment that cites it as evidence: the report, the part of the
agreement the report assesses (number, title, chapter) and the claims whose evidence it is.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from pyoxigraph import NamedNode, QuerySolution

from policygraph.read.cards.facts import facts_of, select, shorten, term
from policygraph.read.describe import LANGUAGES
from policygraph.read.evidence.rows import (
    Link,
    agreement_order,
    int_of,
    local_name,
    prefer,
    text,
)
from policygraph.store import GraphStore

EXCERPT_CHARACTERS = 280


@dataclass(frozen=True)
class CitingClaim:
    iri: str
    position: int
    excerpt: str
    """The claim's text, cut at a word near ``EXCERPT_CHARACTERS`` (``[n]`` markers kept)."""


@dataclass(frozen=True)
class Citation:
    """One assessment that cites the decision, and the claims of it that do."""

    report: Link
    part: Link
    """The section (or chapter) the report assesses."""
    number: str | None
    chapter: Link | None
    claims: tuple[CitingClaim, ...]


@dataclass(frozen=True)
class DecisionCard:
    iri: str
    title: str | None
    alternative: str | None
    date: date | None
    kind: Link | None
    text: str | None
    urls: tuple[str, ...]
    news_items: tuple[str, ...]
    ministers: tuple[Link, ...]
    citations: tuple[Citation, ...]

    @property
    def claims_total(self) -> int:
        return sum(len(c.claims) for c in self.citations)


_CITING = """
SELECT ?s ?report ?rtitle ?part ?number ?ptitle ?chapter ?ctitle ?claim ?position ?ctext WHERE {
  ?report cito:citesAsEvidence ?s ; pg:assesses ?part .
  OPTIONAL { ?report dct:title ?rtitle }
  OPTIONAL { ?part pg:sectionNumber|pg:chapterNumber ?number }
  OPTIONAL { ?part dct:title ?ptitle }
  OPTIONAL { ?part pg:inChapter ?chapter . OPTIONAL { ?chapter dct:title ?ctitle } }
  OPTIONAL {
    ?claim dct:isPartOf ?report ; cito:citesAsEvidence ?s .
    OPTIONAL { ?claim pg:position ?position }
    OPTIONAL { ?claim pg:claimText ?ctext }
  }
}
"""


def decision_card(
    store: GraphStore, iri: NamedNode, language: str = LANGUAGES[0]
) -> DecisionCard | None:
    """The card of the decision ``iri``; None when it is no decision."""
    facts = facts_of(store, iri, language)
    if term("pg:GovernmentDecision") not in facts.nodes("rdf:type"):
        return None
    kinds = facts.links("pg:decisionKind")
    return DecisionCard(
        iri=iri.value,
        title=facts.literal("dct:title"),
        alternative=facts.literal("dct:alternative"),
        date=facts.date("dct:date"),
        kind=kinds[0] if kinds else None,
        text=facts.literal("prov:value"),
        urls=facts.literals("schema:url"),
        news_items=facts.nodes("pg:themisNewsItem"),
        ministers=facts.links("pg:responsibleMinister"),
        citations=_citations(store, iri, language),
    )


def excerpt(words: str, limit: int = EXCERPT_CHARACTERS) -> str:
    """``words`` whole when short, else cut at the last space before ``limit``, with an ellipsis."""
    return shorten(words, limit)


def _citations(store: GraphStore, iri: NamedNode, language: str) -> tuple[Citation, ...]:
    by_report: dict[str, list[QuerySolution]] = defaultdict(list)
    for row in select(store, _CITING, s=iri):
        by_report[text(row, "report") or ""].append(row)
    citations = []
    for report, rows in by_report.items():
        part = text(rows[0], "part") or ""
        chapter = text(rows[0], "chapter")
        claims: dict[str, CitingClaim] = {}
        for row in rows:
            claim = text(row, "claim")
            if claim is not None and claim not in claims:
                claims[claim] = CitingClaim(
                    claim,
                    int_of(text(row, "position")),
                    excerpt(
                        prefer([r for r in rows if text(r, "claim") == claim], "ctext", language)
                        or ""
                    ),
                )
        citations.append(
            Citation(
                report=Link(
                    report, prefer(rows, "rtitle", language) or local_name(report) or report
                ),
                part=Link(part, prefer(rows, "ptitle", language) or local_name(part) or part),
                number=text(rows[0], "number"),
                chapter=(
                    Link(
                        chapter, prefer(rows, "ctitle", language) or local_name(chapter) or chapter
                    )
                    if chapter
                    else None
                ),
                claims=tuple(sorted(claims.values(), key=lambda c: (c.position, c.iri))),
            )
        )
    return tuple(
        sorted(
            citations,
            key=lambda c: (*agreement_order(c.chapter, c.part, c.number), c.report.iri),
        )
    )


__all__ = ["Citation", "CitingClaim", "DecisionCard", "decision_card", "excerpt"]
