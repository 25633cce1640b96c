"""The list of the government's decisions: date, title, kind, and how many assessments cite it.

A decision may have a title from more than one source (the corpus, a report's reference list,
Themis); the list shows one, in the language asked for, the same on every page.
"""

from __future__ import annotations

from collections import defaultdict

from pyoxigraph import Literal, NamedNode

from policygraph.read.describe import best_literal, labels_for
from policygraph.read.evidence.rows import date_of, int_of, local_name, text
from policygraph.read.lists.model import (
    Column,
    Facet,
    ListKind,
    Order,
    Row,
    flag,
    select,
    text_key,
    value_key,
)
from policygraph.store import GraphStore

# Every decision, whatever its IRI: the list keeps those under its own (in Python, as a filter
# on STR(?d) here costs the query a third of its time).
_DECISIONS = """
SELECT ?d ?date ?kind ?title WHERE {
  ?d a pg:GovernmentDecision .
  OPTIONAL { ?d dct:date ?date }
  OPTIONAL { ?d pg:decisionKind ?kind }
  OPTIONAL { ?d dct:title ?title }
}
"""
# A decision no source titles is shown by the start of its text.
_UNTITLED = """
SELECT ?collection ?d ?text WHERE {
  ?d a pg:GovernmentDecision ; prov:value ?text .
  FILTER (STRSTARTS(STR(?d), STR(?collection)))
  FILTER NOT EXISTS { ?d dct:title ?title }
}
"""
EXCERPT = 120
"""The characters of its text an untitled decision is shown by."""
_CITED = """
SELECT ?d (COUNT(DISTINCT ?report) AS ?n) WHERE {
  ?report a pg:AssessmentReport ; cito:citesAsEvidence ?d .
}
GROUP BY ?d
"""


def decision_rows(store: GraphStore, collection: str, language: str) -> list[Row]:
    """Every decision whose IRI is under ``collection``."""
    dates: dict[str, str | None] = {}
    kinds: dict[str, str | None] = {}
    titles: dict[str, list[Literal]] = defaultdict(list)
    for row in select(store, _DECISIONS):
        iri = text(row, "d") or ""
        if not iri.startswith(collection):
            continue
        dates[iri] = min(filter(None, (dates.get(iri), text(row, "date"))), default=None)
        kinds[iri] = min(filter(None, (kinds.get(iri), text(row, "kind"))), default=None)
        title = row["title"]
        if isinstance(title, Literal):
            titles[iri].append(title)
    cited = {text(r, "d"): int_of(text(r, "n")) for r in select(store, _CITED)}
    excerpts = {
        text(r, "d"): _excerpt(text(r, "text") or "") for r in select(store, _UNTITLED, collection)
    }
    kind_labels = labels_for(
        store, [NamedNode(k) for k in sorted(set(filter(None, kinds.values())))], language
    )
    rows = []
    for iri, day in dates.items():
        kind = kinds[iri]
        title = best_literal(dict.fromkeys(titles[iri]), language)
        rows.append(
            Row(
                iri,
                {
                    "date": date_of(day),
                    "title": title.value if title is not None else None,
                    "excerpt": excerpts.get(iri),
                    "kind": kind_labels.get(kind or "", local_name(kind)),
                    "kind_code": local_name(kind),
                    "cited": cited.get(iri, 0),
                },
            )
        )
    return rows


def _excerpt(text: str) -> str:
    words = " ".join(text.split())
    if len(words) <= EXCERPT:
        return words
    return words[:EXCERPT].rsplit(" ", 1)[0] + " …"


def _year(row: Row) -> str | None:
    day = row.get("date")
    return None if day is None or isinstance(day, bool) else str(getattr(day, "year", ""))


def _kind(row: Row) -> str | None:
    value = row.get("kind_code")
    return value if isinstance(value, str) else None


DECISIONS = ListKind(
    name="decisions",
    columns=(
        Column("date", "date"),
        Column("title", "title"),
        Column("kind"),
        Column("cited", "number"),
    ),
    read=decision_rows,
    facets=(
        Facet("year", _year, pattern=r"\d{4}"),
        Facet("kind", _kind),
        Facet("cited", lambda row: flag(row.get("cited"))),
    ),
    orders=(
        Order("date", value_key("date")),
        Order("title", text_key("title")),
        Order("cited", value_key("cited")),
    ),
    default_order="-date",
)

__all__ = ["DECISIONS", "decision_rows"]
