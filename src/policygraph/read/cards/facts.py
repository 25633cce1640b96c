"""The statements of one resource, grouped by property, and the words to show for what they name.

A card reads a handful of properties of one resource; one bound query fetches them all and this
value answers "the literal in the reader's language", "the things it links to, with labels".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from pyoxigraph import Literal, NamedNode, QuerySolution, QuerySolutions, Variable

from policygraph.namespaces import PREFIXES, sparql_prologue
from policygraph.read.describe import LANGUAGES, Description, best_literal, labels_for
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


_WORDS_OF = (
    "SELECT ?s ?p ?words WHERE { VALUES ?p { pg:claimText dct:description schema:audienceType "
    "schema:text } ?s ?p ?words }"
)
_WORDS_ORDER = tuple(term(c) for c in ("pg:claimText", "schema:audienceType", "schema:text"))
DESCRIPTIVE_LABEL_CHARACTERS = 120


def descriptive_labels(
    store: GraphStore, nodes: Iterable[NamedNode], language: str = LANGUAGES[0]
) -> dict[str, str]:
    """For resources without a label (claims, rationales, audiences, quotations), the start of
    the words that say what they are, so that a page never has to show their bare IRI."""
    found: dict[str, str] = {}
    for node in dict.fromkeys(nodes):
        by_predicate: dict[str, list[Literal]] = defaultdict(list)
        for row in select(store, _WORDS_OF, s=node):
            if isinstance(row["words"], Literal):
                by_predicate[row["p"].value].append(row["words"])
        for predicate in (*_WORDS_ORDER, term("dct:description")):
            chosen = best_literal(by_predicate.get(predicate, ()), language)
            if chosen is not None:
                found[node.value] = shorten(chosen.value, DESCRIPTIVE_LABEL_CHARACTERS)
                break
    return found


def readable_labels(
    store: GraphStore, description: Description, language: str = LANGUAGES[0]
) -> dict[str, str]:
    """The description's labels, and descriptive ones for the resources it names that have none
    (the subjects of its incoming links included)."""
    named: list[NamedNode] = []
    for statement in (*description.statements, *description.incoming):
        for node in (statement.triple.subject, statement.triple.object):
            if isinstance(node, NamedNode) and node.value not in description.labels:
                named.append(node)
    named = [n for n in dict.fromkeys(named) if n != description.iri]
    return {**descriptive_labels(store, named, language), **description.labels}


def shorten(words: str, limit: int) -> str:
    """``words`` on one line, whole when short, else cut at the last space before ``limit``."""
    flat = " ".join(words.split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0].rstrip(",;:") + " …"


def _link_order(link: Link) -> tuple[str, str]:
    return (link.label.casefold(), link.iri)


__all__ = [
    "Facts",
    "descriptive_labels",
    "facts_of",
    "readable_labels",
    "select",
    "shorten",
    "term",
]
