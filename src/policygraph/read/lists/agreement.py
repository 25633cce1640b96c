"""The lists of the coalition agreements, and of each agreement's chapters and sections.

A part is assessed when a report assesses it, and has evidence when that assessment cites a
decision (as the home page's coverage counts it). The chapters and sections of an agreement are
those whose IRI is under the agreement's own, so each agreement lists only its own parts.
"""

from __future__ import annotations

from collections import defaultdict

from pyoxigraph import QuerySolution

from policygraph.read.evidence.rows import Link, int_of, local_name, number_key, text
from policygraph.read.lists.model import (
    Column,
    Facet,
    ListKind,
    Order,
    Row,
    best_text,
    flag,
    grouped,
    select,
    text_key,
    value_key,
)
from policygraph.store import GraphStore

_AGREEMENTS = """
SELECT ?collection ?a ?title
  (COUNT(DISTINCT ?chapter) AS ?chapters) (COUNT(DISTINCT ?section) AS ?sections)
WHERE {
  ?a a pg:CoalitionAgreement .
  FILTER (STRSTARTS(STR(?a), STR(?collection)))
  OPTIONAL { ?a dct:title ?title }
  OPTIONAL { ?chapter a pg:Chapter ; dct:isPartOf ?a .
             OPTIONAL { ?section pg:inChapter ?chapter } }
}
GROUP BY ?collection ?a ?title
"""
_CHAPTERS = """
SELECT ?collection ?c ?number ?title WHERE {
  ?c a pg:Chapter .
  FILTER (STRSTARTS(STR(?c), STR(?collection)))
  OPTIONAL { ?c pg:chapterNumber ?number }
  OPTIONAL { ?c dct:title ?title }
}
"""
# The parts of a chapter to assess: those with text of their own, and any other assessed.
_CHAPTER_PARTS = """
SELECT DISTINCT ?collection ?c ?part ?assessed ?evidenced WHERE {
  ?c a pg:Chapter .
  FILTER (STRSTARTS(STR(?c), STR(?collection)))
  ?part pg:inChapter? ?c .
  { ?part pg:text ?text } UNION { ?someReport pg:assesses ?part }
  BIND (EXISTS { ?report pg:assesses ?part } AS ?assessed)
  BIND (EXISTS { ?citing pg:assesses ?part ; cito:citesAsEvidence ?decision } AS ?evidenced)
}
"""
_SECTIONS = """
SELECT ?collection ?s ?number ?title ?chapter ?chapterNumber ?chapterTitle ?assessed ?decisions
WHERE {
  ?s a pg:Section .
  FILTER (STRSTARTS(STR(?s), STR(?collection)))
  OPTIONAL { ?s pg:sectionNumber ?number }
  OPTIONAL { ?s dct:title ?title }
  OPTIONAL {
    ?s pg:inChapter ?chapter .
    OPTIONAL { ?chapter pg:chapterNumber ?chapterNumber }
    OPTIONAL { ?chapter dct:title ?chapterTitle }
  }
  BIND (EXISTS { ?report pg:assesses ?s } AS ?assessed)
  { SELECT ?s (COUNT(DISTINCT ?decision) AS ?decisions) WHERE {
      ?s a pg:Section .
      OPTIONAL { ?citing pg:assesses ?s ; cito:citesAsEvidence ?decision }
    } GROUP BY ?s }
}
"""


def agreement_rows(store: GraphStore, collection: str, language: str) -> list[Row]:
    return [
        Row(
            iri,
            {
                "title": best_text(rows, "title", language) or local_name(iri),
                "chapters": max(int_of(text(r, "chapters")) for r in rows),
                "sections": max(int_of(text(r, "sections")) for r in rows),
            },
        )
        for iri, rows in grouped(store, _AGREEMENTS, collection, "a").items()
    ]


def chapter_rows(store: GraphStore, collection: str, language: str) -> list[Row]:
    parts: dict[str, dict[str, tuple[bool, bool]]] = defaultdict(dict)
    for row in select(store, _CHAPTER_PARTS, collection):
        parts[text(row, "c") or ""][text(row, "part") or ""] = (
            text(row, "assessed") == "true",
            text(row, "evidenced") == "true",
        )
    result = []
    for iri, rows in grouped(store, _CHAPTERS, collection, "c").items():
        covered = parts.get(iri, {})
        result.append(
            Row(
                iri,
                {
                    "number": text(rows[0], "number"),
                    "title": best_text(rows, "title", language) or local_name(iri),
                    "parts": len(covered),
                    "assessed": sum(assessed for assessed, _ in covered.values()),
                    "with_evidence": sum(evidenced for _, evidenced in covered.values()),
                },
            )
        )
    return result


