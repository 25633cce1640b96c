"""Machine suggestions as pages show them: for a section, the decisions its assessment did not
cite that look related; for a decision, the sections it is suggested for.

Both read the graph of suggested evidence (``derive/suggested_evidence.py``): each suggestion
with its rank and score, the decision's title and date, the part's number, title and chapter.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from pyoxigraph import NamedNode, QuerySolution

from policygraph.read.describe import LANGUAGES
from policygraph.read.evidence.rows import (
    Link,
    agreement_order,
    date_of,
    int_of,
    local_name,
    prefer,
    select_rows,
    text,
)
from policygraph.store import GraphStore


@dataclass(frozen=True)
class SuggestedDecision:
    """A decision suggested for a section."""

    rank: int
    score: Decimal
    decision: Link
    date: date | None
    suggestion: str
    """The IRI of the suggestion node."""


@dataclass(frozen=True)
class SuggestedFor:
    """A section (or chapter) a decision is suggested for."""

    part: Link
    number: str | None
    chapter: Link | None
    rank: int
    score: Decimal


@dataclass(frozen=True)
class Suggestions:
    """The suggestions of one part, best first, and the method that made them."""

    decisions: tuple[SuggestedDecision, ...]
    method: str | None


_OF_PART = """
SELECT ?part ?s ?rank ?score ?decision ?title ?date ?method WHERE {
  ?part pg:suggestedEvidence ?s .
  ?s pg:rank ?rank ; pg:score ?score ; pg:suggestedDecision ?decision .
  OPTIONAL { ?s pg:method ?method }
  OPTIONAL { ?decision dct:title ?title }
  OPTIONAL { ?decision dct:date ?date }
}
"""

_FOR_DECISION = """
SELECT ?decision ?s ?part ?rank ?score ?number ?ptitle ?chapter ?ctitle WHERE {
  ?s pg:suggestedDecision ?decision .
  ?part pg:suggestedEvidence ?s .
  ?s pg:rank ?rank ; pg:score ?score .
  OPTIONAL { ?part pg:sectionNumber|pg:chapterNumber ?number }
  OPTIONAL { ?part dct:title ?ptitle }
  OPTIONAL { ?part pg:inChapter ?chapter . OPTIONAL { ?chapter dct:title ?ctitle } }
}
"""


def suggestions_of(store: GraphStore, part: NamedNode, language: str = LANGUAGES[0]) -> Suggestions:
    """The decisions suggested for ``part``, by rank (none when it has no suggestions)."""
    rows = _grouped(select_rows(store, _OF_PART, part=part))
    found = []
    method = None
    for node, group in rows.items():
        decision = text(group[0], "decision") or ""
        method = method or text(group[0], "method")
        found.append(
            SuggestedDecision(
                rank=int_of(text(group[0], "rank")),
                score=_decimal(text(group[0], "score")),
                decision=Link(
                    decision, prefer(group, "title", language) or local_name(decision) or decision
                ),
                date=min((d for d in (date_of(text(r, "date")) for r in group) if d), default=None),
                suggestion=node,
            )
        )
    return Suggestions(tuple(sorted(found, key=lambda s: (s.rank, s.decision.iri))), method)


def suggested_for(
    store: GraphStore, decision: NamedNode, language: str = LANGUAGES[0]
) -> tuple[SuggestedFor, ...]:
    """The parts ``decision`` is suggested for, in the agreement's order (chapter, number)."""
    rows = _grouped(select_rows(store, _FOR_DECISION, decision=decision))
    found = []
    for group in rows.values():
        part = text(group[0], "part") or ""
        chapter = text(group[0], "chapter")
        found.append(
            SuggestedFor(
                part=Link(part, prefer(group, "ptitle", language) or local_name(part) or part),
                number=text(group[0], "number"),
                chapter=(
                    Link(chapter, prefer(group, "ctitle", language) or local_name(chapter) or "")
                    if chapter
                    else None
                ),
                rank=int_of(text(group[0], "rank")),
                score=_decimal(text(group[0], "score")),
            )
        )
    return tuple(
        sorted(
            found,
            key=lambda s: (*agreement_order(s.chapter, s.part, s.number), s.part.iri),
        )
    )


def _grouped(rows: Iterable[QuerySolution]) -> dict[str, list[QuerySolution]]:
    grouped: dict[str, list[QuerySolution]] = {}
    for row in rows:
        grouped.setdefault(text(row, "s") or "", []).append(row)
    return grouped


def _decimal(value: str | None) -> Decimal:
    try:
        return Decimal(value) if value is not None else Decimal(0)
    except InvalidOperation:
        return Decimal(0)


__all__ = ["SuggestedDecision", "SuggestedFor", "Suggestions", "suggested_for", "suggestions_of"]
