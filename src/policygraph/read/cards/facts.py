"""The statements of one resource, grouped by property, and the words to show for what they name.

A card reads a handful of properties of one resource; one bound query fetches them all and this
value answers "the literal in the reader's language", "the things it links to, with labels".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from pyoxigraph import Literal, NamedNode, QuerySolution, QuerySolutions, Variable

from policygraph.namespaces import PREFIXES, sparql_prologue
from policygraph.read.describe import LANGUAGES, best_literal, labels_for
from policygraph.read.evidence.rows import Link, date_of, local_name
from policygraph.store import GraphStore

PROLOGUE = sparql_prologue()
_OWN = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"


def term(curie: str) -> str:
    """The IRI a CURIE of our prefixes stands for."""
    prefix, local = curie.split(":", 1)
    return PREFIXES[prefix] + local


def select(store: GraphStore, query: str, **bound: NamedNode) -> Iterator[QuerySolution]:
    """The solutions of the SELECT ``query`` (every prefix declared), variables bound by name."""
    result = store.query(
        PROLOGUE + query, substitutions={Variable(k): v for k, v in bound.items()} or None
    )
    if not isinstance(result, QuerySolutions):
        raise TypeError("expected SELECT solutions")
    yield from result


@dataclass(frozen=True)
class Facts:
    """What a resource states, by property IRI, and labels for the IRIs it names."""

    iri: str
    objects: dict[str, tuple[NamedNode | Literal, ...]]
    labels: dict[str, str] = field(default_factory=dict)
    language: str = LANGUAGES[0]

    def literal(self, curie: str) -> str | None:
        """The value of a literal property, in the reader's language where there is a choice."""
        chosen = best_literal(
            (o for o in self.objects.get(term(curie), ()) if isinstance(o, Literal)),
            self.language,
        )
        return None if chosen is None else chosen.value

    def literals(self, curie: str) -> tuple[str, ...]:
        """Every value of a literal property in the reader's language (else in any)."""
        found = [o for o in self.objects.get(term(curie), ()) if isinstance(o, Literal)]
        mine = [o.value for o in found if o.language in (self.language, None)]
        return tuple(sorted(set(mine or [o.value for o in found])))

    def nodes(self, curie: str) -> tuple[str, ...]:
        return tuple(
            sorted({o.value for o in self.objects.get(term(curie), ()) if isinstance(o, NamedNode)})
        )

    def links(self, curie: str) -> tuple[Link, ...]:
        """The resources a property links to, with their labels, in the order of the labels."""
        return tuple(sorted((self.link(iri) for iri in self.nodes(curie)), key=_link_order))

    def link(self, iri: str) -> Link:
        return Link(iri, self.labels.get(iri) or local_name(iri) or iri)

    def date(self, curie: str) -> date | None:
        return date_of(self.literal(curie))

    def decimal(self, curie: str) -> Decimal | None:
        value = self.literal(curie)
        try:
            return None if value is None else Decimal(value)
        except InvalidOperation:
            return None


def facts_of(store: GraphStore, iri: NamedNode, language: str = LANGUAGES[0]) -> Facts:
    """Every statement of ``iri`` (in any graph), and one label for each IRI it names."""
    objects: dict[str, list[NamedNode | Literal]] = defaultdict(list)
    for row in select(store, _OWN, s=iri):
        obj = row["o"]
        if isinstance(obj, NamedNode | Literal) and obj not in objects[row["p"].value]:
            objects[row["p"].value].append(obj)
    named = [o for values in objects.values() for o in values if isinstance(o, NamedNode)]
    return Facts(
        iri=iri.value,
        objects={p: tuple(values) for p, values in objects.items()},
        labels=labels_for(store, named, language),
        language=language,
    )


def _link_order(link: Link) -> tuple[str, str]:
    return (link.label.casefold(), link.iri)


__all__ = ["Facts", "facts_of", "select", "term"]
