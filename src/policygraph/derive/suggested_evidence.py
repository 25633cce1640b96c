"""What the assessments missed: for each part of the agreement, the decisions that look related
and that its assessment does not cite.

Every section (or chapter) with a text of its own is a part the agreement asks to assess, with a
published report or not. Its text, as the agreement graph holds it (``pg:text``, not the
prompt's copy), is asked of the ranking of every decision of the version, the corpus's and any
harvested since (``derive.section_ranking``); the best ``SUGGESTIONS`` that no report of the
part cites are published as ``pg:EvidenceSuggestion`` nodes, each named by the part and the
decision so that a suggestion keeps its IRI when its rank moves.

The method is described in ``methods/suggesties.md``; its version names the method's IRI and
changes whenever what it computes changes (the ranking, its parameters, N).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode, QuerySolutions, Store, Triple

from policygraph.derive.derivation import Derivation, Derived
from policygraph.derive.section_ranking import SectionText, rank_for_section
from policygraph.derive.vector_ranking import VectorRanking
from policygraph.namespaces import DCT, FOAF, PG, PROV, RDF, SCHEMA, XSD, Minter, sparql_prologue

SLUG = "suggesties"
VERSION = "1"
SUGGESTIONS = 20
"""A list a reader scans on one screen; the reports cite a median of 25 decisions each, so twenty
more is as many again as a reader would check, not a second search engine."""
SCORE_DECIMALS = 3

_PARTS = (
    sparql_prologue()
    + """
SELECT ?part ?text ?title ?chapterTitle WHERE {
  ?part pg:text ?text .
  { ?part a pg:Section } UNION { ?part a pg:Chapter }
  OPTIONAL { ?part dct:title ?title }
  OPTIONAL { ?part pg:inChapter ?chapter . ?chapter dct:title ?chapterTitle }
}
"""
)

_CITED = (
    sparql_prologue()
    + """
SELECT ?part ?decision WHERE {
  ?report a pg:AssessmentReport ; pg:assesses ?part ; cito:citesAsEvidence ?decision .
}
"""
)


@dataclass(frozen=True)
class Part:
    """A part of the agreement to assess: its text and what its reports cite."""

    iri: str
    section: SectionText
    cited: frozenset[str]


def read_parts(store: Store) -> list[Part]:
    """Every section or chapter with a text, by IRI, with the decisions its reports cite."""
    texts: dict[str, dict[str, str]] = defaultdict(dict)
    solutions = store.query(_PARTS, use_default_graph_as_union=True)
    assert isinstance(solutions, QuerySolutions)
    for row in solutions:
        part = row["part"]
        if not isinstance(part, NamedNode):
            continue
        fields = texts[part.value]
        for name in ("text", "title", "chapterTitle"):
            value = row[name]
            # One value each: the smallest, should a source ever give two, for the same result.
            if isinstance(value, Literal) and (name not in fields or value.value < fields[name]):
                fields[name] = value.value
    cited: dict[str, set[str]] = defaultdict(set)
    solutions = store.query(_CITED, use_default_graph_as_union=True)
    assert isinstance(solutions, QuerySolutions)
    for row in solutions:
        part, decision = row["part"], row["decision"]
        if isinstance(part, NamedNode) and isinstance(decision, NamedNode):
            cited[part.value].add(decision.value)
    return [
        Part(
            iri,
            SectionText(
                text=fields["text"],
                title=fields.get("title", ""),
                chapter=fields.get("chapterTitle", ""),
            ),
            frozenset(cited[iri]),
        )
        for iri, fields in sorted(texts.items())
    ]


def suggestion_triples(
    store: Store,
    minter: Minter,
    ranking: VectorRanking,
    *,
    method: NamedNode,
    description: NamedNode,
) -> Iterator[Triple]:
    """The suggestions of every part of ``store``'s agreements, and the method's description
    (``method`` is its IRI with the version, ``description`` the source document of it)."""
    parts = read_parts(store)
    if parts:  # a version without an agreement uses no method
        yield from _method_triples(method, description)
    for part in parts:
        subject = NamedNode(part.iri)
        ranked = rank_for_section(ranking, part.section, SUGGESTIONS + len(part.cited))
        kept = [hit for hit in ranked if hit.iri not in part.cited][:SUGGESTIONS]
        for rank, hit in enumerate(kept, 1):
            decision = NamedNode(hit.iri)
            node = minter.suggestion(subject, decision)
            yield Triple(subject, PG.suggestedEvidence, node)
            yield Triple(node, RDF.type, PG.EvidenceSuggestion)
            yield Triple(node, PG.suggestedDecision, decision)
            yield Triple(node, PG.rank, Literal(str(rank), datatype=XSD.positiveInteger))
            yield Triple(node, PG.score, _decimal(hit.score))
            yield Triple(node, PG.method, method)
            yield Triple(node, PROV.wasDerivedFrom, subject)
            yield Triple(node, PROV.wasDerivedFrom, decision)


def _method_triples(method: NamedNode, description: NamedNode) -> Iterator[Triple]:
    yield Triple(method, RDF.type, PROV.Plan)
    for language, title in METHOD_TITLES.items():
        yield Triple(method, DCT.title, Literal(title, language=language))
    yield Triple(method, SCHEMA.version, Literal(VERSION))
    yield Triple(method, FOAF.isPrimaryTopicOf, description)


def _decimal(score: float) -> Literal:
    return Literal(f"{score:.{SCORE_DECIMALS}f}", datatype=XSD.decimal)


TITLE = "Beslissingen die de beoordelingen niet citeren en die op de sectie lijken"
METHOD_TITLES = {
    "nl": "Voorgestelde beslissingen: gelijkenis met de tekst van de sectie",
    "en": "Suggested decisions: similarity to the section's text",
}


def derive_suggested_evidence(given: Derived) -> Iterator[Triple]:
    minter = given.minter
    yield from suggestion_triples(
        given.store,
        minter,
        given.vectors,
        method=SUGGESTED_EVIDENCE.method(minter),
        description=minter.source(SUGGESTED_EVIDENCE.document(minter).slug),
    )


SUGGESTED_EVIDENCE = Derivation(
    slug=SLUG, title=TITLE, version=VERSION, derive=derive_suggested_evidence
)

__all__ = [
    "SLUG",
    "SUGGESTED_EVIDENCE",
    "SUGGESTIONS",
    "TITLE",
    "VERSION",
    "Part",
    "read_parts",
    "suggestion_triples",
]
