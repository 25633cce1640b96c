"""What an organisation is, in words: its kind, what the sources say of it, where it sits.

The card above an organisation's evidence (``read.evidence.organisation`` has the sections that
name it and its decisions and campaigns): its kinds by their labels, its description, the
organisations above and below it, its identity on Wikidata, and the people who hold a role in it.
The regular expression that finds its mentions (``pg:matchPattern``) is an internal of the build
and not part of the card.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import NamedNode

from policygraph.read.cards.facts import facts_of, select, term
from policygraph.read.describe import LANGUAGES, labels_for
from policygraph.read.evidence.rows import Link, local_name, text
from policygraph.store import GraphStore

WIKIDATA = "http://www.wikidata.org/entity/"
# The properties that put one organisation (or site, or composition) under another.
_PARENTS = ("org:subOrganizationOf", "org:siteOf", "generiek:isTijdspecialisatieVan")


@dataclass(frozen=True)
class Role:
    person: Link
    role: Link | None
    membership: str


@dataclass(frozen=True)
class OrganisationCard:
    iri: str
    label: str
    alt_labels: tuple[str, ...]
    kinds: tuple[Link, ...]
    description: str | None
    parents: tuple[Link, ...]
    children: tuple[Link, ...]
    wikidata: tuple[str, ...]
    same_as: tuple[str, ...]
    """Other identities (Themis) that are not Wikidata's."""
    people: tuple[Role, ...]


_CHILDREN = """
SELECT DISTINCT ?s ?child WHERE {
  VALUES ?p { org:subOrganizationOf org:siteOf generiek:isTijdspecialisatieVan }
  ?child ?p ?s
}
"""
_PEOPLE = """
SELECT ?s ?membership ?person ?role WHERE {
  ?membership org:organization ?s ; org:member ?person .
  OPTIONAL { ?membership org:role ?role }
}
"""


def organisation_card(
    store: GraphStore, iri: NamedNode, language: str = LANGUAGES[0]
) -> OrganisationCard | None:
    """The card of the organisation ``iri``; None when it has no preferred label."""
    facts = facts_of(store, iri, language)
    label = facts.literal("skos:prefLabel")
    if label is None:
        return None
    children = [text(r, "child") or "" for r in select(store, _CHILDREN, s=iri)]
    people = list(select(store, _PEOPLE, s=iri))
    named = [NamedNode(x) for x in children]
    named += [NamedNode(text(r, k) or "") for r in people for k in ("person", "role") if r[k]]
    labels = labels_for(store, named, language)

    def link(node: str) -> Link:
        return Link(node, labels.get(node) or local_name(node) or node)

    same_as = facts.nodes("owl:sameAs")
    return OrganisationCard(
        iri=iri.value,
        label=label,
        alt_labels=tuple(a for a in facts.literals("skos:altLabel") if a != label),
        kinds=facts.links("rdf:type"),
        description=facts.literal("dct:description"),
        parents=tuple(link for curie in _PARENTS for link in facts.links(curie)),
        children=tuple(sorted((link(c) for c in children), key=lambda x: x.label.casefold())),
        wikidata=tuple(s for s in same_as if s.startswith(WIKIDATA)),
        same_as=tuple(s for s in same_as if not s.startswith(WIKIDATA)),
        people=tuple(
            sorted(
                (
                    Role(
                        link(text(r, "person") or ""),
                        link(text(r, "role") or "") if r["role"] else None,
                        text(r, "membership") or "",
                    )
                    for r in people
                ),
                key=lambda role: role.person.label.casefold(),
            )
        ),
    )


HIDDEN_PROPERTIES = frozenset({term("pg:matchPattern")})
"""Properties the pages leave out of their tables: internals of the build, kept in the RDF."""

__all__ = ["HIDDEN_PROPERTIES", "OrganisationCard", "Role", "organisation_card"]
