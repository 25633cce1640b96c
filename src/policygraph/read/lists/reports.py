"""The list of an agreement's assessment reports: the part each judges, its chapter, how many
claims it makes and how many decisions it cites."""

from __future__ import annotations

from policygraph.read.evidence.rows import int_of, local_name, text
from policygraph.read.lists.agreement import CHAPTER_FACET, chapter_link, in_agreement_order
from policygraph.read.lists.model import (
    Column,
    ListKind,
    Order,
    Row,
    best_text,
    grouped,
    text_key,
    value_key,
)
from policygraph.store import GraphStore

# The part a report judges is a section (in a chapter) or a chapter that is one section.
_REPORTS = """
SELECT ?collection ?r ?title ?number ?chapter ?chapterNumber ?chapterTitle ?claims ?decisions
WHERE {
  ?r a pg:AssessmentReport .
  FILTER (STRSTARTS(STR(?r), STR(?collection)))
  OPTIONAL { ?r dct:title ?title }
  OPTIONAL {
    ?r pg:assesses ?part .
    OPTIONAL { ?part pg:sectionNumber ?number }
    ?part pg:inChapter? ?chapter .
    ?chapter a pg:Chapter .
    OPTIONAL { ?chapter pg:chapterNumber ?chapterNumber }
    OPTIONAL { ?chapter dct:title ?chapterTitle }
  }
  { SELECT ?r (COUNT(DISTINCT ?claim) AS ?claims) (COUNT(DISTINCT ?decision) AS ?decisions)
    WHERE {
      ?r a pg:AssessmentReport .
      OPTIONAL { ?r pg:hasClaim ?claim }
      OPTIONAL { ?r cito:citesAsEvidence ?decision }
    } GROUP BY ?r }
}
"""


def report_rows(store: GraphStore, collection: str, language: str) -> list[Row]:
    result = []
    for iri, rows in grouped(store, _REPORTS, collection, "r").items():
        result.append(
            Row(
                iri,
                {
                    "number": text(rows[0], "number"),
                    "title": best_text(rows, "title", language) or local_name(iri),
                    "chapter": chapter_link(rows, language),
                    "chapter_number": text(rows[0], "chapterNumber"),
                    "claims": int_of(text(rows[0], "claims")),
                    "decisions": int_of(text(rows[0], "decisions")),
                },
            )
        )
    return result


REPORTS = ListKind(
    name="reports",
    columns=(
        Column("number"),
        Column("title", "title"),
        Column("chapter", "link"),
        Column("claims", "number"),
        Column("decisions", "number"),
    ),
    read=report_rows,
    facets=(CHAPTER_FACET,),
    orders=(
        Order("number", in_agreement_order),
        Order("title", text_key("title")),
        Order("decisions", value_key("decisions")),
        Order("claims", value_key("claims")),
    ),
    default_order="number",
)

__all__ = ["REPORTS", "report_rows"]
