"""How much of the agreement the graph covers: per chapter, per month, and a few totals.

A part of a chapter is assessed when a report assesses it, and has evidence when that
assessment cites at least one decision; the months count the decisions taken and, of those,
the ones an assessment cites.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from pyoxigraph import QuerySolution

from policygraph.namespaces import PREFIXES
from policygraph.read.describe import LANGUAGES
from policygraph.read.evidence.rows import Link, local_name, number_key, prefer, select_rows, text
from policygraph.store import GraphStore


@dataclass(frozen=True)
class ChapterCoverage:
    chapter: Link
    number: str | None
    sections: int
    """Parts of the chapter to assess: sections with text of their own (or the chapter itself,
    when it is one section), and any other part that has an assessment."""
    assessed: int
    """Of those, the parts that have an assessment."""
    with_evidence: int
    """Of those, the parts whose assessment cites at least one decision."""

    @property
    def without_evidence(self) -> int:
        """Assessed, but the assessment cites no decision."""
        return self.assessed - self.with_evidence

    @property
    def not_assessed(self) -> int:
        return self.sections - self.assessed


@dataclass(frozen=True)
class MonthCount:
    month: str
    """YYYY-MM."""
    decisions: int
    cited: int
    """Of those, the decisions an assessment cites."""


@dataclass(frozen=True)
class Overview:
    coverage: tuple[ChapterCoverage, ...]
    months: tuple[MonthCount, ...]
    counts: dict[str, int] = field(default_factory=dict)


_COVERAGE_CHAPTERS = """
SELECT ?chapter ?number ?title WHERE {
  ?chapter a pg:Chapter .
  OPTIONAL { ?chapter pg:chapterNumber ?number }
  OPTIONAL { ?chapter dct:title ?title }
}
"""
_COVERAGE_PARTS = """
SELECT DISTINCT ?chapter ?part ?assessed ?evidenced WHERE {
  ?chapter a pg:Chapter .
  ?part pg:inChapter? ?chapter .
  { ?part pg:text ?text } UNION { ?someReport pg:assesses ?part }
  BIND (EXISTS { ?report pg:assesses ?part } AS ?assessed)
  BIND (EXISTS { ?citing pg:assesses ?part ; cito:citesAsEvidence ?decision } AS ?evidenced)
}
"""
_MONTHS = """
SELECT ?month (COUNT(DISTINCT ?decision) AS ?decisions) (COUNT(DISTINCT ?cited) AS ?citedCount)
WHERE {
  ?decision a pg:GovernmentDecision ; dct:date ?date .
  BIND (SUBSTR(STR(?date), 1, 7) AS ?month)
  OPTIONAL {
    ?report a pg:AssessmentReport ; cito:citesAsEvidence ?decision .
    BIND (?decision AS ?cited)
  }
}
GROUP BY ?month ORDER BY ?month
"""
_COUNTS = {
    "sections": "pg:Section",
    "chapters": "pg:Chapter",
    "reports": "pg:AssessmentReport",
    "claims": "pg:Claim",
    "decisions": "pg:GovernmentDecision",
    "organisations": "org:FormalOrganization",
    "campaigns": "pg:Campaign",
}
_COUNT_CLASSES = """
SELECT ?class (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?class } GROUP BY ?class
"""


def overview(store: GraphStore, language: str = LANGUAGES[0]) -> Overview:
    """Coverage of the agreement per chapter, decisions per month, and a few totals."""
    titles: dict[str, list[QuerySolution]] = defaultdict(list)
    for row in select_rows(store, _COVERAGE_CHAPTERS):
        titles[text(row, "chapter") or ""].append(row)
    parts: dict[str, dict[str, tuple[bool, bool]]] = defaultdict(dict)
    for row in select_rows(store, _COVERAGE_PARTS):
        chapter_parts = parts[text(row, "chapter") or ""]
        chapter_parts[text(row, "part") or ""] = (
            text(row, "assessed") == "true",
            text(row, "evidenced") == "true",
        )
    coverage = []
    for chapter, rows in titles.items():
        covered = parts.get(chapter, {})
        coverage.append(
            ChapterCoverage(
                chapter=Link(chapter, prefer(rows, "title", language) or local_name(chapter) or ""),
                number=text(rows[0], "number"),
                sections=len(covered),
                assessed=sum(assessed for assessed, _ in covered.values()),
                with_evidence=sum(evidenced for _, evidenced in covered.values()),
            )
        )
    coverage.sort(key=lambda c: (number_key(c.number), c.chapter.label))
    months = tuple(
        MonthCount(
            text(r, "month") or "",
            int(text(r, "decisions") or 0),
            int(text(r, "citedCount") or 0),
        )
        for r in select_rows(store, _MONTHS)
    )
    by_class = {
        text(r, "class"): int(text(r, "n") or 0) for r in select_rows(store, _COUNT_CLASSES)
    }
    counts = {}
    for name, curie in _COUNTS.items():
        prefix, local = curie.split(":")
        counts[name] = by_class.get(PREFIXES[prefix] + local, 0)
    return Overview(coverage=tuple(coverage), months=months, counts=counts)


__all__ = ["ChapterCoverage", "MonthCount", "Overview", "overview"]
