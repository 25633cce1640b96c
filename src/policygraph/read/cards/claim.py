"""A claim or a reference of an assessment, placed: which report, which section, which chapter.

A claim's card gives its text (with its ``[n]`` markers, which lead to the references listed on
its section's page), its part of the report and theme, and the decisions it cites; a
reference's card the decision it resolves to and the claims that cite it. Both name the section
whose page shows the whole assessment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pyoxigraph import NamedNode

from policygraph.read.cards.facts import descriptive_labels, facts_of, select, term
from policygraph.read.describe import LANGUAGES
from policygraph.read.evidence.rows import (
    CitedDecision,
    Link,
    date_of,
    decision_order,
    int_of,
    local_name,
    prefer,
    text,
)
from policygraph.store import GraphStore


@dataclass(frozen=True)
class Placement:
    """Where a part of an assessment sits: its report, the part of the agreement the report
    assesses (with its number) and that part's chapter."""

    report: Link
    part: Link
    number: str | None
    chapter: Link | None


@dataclass(frozen=True)
class ClaimCard:
    iri: str
    position: int
    part_of_report: Link | None
    """Summary, details or conclusion."""
    theme: str | None
    text: str
    references: frozenset[int]
    """The numbers of the report's references (what its markers can lead to)."""
    decisions: tuple[CitedDecision, ...]
    placement: Placement | None

    @property
    def heading(self) -> str:
        where = self.placement
        if where is None:
            return self.theme or self.text[:80]
        number = f"{where.number} " if where.number else ""
        return f"{number}{where.part.label} · {self.position}"


@dataclass(frozen=True)
class ReportCard:
    """An assessment: its page points to the section page that shows it whole."""

    iri: str
    placement: Placement


@dataclass(frozen=True)
class ReferenceCard:
    iri: str
    number: int
    title: str | None
    date: date | None
    urls: tuple[str, ...]
    decision: CitedDecision | None
    citing_claims: tuple[Link, ...]
    placement: Placement | None

    @property
    def heading(self) -> str:
        return f"[{self.number}] {self.title or (self.decision.title if self.decision else '')}"


# A claim or reference is part of its report; a report is placed by what it assesses.
_PLACEMENT = """
SELECT ?s ?report ?rtitle ?part ?number ?ptitle ?chapter ?ctitle WHERE {
  { ?s dct:isPartOf ?report } UNION { ?s a pg:AssessmentReport . BIND (?s AS ?report) }
  ?report pg:assesses ?part .
  OPTIONAL { ?report dct:title ?rtitle }
  OPTIONAL { ?part pg:sectionNumber|pg:chapterNumber ?number }
  OPTIONAL { ?part dct:title ?ptitle }
  OPTIONAL { ?part pg:inChapter ?chapter . OPTIONAL { ?chapter dct:title ?ctitle } }
}
"""
_REFERENCE_NUMBERS = """
SELECT ?s ?n WHERE { ?s dct:isPartOf ?report . ?report pg:hasReference/pg:referenceNumber ?n }
"""
_DECISIONS = """
SELECT ?s ?decision ?date ?title WHERE {
  ?s ?cites ?decision . VALUES ?cites { cito:citesAsEvidence pg:refersTo }
  OPTIONAL { ?decision dct:date ?date }
  OPTIONAL { ?decision dct:title ?title }
}
"""
_CITING_CLAIMS = """
SELECT ?s ?claim ?position WHERE {
  ?claim pg:citesReference ?s . OPTIONAL { ?claim pg:position ?position }
}
"""


def claim_card(store: GraphStore, iri: NamedNode, language: str = LANGUAGES[0]) -> ClaimCard | None:
    """The card of the claim ``iri``; None when it is no claim."""
    facts = facts_of(store, iri, language)
    if term("pg:Claim") not in facts.nodes("rdf:type"):
        return None
    parts = facts.links("pg:inPart")
    numbers = {int_of(text(r, "n")) for r in select(store, _REFERENCE_NUMBERS, s=iri)}
    return ClaimCard(
        iri=iri.value,
        position=int_of(facts.literal("pg:position")),
        part_of_report=parts[0] if parts else None,
        theme=facts.literal("pg:theme"),
        text=facts.literal("pg:claimText") or "",
        references=frozenset(numbers),
        decisions=_decisions(store, iri, language),
        placement=_placement(store, iri, language),
    )


def reference_card(
    store: GraphStore, iri: NamedNode, language: str = LANGUAGES[0]
) -> ReferenceCard | None:
    """The card of the reference ``iri``; None when it is no reference."""
    facts = facts_of(store, iri, language)
    if term("pg:Reference") not in facts.nodes("rdf:type"):
        return None
    decisions = _decisions(store, iri, language)
    claims = [
        (int_of(text(r, "position")), text(r, "claim") or "")
        for r in select(store, _CITING_CLAIMS, s=iri)
    ]
    return ReferenceCard(
        iri=iri.value,
        number=int_of(facts.literal("pg:referenceNumber")),
        title=facts.literal("dct:title"),
        date=facts.date("dct:date"),
        urls=facts.literals("schema:url"),
        decision=decisions[0] if decisions else None,
        citing_claims=_claim_links(store, sorted(set(claims)), language),
        placement=_placement(store, iri, language),
    )


def report_card(
    store: GraphStore, iri: NamedNode, language: str = LANGUAGES[0]
) -> ReportCard | None:
    """The card of the assessment report ``iri``; None when it assesses nothing."""
    placement = _placement(store, iri, language)
    return None if placement is None else ReportCard(iri.value, placement)


def _claim_links(
    store: GraphStore, claims: list[tuple[int, str]], language: str
) -> tuple[Link, ...]:
    labels = descriptive_labels(store, [NamedNode(c) for _, c in claims], language)
    return tuple(Link(c, labels.get(c) or f"#{position}") for position, c in claims)


def _decisions(store: GraphStore, iri: NamedNode, language: str) -> tuple[CitedDecision, ...]:
    rows = list(select(store, _DECISIONS, s=iri))
    found = {}
    for decision in dict.fromkeys(text(r, "decision") or "" for r in rows):
        own = [r for r in rows if text(r, "decision") == decision]
        found[decision] = CitedDecision(
            decision, date_of(text(own[0], "date")), prefer(own, "title", language) or ""
        )
    return tuple(sorted(found.values(), key=decision_order))


def _placement(store: GraphStore, iri: NamedNode, language: str) -> Placement | None:
    rows = list(select(store, _PLACEMENT, s=iri))
    if not rows:
        return None
    first = rows[0]
    report, part, chapter = (text(first, k) or "" for k in ("report", "part", "chapter"))
    return Placement(
        report=Link(report, prefer(rows, "rtitle", language) or local_name(report) or report),
        part=Link(part, prefer(rows, "ptitle", language) or local_name(part) or part),
        number=text(first, "number"),
        chapter=(
            Link(chapter, prefer(rows, "ctitle", language) or local_name(chapter) or chapter)
            if chapter
            else None
        ),
    )


__all__ = [
    "ClaimCard",
    "Placement",
    "ReferenceCard",
    "ReportCard",
    "claim_card",
    "reference_card",
    "report_card",
]
