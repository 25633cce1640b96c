"""A chapter of the agreement at a glance: how much of it is covered, its parts, its evidence.

The coverage figures are counted as the home page counts them (``read.evidence.coverage``):
the parts to assess are those with text of their own and those an assessment judges. The parts
are listed in the agreement's order with whether they are assessed and how many decisions their
assessment cites; the decisions cited anywhere in the chapter are listed by date.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from pyoxigraph import NamedNode, QuerySolution

from policygraph.read.cards.facts import facts_of, select, term
from policygraph.read.describe import LANGUAGES
from policygraph.read.evidence.coverage import ChapterCoverage
from policygraph.read.evidence.rows import (
    CitedDecision,
    Link,
    date_of,
    decision_order,
    local_name,
    number_key,
    prefer,
    text,
)
from policygraph.store import GraphStore


@dataclass(frozen=True)
class ChapterPart:
    iri: str
    number: str | None
    title: str
    to_assess: bool
    """Whether the coverage counts it: it has text of its own, or an assessment."""
    assessed: bool
    cited: int
    """Decisions its assessment cites."""


@dataclass(frozen=True)
class ChapterCard:
    iri: str
    coverage: ChapterCoverage
    parts: tuple[ChapterPart, ...]
    decisions: tuple[CitedDecision, ...]
    """Every decision the chapter's assessments cite, by date."""


_PARTS = """
SELECT ?s ?part ?number ?title ?hasText ?assessed WHERE {
  ?part pg:inChapter? ?s .
  OPTIONAL { ?part pg:sectionNumber|pg:chapterNumber ?number }
  OPTIONAL { ?part dct:title ?title }
  BIND (EXISTS { ?part pg:text ?text } AS ?hasText)
  BIND (EXISTS { ?report pg:assesses ?part } AS ?assessed)
}
"""
_CITED = """
SELECT ?s ?part ?decision ?date ?dtitle ?kind WHERE {
  { SELECT DISTINCT ?s ?part ?decision WHERE {
      ?part pg:inChapter? ?s .
      ?report pg:assesses ?part ; cito:citesAsEvidence ?decision .
  } }
  OPTIONAL { ?decision dct:date ?date }
  OPTIONAL { ?decision dct:title ?dtitle }
  OPTIONAL { ?decision pg:decisionKind ?kind }
}
"""


def chapter_card(
    store: GraphStore, iri: NamedNode, language: str = LANGUAGES[0]
) -> ChapterCard | None:
    """The card of the chapter ``iri``; None when it is no chapter."""
    facts = facts_of(store, iri, language)
    if term("pg:Chapter") not in facts.nodes("rdf:type"):
        return None
    rows: dict[str, list[QuerySolution]] = defaultdict(list)
    for row in select(store, _PARTS, s=iri):
        rows[text(row, "part") or ""].append(row)
    decision_rows: dict[str, list[QuerySolution]] = defaultdict(list)
    cited_by_part: dict[str, set[str]] = defaultdict(set)
    for row in select(store, _CITED, s=iri):
        decision = text(row, "decision") or ""
        decision_rows[decision].append(row)
        cited_by_part[text(row, "part") or ""].add(decision)
    parts = []
    for part, part_rows in rows.items():
        first = part_rows[0]
        parts.append(
            ChapterPart(
                iri=part,
                number=text(first, "number"),
                title=prefer(part_rows, "title", language) or local_name(part) or part,
                to_assess=text(first, "hasText") == "true" or text(first, "assessed") == "true",
                assessed=text(first, "assessed") == "true",
                cited=len(cited_by_part.get(part, ())),
            )
        )
    # The chapter first (when it is a part to assess itself), then its sections in order.
    parts.sort(key=lambda p: (p.iri != iri.value, number_key(p.number), p.title))
    counted = [p for p in parts if p.to_assess]
    title = facts.literal("dct:title") or local_name(iri.value) or iri.value
    return ChapterCard(
        iri=iri.value,
        coverage=ChapterCoverage(
            chapter=Link(iri.value, title),
            number=facts.literal("pg:chapterNumber"),
            sections=len(counted),
            assessed=sum(p.assessed for p in counted),
            with_evidence=sum(p.assessed and p.cited > 0 for p in counted),
        ),
        parts=tuple(p for p in parts if p.iri != iri.value or p.to_assess),
        decisions=tuple(
            sorted(
                (
                    CitedDecision(
                        decision,
                        date_of(text(found[0], "date")),
                        prefer(found, "dtitle", language) or "",
                        local_name(text(found[0], "kind")),
                    )
                    for decision, found in decision_rows.items()
                ),
                key=decision_order,
            )
        ),
    )


__all__ = ["ChapterCard", "ChapterPart", "chapter_card"]
