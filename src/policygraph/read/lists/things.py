"""The lists of the curated things: organisations, campaigns and persons.

They are few (tens), labelled with ``skos:prefLabel`` or ``foaf:name``; the words for their
kinds, statuses and sectors are the labels the ontology and the code lists give them.
"""

from __future__ import annotations

from collections.abc import Callable

from pyoxigraph import NamedNode

from policygraph.namespaces import PREFIXES
from policygraph.read.describe import labels_for
from policygraph.read.evidence.rows import Link, date_of, int_of, local_name, text
from policygraph.read.lists.model import (
    Column,
    Facet,
    ListKind,
    Order,
    Row,
    best_text,
    grouped,
    select,
    text_key,
    value_key,
)
from policygraph.store import GraphStore

_ORGANISATIONS = """
SELECT ?collection ?o ?type ?label WHERE {
  ?o a ?type .
  FILTER (STRSTARTS(STR(?o), STR(?collection)))
  OPTIONAL { ?o skos:prefLabel ?label }
}
"""
_MENTIONS = """
SELECT ?o (COUNT(DISTINCT ?part) AS ?n) WHERE { ?o pg:mentionedIn ?part } GROUP BY ?o
"""
_CAMPAIGNS = """
SELECT ?collection ?c ?label ?status ?sector ?organiser ?start WHERE {
  ?c a pg:Campaign .
  FILTER (STRSTARTS(STR(?c), STR(?collection)))
  OPTIONAL { ?c skos:prefLabel ?label }
  OPTIONAL { ?c pg:campaignStatus ?status }
  OPTIONAL { ?c pg:sector ?sector }
  OPTIONAL { ?c pg:organiser ?organiser }
  OPTIONAL { ?c schema:startDate ?start }
}
"""
_PERSONS = """
SELECT ?collection ?p ?name WHERE {
  ?p a foaf:Person .
  FILTER (STRSTARTS(STR(?p), STR(?collection)))
  OPTIONAL { ?p foaf:name ?name }
}
"""
# The most specific kind first: a government body is a formal organisation too.
_ORGANISATION_KINDS = tuple(
    PREFIXES[prefix] + name
    for prefix, name in (
        ("pg", "GovernmentBody"),
        ("pg", "Agency"),
        ("pg", "Company"),
        ("org", "OrganizationalUnit"),
        ("org", "Site"),
        ("org", "FormalOrganization"),
        ("org", "Organization"),
    )
)


def _labels(store: GraphStore, iris: set[str | None], language: str) -> dict[str, str]:
    return labels_for(store, [NamedNode(i) for i in sorted(filter(None, iris))], language)


def organisation_rows(store: GraphStore, collection: str, language: str) -> list[Row]:
    groups = grouped(store, _ORGANISATIONS, collection, "o")
    kinds = {
        iri: next((k for k in _ORGANISATION_KINDS if k in {text(r, "type") for r in rows}), None)
        for iri, rows in groups.items()
    }
    words = _labels(store, set(kinds.values()), language)
    mentions = {text(r, "o"): int_of(text(r, "n")) for r in select(store, _MENTIONS)}
    return [
        Row(
            iri,
            {
                "title": best_text(rows, "label", language) or local_name(iri),
                "kind": words.get(kinds[iri] or "", local_name(kinds[iri])),
                "kind_code": local_name(kinds[iri]),
                "named_in": mentions.get(iri, 0),
            },
        )
        for iri, rows in groups.items()
        if kinds[iri] is not None
    ]


def campaign_rows(store: GraphStore, collection: str, language: str) -> list[Row]:
    groups = grouped(store, _CAMPAIGNS, collection, "c")
    named = {text(r, key) for rows in groups.values() for r in rows for key in ("status", "sector")}
    organisers = {text(r, "organiser") for rows in groups.values() for r in rows}
    words = _labels(store, named | organisers, language)
    result = []
    for iri, rows in groups.items():
        status, sector, organiser = (text(rows[0], k) for k in ("status", "sector", "organiser"))
        result.append(
            Row(
                iri,
                {
                    "title": best_text(rows, "label", language) or local_name(iri),
                    "status": words.get(status or "", local_name(status)),
                    "status_code": local_name(status),
                    "sector": words.get(sector or "", local_name(sector)),
                    "organiser": Link(organiser, words.get(organiser, local_name(organiser) or ""))
                    if organiser
                    else None,
                    "start": date_of(text(rows[0], "start")),
                },
            )
        )
    return result


def person_rows(store: GraphStore, collection: str, language: str) -> list[Row]:
    return [
        Row(iri, {"title": best_text(rows, "name", language) or local_name(iri)})
        for iri, rows in grouped(store, _PERSONS, collection, "p").items()
    ]


def _code(key: str) -> Callable[[Row], str | None]:
    def of(row: Row) -> str | None:
        value = row.get(key)
        return value if isinstance(value, str) else None

    return of


def _words(key: str) -> Callable[[Row], str]:
    def of(row: Row) -> str:
        return str(row.get(key) or "")

    return of


ORGANISATIONS = ListKind(
    name="organisations",
    columns=(
        Column("title", "title"),
        Column("kind"),
        Column("named_in", "number"),
    ),
    read=organisation_rows,
    facets=(Facet("kind", _code("kind_code"), label=_words("kind")),),
    orders=(
        Order("title", text_key("title")),
        Order("named_in", value_key("named_in")),
    ),
    default_order="title",
)
CAMPAIGNS = ListKind(
    name="campaigns",
    columns=(
        Column("title", "title"),
        Column("status"),
        Column("sector"),
        Column("organiser", "link"),
        Column("start", "date"),
    ),
    read=campaign_rows,
    facets=(Facet("status", _code("status_code"), label=_words("status")),),
    orders=(Order("title", text_key("title")), Order("start", value_key("start"))),
    default_order="title",
)
PERSONS = ListKind(
    name="persons",
    columns=(Column("title", "title"),),
    read=person_rows,
    orders=(Order("title", text_key("title")),),
    default_order="title",
)

__all__ = [
    "CAMPAIGNS",
    "ORGANISATIONS",
    "PERSONS",
    "campaign_rows",
    "organisation_rows",
    "person_rows",
]
