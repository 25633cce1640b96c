"""What the search index holds: one document per section, claim, decision, organisation and
campaign, read from a published store with SPARQL.

Each document has a title and a body (the words a person searches), ``extra`` words that help
find it without being shown (a chapter's name, alternative labels), and the values the facets
count: its date and year, its chapters, its kind, the organisations it names, and for a decision
whether a report cites it. The organisations a decision names are found in its title and text
with the same ``pg:matchPattern`` expressions that find them in the agreement's sections.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode, QuerySolutions

from policygraph.store import GraphStore

TYPES = ("section", "claim", "decision", "organisation", "campaign")
"""The kinds of resource the index holds, as the search's ``type`` parameter names them."""

PREFIXES = """
PREFIX pg: <https://data.policygraph.be/ns/policygraph#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX cito: <http://purl.org/spar/cito/>
PREFIX schema: <http://schema.org/>
PREFIX org: <http://www.w3.org/ns/org#>
"""


@dataclass(frozen=True)
class SearchDocument:
    """One resource as the index holds it."""

    iri: str
    type: str
    title: str
    body: str
    extra: str = ""
    date: str | None = None
    chapters: tuple[str, ...] = ()
    kind: str | None = None
    organisations: tuple[str, ...] = ()
    cited: bool | None = None

    @property
    def year(self) -> str | None:
        return self.date[:4] if self.date else None


@dataclass(frozen=True)
class Corpus:
    """The documents, and the labels of the IRIs their facets name (chapters, organisations,
    kinds), so that a facet can be shown by name."""

    documents: tuple[SearchDocument, ...]
    labels: dict[str, str] = field(default_factory=dict)


def read_corpus(store: GraphStore) -> Corpus:
    """Every searchable resource of ``store``."""
    labels: dict[str, str] = {}
    chapters = _chapters(store, labels)
    patterns = _organisations_patterns(store)
    documents = [
        *_sections(store, chapters),
        *_claims(store, chapters),
        *_decisions(store, chapters, patterns),
        *_organisations(store, labels),
        *_campaigns(store),
    ]
    labels.update(_kind_labels(store))
    return Corpus(tuple(documents), labels)


def _rows(store: GraphStore, query: str) -> Iterator[dict[str, str]]:
    """The solutions of ``query`` as plain strings (unbound variables left out)."""
    result = store.query(PREFIXES + query)
    assert isinstance(result, QuerySolutions)
    names = [variable.value for variable in result.variables]
    for solution in result:
        row = {}
        for name in names:
            term = solution[name]
            if isinstance(term, NamedNode | Literal):
                row[name] = term.value
        yield row


def _grouped(rows: Iterable[dict[str, str]], key: str) -> dict[str, list[dict[str, str]]]:
    groups: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        groups[row[key]].append(row)
    return groups


def _first(rows: list[dict[str, str]], name: str) -> str:
    """The first value of ``name`` in the rows, Dutch before any other language, or ''."""
    return next((row[name] for row in rows if name in row), "")


def _values(rows: list[dict[str, str]], name: str) -> list[str]:
    return list(dict.fromkeys(row[name] for row in rows if name in row))


@dataclass(frozen=True)
class _Part:
    """A section or chapter of the agreement: its number and title, and its chapter."""

    number: str
    title: str
    chapter: str


def _chapters(store: GraphStore, labels: dict[str, str]) -> dict[str, _Part]:
    """Every section and chapter → its number, title and chapter; chapter labels into
    ``labels``."""
    parts: dict[str, _Part] = {}
    rows = _rows(
        store,
        """SELECT ?part ?number ?title ?chapter WHERE {
          { ?part a pg:Chapter . BIND(?part AS ?chapter)
            OPTIONAL { ?part pg:chapterNumber ?number } }
          UNION { ?part a pg:Section ; pg:inChapter ?chapter .
            OPTIONAL { ?part pg:sectionNumber ?number } }
          OPTIONAL { ?part dct:title ?title }
        }""",
    )
    for iri, group in _grouped(rows, "part").items():
        part = _Part(_first(group, "number"), _first(group, "title"), _first(group, "chapter"))
        parts[iri] = part
        if part.chapter == iri:
            labels[iri] = part.title
    return parts


def _sections(store: GraphStore, parts: dict[str, _Part]) -> Iterator[SearchDocument]:
    rows = _rows(
        store,
        """SELECT ?s ?text ?org WHERE {
          ?s a pg:Section .
          OPTIONAL { ?s pg:text ?text }
          OPTIONAL { ?org pg:mentionedIn ?s }
        }""",
    )
    for iri, group in _grouped(rows, "s").items():
        part = parts[iri]
        chapter = parts.get(part.chapter)
        yield SearchDocument(
            iri=iri,
            type="section",
            title=f"{part.number} {part.title}".strip(),
            body=" ".join(_values(group, "text")),
            extra=chapter.title if chapter else "",
            chapters=(part.chapter,),
            organisations=tuple(sorted(_values(group, "org"))),
        )


