"""The evidence about one organisation: the sections that name it, and what else concerns it.

The decisions the assessments of those sections cite, the campaigns that link to it, and a
first page of the decisions that link to it directly, with their total.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import NamedNode

from policygraph.read.describe import LANGUAGES
from policygraph.read.evidence.rows import (
    CitedDecision,
    Link,
    date_of,
    decision_order,
    link_to,
    prefer,
    select_rows,
    text,
)
from policygraph.store import GraphStore


@dataclass(frozen=True)
class OrganisationEvidence:
    iri: str
    label: str
    alt_labels: tuple[str, ...]
    sections: tuple[Link, ...]
    """Sections whose text names the organisation."""
    cited_for_sections: tuple[CitedDecision, ...]
    """Decisions the assessments of those sections cite."""
    campaigns: tuple[Link, ...]
    linked_decisions: tuple[CitedDecision, ...]
    """Decisions that link to the organisation directly (a first page of them)."""
    linked_decisions_total: int


_ORGANISATION = """
SELECT ?s ?label ?alt WHERE {
  { ?s skos:prefLabel ?label } UNION { ?s skos:altLabel ?alt }
}
"""
_ORG_SECTIONS = """
SELECT ?s ?section ?number ?title ?chapterTitle WHERE {
  ?s pg:mentionedIn ?section .
  OPTIONAL { ?section pg:sectionNumber ?number }
  OPTIONAL { ?section dct:title ?title }
  OPTIONAL { ?section pg:inChapter/dct:title ?chapterTitle }
}
"""
_ORG_CITED = """
SELECT DISTINCT ?s ?decision ?date ?dtitle WHERE {
  ?s pg:mentionedIn ?section .
  ?report pg:assesses ?section ; cito:citesAsEvidence ?decision .
  OPTIONAL { ?decision dct:date ?date }
  OPTIONAL { ?decision dct:title ?dtitle }
}
"""
_ORG_CAMPAIGNS = """
SELECT DISTINCT ?s ?campaign WHERE { ?campaign a pg:Campaign ; ?p ?s }
"""
_ORG_DECISIONS_COUNT = """
SELECT ?s (COUNT(DISTINCT ?decision) AS ?n) WHERE { ?decision a pg:GovernmentDecision ; ?p ?s }
GROUP BY ?s
"""
_ORG_DECISIONS = """
SELECT ?s ?decision ?date ?dtitle WHERE {
  { SELECT DISTINCT ?s ?decision WHERE { ?decision a pg:GovernmentDecision ; ?p ?s } }
  OPTIONAL { ?decision dct:date ?date }
  OPTIONAL { ?decision dct:title ?dtitle }
}
ORDER BY DESC(?date) ?decision
LIMIT %d
"""


def organisation_evidence(
    store: GraphStore, iri: NamedNode, language: str = LANGUAGES[0], *, limit: int = 50
) -> OrganisationEvidence | None:
    """The organisation ``iri`` and what concerns it; None when it has no skos:prefLabel."""
    rows = list(select_rows(store, _ORGANISATION, s=iri))
    label = prefer([r for r in rows if r["label"] is not None], "label", language)
    if label is None:
        return None
    sections = []
    for row in select_rows(store, _ORG_SECTIONS, s=iri):
        words = " ".join(x for x in (text(row, "number"), text(row, "title")) if x)
        chapter = text(row, "chapterTitle")
        sections.append(
            Link(text(row, "section") or "", f"{chapter}: {words}" if chapter else words)
        )
    cited = {
        text(r, "decision") or "": CitedDecision(
            text(r, "decision") or "", date_of(text(r, "date")), text(r, "dtitle") or ""
        )
        for r in select_rows(store, _ORG_CITED, s=iri)
    }
    total = sum(int(r["n"].value) for r in select_rows(store, _ORG_DECISIONS_COUNT, s=iri))
    linked: dict[str, CitedDecision] = {}
    if total:
        for r in select_rows(store, _ORG_DECISIONS % int(limit), s=iri):
            decision = text(r, "decision") or ""
            linked.setdefault(
                decision, CitedDecision(decision, date_of(text(r, "date")), text(r, "dtitle") or "")
            )
    return OrganisationEvidence(
        iri=iri.value,
        label=label,
        alt_labels=tuple(sorted({text(r, "alt") or "" for r in rows if r["alt"] is not None})),
        sections=tuple(sorted(set(sections), key=lambda link: link.label)),
        cited_for_sections=tuple(sorted(cited.values(), key=decision_order)),
        campaigns=tuple(
            sorted(
                {
                    link_to(store, text(r, "campaign") or "", language)
                    for r in select_rows(store, _ORG_CAMPAIGNS, s=iri)
                },
                key=lambda link: link.label,
            )
        ),
        linked_decisions=tuple(linked.values()),
        linked_decisions_total=total,
    )


__all__ = ["OrganisationEvidence", "organisation_evidence"]
