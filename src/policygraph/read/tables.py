"""The graph as tables for people who work in a spreadsheet: one row per citation, per section.

``citations``: every claim of every assessment and each decision it cites, with the section and
chapter it judges, so "which decisions back which promise" is one filter away.
``sections``: every part of an agreement an assessment judges, or could, with its coverage.

A table is a value (its columns and its rows, sorted); the dumps write it as CSV
(``render.spreadsheet``), so equal content gives equal bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from policygraph.read.evidence.rows import local_name, number_key, select_rows, text
from policygraph.store import GraphStore

Cell = str | int


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


# One row per (claim, cited decision); a claim that cites none has one row without a decision,
# so that claims without evidence are counted too.
_CITATIONS = """
SELECT ?chapter ?chapterNumber ?chapterTitle ?section ?number ?sectionTitle ?report ?claim
       ?position ?part ?claimText ?decision ?uuid ?date ?kind ?decisionTitle WHERE {
  ?report a pg:AssessmentReport ; pg:assesses ?section ; pg:hasClaim ?claim .
  OPTIONAL { ?section pg:sectionNumber|pg:chapterNumber ?number }
  OPTIONAL { ?section dct:title ?sectionTitle }
  OPTIONAL { ?section pg:inChapter ?inChapter }
  BIND (COALESCE(?inChapter, ?section) AS ?chapter)
  OPTIONAL { ?chapter pg:chapterNumber ?chapterNumber }
  OPTIONAL { ?chapter dct:title ?chapterTitle }
  OPTIONAL { ?claim pg:position ?position }
  OPTIONAL { ?claim pg:inPart ?part }
  OPTIONAL { ?claim pg:claimText ?claimText }
  OPTIONAL {
    ?claim cito:citesAsEvidence ?decision .
    OPTIONAL { ?decision mu:uuid ?uuid }
    OPTIONAL { ?decision dct:date ?date }
    OPTIONAL { ?decision pg:decisionKind ?kind }
    OPTIONAL { ?decision dct:title ?decisionTitle }
  }
}
"""

_SECTIONS = """
SELECT ?chapter ?chapterNumber ?chapterTitle ?section ?number ?title ?report
       (COUNT(DISTINCT ?claim) AS ?claims) (COUNT(DISTINCT ?decision) AS ?decisions) WHERE {
  ?section pg:inChapter? ?chapter .
  ?chapter a pg:Chapter .
  { ?section pg:text ?text } UNION { ?someReport pg:assesses ?section }
  OPTIONAL { ?section pg:sectionNumber|pg:chapterNumber ?number }
  OPTIONAL { ?section dct:title ?title }
  OPTIONAL { ?chapter pg:chapterNumber ?chapterNumber }
  OPTIONAL { ?chapter dct:title ?chapterTitle }
  OPTIONAL {
    ?report pg:assesses ?section .
    OPTIONAL { ?report pg:hasClaim ?claim }
    OPTIONAL { ?report cito:citesAsEvidence ?decision }
  }
}
GROUP BY ?chapter ?chapterNumber ?chapterTitle ?section ?number ?title ?report
"""


def citations(store: GraphStore) -> Table:
    """One row per claim and decision it cites (one row with empty decision columns for a
    claim that cites none)."""
    rows: set[tuple[Cell, ...]] = set()
    for row in select_rows(store, _CITATIONS):
        rows.add(
            (
                text(row, "chapterNumber") or "",
                text(row, "chapterTitle") or "",
                text(row, "number") or "",
                text(row, "sectionTitle") or "",
                text(row, "section") or "",
                text(row, "report") or "",
                int(text(row, "position") or 0),
                local_name(text(row, "part")) or "",
                text(row, "claimText") or "",
                text(row, "claim") or "",
                text(row, "uuid") or "",
                (text(row, "date") or "")[:10],
                local_name(text(row, "kind")) or "",
                text(row, "decisionTitle") or "",
                text(row, "decision") or "",
            )
        )
    return Table(
        "citations",
        (
            "chapter_number",
            "chapter",
            "section_number",
            "section",
            "section_iri",
            "report_iri",
            "claim_position",
            "claim_part",
            "claim",
            "claim_iri",
            "decision_id",
            "decision_date",
            "decision_kind",
            "decision_title",
            "decision_iri",
        ),
        tuple(sorted(rows, key=_by_section(5, 6, 14))),
    )


def sections(store: GraphStore) -> Table:
    """One row per part of an agreement to assess: whether it is assessed, how many claims
    its assessment makes and how many decisions it cites."""
    rows = []
    for row in select_rows(store, _SECTIONS):
        report = text(row, "report") or ""
        decisions = int(text(row, "decisions") or 0)
        rows.append(
            (
                text(row, "chapterNumber") or "",
                text(row, "chapterTitle") or "",
                text(row, "number") or "",
                text(row, "title") or "",
                text(row, "section") or "",
                "yes" if report else "no",
                "yes" if decisions else "no",
                int(text(row, "claims") or 0),
                decisions,
                report,
            )
        )
    return Table(
        "sections",
        (
            "chapter_number",
            "chapter",
            "section_number",
            "section",
            "section_iri",
            "assessed",
            "with_evidence",
            "claims",
            "decisions_cited",
            "report_iri",
        ),
        tuple(sorted(rows, key=_by_section(4, 9))),
    )


TABLES: tuple[Callable[[GraphStore], Table], ...] = (citations, sections)
"""Every table the dumps carry as CSV."""


def _by_section(*then: int) -> Callable[[tuple[Cell, ...]], tuple[object, ...]]:
    """Rows in the agreement's order (chapter by number and title, as numbers restart in each
    part of the agreement; then section 2.10 after 2.9), then by the given columns."""

    def key(row: tuple[Cell, ...]) -> tuple[object, ...]:
        chapter = (number_key(str(row[0])), row[1])
        return (chapter, number_key(str(row[2])), *(row[i] for i in then))

    return key


__all__ = ["TABLES", "Table", "citations", "sections"]