def _claims(store: GraphStore, parts: dict[str, _Part]) -> Iterator[SearchDocument]:
    rows = _rows(
        store,
        """SELECT ?c ?text ?theme ?part ?report ?reportTitle WHERE {
          ?c a pg:Claim ; pg:claimText ?text ; dct:isPartOf ?report .
          ?report pg:assesses ?part .
          OPTIONAL { ?c pg:theme ?theme }
          OPTIONAL { ?report dct:title ?reportTitle }
        }""",
    )
    for iri, group in _grouped(rows, "c").items():
        part = parts.get(_first(group, "part"))
        theme = _first(group, "theme")
        where = f"{part.number} {part.title}".strip() if part else _first(group, "reportTitle")
        chapter = parts.get(part.chapter) if part else None
        yield SearchDocument(
            iri=iri,
            type="claim",
            title=f"{where}: {theme}" if theme else where,
            body=" ".join(_values(group, "text")),
            extra=" ".join([_first(group, "reportTitle"), chapter.title if chapter else ""]),
            chapters=(part.chapter,) if part else (),
        )


def _decisions(
    store: GraphStore, parts: dict[str, _Part], patterns: dict[str, re.Pattern[str]]
) -> Iterator[SearchDocument]:
    rows = _rows(
        store,
        """SELECT ?d ?title ?text ?date ?kind ?part WHERE {
          ?d a pg:GovernmentDecision .
          OPTIONAL { ?d dct:title ?title }
          OPTIONAL { ?d prov:value ?text }
          OPTIONAL { ?d dct:date ?date }
          OPTIONAL { ?d pg:decisionKind ?kind }
          OPTIONAL { ?report cito:citesAsEvidence ?d ; a pg:AssessmentReport ; pg:assesses ?part }
        }""",
    )
    for iri, group in _grouped(rows, "d").items():
        titles = _values(group, "title")
        texts = _values(group, "text")
        cited_in = _values(group, "part")
        chapters = tuple(sorted({parts[p].chapter for p in cited_in if p in parts}))
        words = " ".join([*titles, *texts])
        yield SearchDocument(
            iri=iri,
            type="decision",
            title=titles[0] if titles else "",
            body=" ".join(texts),
            extra=" ".join(titles[1:]),
            date=_first(group, "date") or None,
            chapters=chapters,
            kind=_first(group, "kind") or None,
            organisations=tuple(sorted(o for o, p in patterns.items() if p.search(words))),
            cited=bool(cited_in),
        )


def _organisations(store: GraphStore, labels: dict[str, str]) -> Iterator[SearchDocument]:
    rows = _rows(
        store,
        """SELECT ?o ?label ?alt ?description WHERE {
          VALUES ?class { pg:GovernmentBody pg:Agency pg:Company org:Site org:FormalOrganization }
          ?o a ?class .
          OPTIONAL { ?o skos:prefLabel ?label }
          OPTIONAL { ?o skos:altLabel ?alt }
          OPTIONAL { ?o dct:description ?description }
        }
        ORDER BY ?o DESC(LANGMATCHES(LANG(?label), "nl"))
          DESC(LANGMATCHES(LANG(?description), "nl"))""",
    )
    for iri, group in _grouped(rows, "o").items():
        names = _values(group, "label")
        labels[iri] = names[0] if names else iri
        yield SearchDocument(
            iri=iri,
            type="organisation",
            title=labels[iri],
            body=" ".join(_values(group, "description")),
            extra=" ".join([*names[1:], *_values(group, "alt")]),
            organisations=(iri,),
        )


def _campaigns(store: GraphStore) -> Iterator[SearchDocument]:
    rows = _rows(
        store,
        """SELECT ?c ?label ?description ?objective ?reason ?org ?date WHERE {
          ?c a pg:Campaign .
          { ?c skos:prefLabel ?label }
          UNION { ?c dct:description ?description }
          UNION { ?c pg:objective ?objective }
          UNION { ?c pg:rationale/dct:description ?reason }
          UNION { ?c pg:organiser|pg:producedBy ?org }
          UNION { ?c schema:startDate|schema:endDate|pg:launch/schema:startDate ?date }
        } ORDER BY ?c DESC(LANGMATCHES(LANG(?label), "nl")) ?date""",
    )
    for iri, group in _grouped(rows, "c").items():
        names = _values(group, "label")
        yield SearchDocument(
            iri=iri,
            type="campaign",
            title=names[0] if names else iri,
            body=" ".join(
                [
                    *_values(group, "description"),
                    *_values(group, "objective"),
                    *_values(group, "reason"),
                ]
            ),
            extra=" ".join(names[1:]),
            date=_first(group, "date") or None,
            organisations=tuple(sorted(_values(group, "org"))),
        )


def _organisations_patterns(store: GraphStore) -> dict[str, re.Pattern[str]]:
    """Organisation → its ``pg:matchPattern`` alternatives, compiled (the build checked them)."""
    rows = _rows(store, "SELECT ?o ?pattern WHERE { ?o pg:matchPattern ?pattern }")
    return {
        iri: re.compile("|".join(f"(?:{p})" for p in sorted(_values(group, "pattern"))))
        for iri, group in _grouped(rows, "o").items()
    }


def _kind_labels(store: GraphStore) -> dict[str, str]:
    rows = _rows(
        store,
        """SELECT DISTINCT ?kind ?label WHERE {
          ?d pg:decisionKind ?kind . ?kind skos:prefLabel ?label
          FILTER(LANGMATCHES(LANG(?label), "nl"))
        }""",
    )
    return {row["kind"]: row["label"] for row in rows}


__all__ = ["TYPES", "Corpus", "SearchDocument", "read_corpus"]