def section_rows(store: GraphStore, collection: str, language: str) -> list[Row]:
    result = []
    for iri, rows in grouped(store, _SECTIONS, collection, "s").items():
        decisions = int_of(text(rows[0], "decisions"))
        result.append(
            Row(
                iri,
                {
                    "number": text(rows[0], "number"),
                    "title": best_text(rows, "title", language) or local_name(iri),
                    "chapter": chapter_link(rows, language),
                    "chapter_number": text(rows[0], "chapterNumber"),
                    "assessed": text(rows[0], "assessed") == "true",
                    "with_evidence": decisions > 0,
                    "decisions": decisions,
                },
            )
        )
    return result


def in_agreement_order(row: Row) -> object:
    """Chapters by number, then by name (five chapters are number 1); sections within them."""
    chapter = row.get("chapter")
    chapter_number = row.get("chapter_number")
    number = row.get("number")
    return (
        number_key(chapter_number if isinstance(chapter_number, str) else None),
        text_key("chapter")(row) or "" if isinstance(chapter, Link) else "",
        number_key(number if isinstance(number, str) else None),
    )


def _chapter_order(row: Row) -> object:
    number = row.get("number")
    return (number_key(number if isinstance(number, str) else None), text_key("title")(row))


def chapter_slug(row: Row) -> str | None:
    chapter = row.get("chapter")
    return local_name(chapter.iri) if isinstance(chapter, Link) else None


def chapter_link(rows: list[QuerySolution], language: str) -> Link | None:
    """The chapter of the rows' ``?chapter``, named by its number and title; None without one."""
    chapter = text(rows[0], "chapter")
    if chapter is None:
        return None
    title = best_text(rows, "chapterTitle", language) or local_name(chapter) or ""
    number = text(rows[0], "chapterNumber")
    return Link(chapter, f"{number} {title}" if number else title)


def chapter_label(row: Row) -> str:
    chapter = row.get("chapter")
    return chapter.label if isinstance(chapter, Link) else ""


CHAPTER_FACET = Facet(
    "chapter",
    chapter_slug,
    label=chapter_label,
    order=lambda value, label: (number_key(label.split(" ", 1)[0]), label),
)
"""The chapter a section or report is in, chapters in the agreement's order."""

AGREEMENTS = ListKind(
    name="agreements",
    columns=(Column("title", "title"), Column("chapters", "number"), Column("sections", "number")),
    read=agreement_rows,
    orders=(Order("title", text_key("title")),),
    default_order="title",
)
CHAPTERS = ListKind(
    name="chapters",
    columns=(
        Column("number"),
        Column("title", "title"),
        Column("parts", "number"),
        Column("assessed", "number"),
        Column("with_evidence", "number"),
    ),
    read=chapter_rows,
    orders=(
        Order("number", _chapter_order),
        Order("title", text_key("title")),
        Order("with_evidence", value_key("with_evidence")),
    ),
    default_order="number",
)
SECTIONS = ListKind(
    name="sections",
    columns=(
        Column("number"),
        Column("title", "title"),
        Column("chapter", "link"),
        Column("assessed", "flag"),
        Column("with_evidence", "flag"),
        Column("decisions", "number"),
    ),
    read=section_rows,
    facets=(
        CHAPTER_FACET,
        Facet("assessed", lambda row: flag(row.get("assessed"))),
        Facet("with_evidence", lambda row: flag(row.get("with_evidence"))),
    ),
    orders=(
        Order("number", in_agreement_order),
        Order("title", text_key("title")),
        Order("decisions", value_key("decisions")),
    ),
    default_order="number",
)

__all__ = [
    "AGREEMENTS",
    "CHAPTERS",
    "SECTIONS",
    "agreement_rows",
    "chapter_label",
    "chapter_rows",
    "chapter_slug",
    "in_agreement_order",
    "section_rows",
]
