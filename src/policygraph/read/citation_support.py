"""How well the citations hold, as pages show it: a badge per claim → decision, and the shares of
weak and unsupported citations per chapter for the home page.

The values are those of the derived graph ``{base}/graph/citatiesteun`` (``derive``); a version
without it shows no badges and no chart.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import NamedNode

from policygraph.read.describe import LANGUAGES
from policygraph.read.evidence.rows import (
    Link,
    local_name,
    number_key,
    prefer,
    select_rows,
    text,
)
from policygraph.store import GraphStore

LEVEL_PREFIX = "https://data.policygraph.be/ns/concept/citation-"


@dataclass(frozen=True)
class SupportBadge:
    """The support of one claim citing one decision, and the checks behind it."""

    level: str
    """supported, weak or unsupported."""
    similarity: float
    among_candidates: bool | None
    candidates: int | None
    """How many candidates the report's prompt held."""
    inside_legislature: bool | None
    inside_claim_period: bool | None
    matched_terms: int
    specific_terms: int


@dataclass(frozen=True)
class ChapterSupport:
    chapter: Link
    number: str | None
    citations: int
    weak: int
    unsupported: int

    @property
    def weak_share(self) -> float:
        return self.weak / self.citations if self.citations else 0.0

    @property
    def unsupported_share(self) -> float:
        return self.unsupported / self.citations if self.citations else 0.0


# ?s is the part of the agreement a page shows (every claim of its reports) or one claim.
_BADGES = """
SELECT ?s ?claim ?decision ?level ?similarity ?among ?legislature ?period ?terms ?matched ?count
WHERE {
  { ?report pg:assesses ?s ; pg:hasClaim ?claim }
  UNION
  { ?report pg:hasClaim ?s . BIND (?s AS ?claim) }
  ?claim pg:citationAssessment ?assessment .
  ?assessment pg:assessedDecision ?decision ;
    pg:supportLevel ?level ;
    pg:supportSimilarity ?similarity ;
    pg:specificTermCount ?terms ;
    pg:matchedTermCount ?matched .
  OPTIONAL { ?assessment pg:amongCandidates ?among }
  OPTIONAL { ?assessment pg:insideLegislature ?legislature }
  OPTIONAL { ?assessment pg:insideClaimPeriod ?period }
  OPTIONAL { ?report prov:wasGeneratedBy/prov:used/pg:candidateCount ?count }
}
"""
_CHAPTERS = """
SELECT ?chapter ?number ?title ?citations ?weak ?unsupported WHERE {
  ?summary a pg:CitationSupportSummary ;
    pg:summarises ?chapter ;
    pg:citationCount ?citations ;
    pg:weakCitationCount ?weak ;
    pg:unsupportedCitationCount ?unsupported .
  ?chapter a pg:Chapter .
  OPTIONAL { ?chapter pg:chapterNumber ?number }
  OPTIONAL { ?chapter dct:title ?title }
}
"""


def _boolean(value: str | None) -> bool | None:
    return None if value is None else value == "true"


def support_badges(store: GraphStore, iri: NamedNode) -> dict[tuple[str, str], SupportBadge]:
    """The badge of each (claim, decision) cited on the page of ``iri``: a section, chapter or
    agreement (the claims of its reports) or a claim."""
    badges = {}
    for row in select_rows(store, _BADGES, s=iri):
        count = text(row, "count")
        badges[(text(row, "claim") or "", text(row, "decision") or "")] = SupportBadge(
            level=(text(row, "level") or "").removeprefix(LEVEL_PREFIX),
            similarity=float(text(row, "similarity") or 0),
            among_candidates=_boolean(text(row, "among")),
            candidates=int(count) if count else None,
            inside_legislature=_boolean(text(row, "legislature")),
            inside_claim_period=_boolean(text(row, "period")),
            matched_terms=int(text(row, "matched") or 0),
            specific_terms=int(text(row, "terms") or 0),
        )
    return badges


def chapter_support(store: GraphStore, language: str = LANGUAGES[0]) -> tuple[ChapterSupport, ...]:
    """Each chapter with citations, in the order of its number and title."""
    rows = list(select_rows(store, _CHAPTERS))
    found = []
    for chapter in dict.fromkeys(text(row, "chapter") or "" for row in rows):
        own = [row for row in rows if text(row, "chapter") == chapter]
        first = own[0]
        found.append(
            ChapterSupport(
                chapter=Link(chapter, prefer(own, "title", language) or local_name(chapter) or ""),
                number=text(first, "number"),
                citations=int(text(first, "citations") or 0),
                weak=int(text(first, "weak") or 0),
                unsupported=int(text(first, "unsupported") or 0),
            )
        )
    return tuple(sorted(found, key=lambda c: (number_key(c.number), c.chapter.label)))


__all__ = ["ChapterSupport", "SupportBadge", "chapter_support", "support_badges"]
