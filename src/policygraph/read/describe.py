"""What one resource is: its own triples, the labels of what it links to, and its incoming links.

This is the description a dereferenced IRI answers with, in HTML and in every RDF syntax. It is a
Concise Bounded Description widened for people: the resource's own statements (with the blank
nodes and ``{iri}#…`` nodes they reach, which have no page of their own), one label for every
resource it names, and the statements of other resources that point at it, paged, because a
government composition is pointed at by thousands of decisions.

Every query binds the IRI with ``substitutions``; no IRI is spliced into query text.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from pyoxigraph import BlankNode, Literal, NamedNode, QuerySolutions, Triple, Variable

from policygraph.namespaces import DCT, FOAF, RDFS, SCHEMA, SKOS, VOID, XSD
from policygraph.store import GraphStore

# Tried in this order; the first predicate a resource has gives its label.
LABEL_PREDICATES: tuple[NamedNode, ...] = (
    SKOS.prefLabel,
    RDFS.label,
    DCT.title,
    FOAF.name,
    SCHEMA.name,
)
LANGUAGES = ("nl", "en")
"""The languages labels are chosen in; the first is the default."""

DEFAULT_PAGE_SIZE = 100

_OWN = """
SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }
"""
# Blank nodes and hash IRIs the resource reaches: one level, as in a CBD.
_DEPENDENT = """
SELECT ?s ?x ?p ?o ?g WHERE {
  GRAPH ?h { ?s ?q ?x }
  FILTER (isBlank(?x) || STRSTARTS(STR(?x), CONCAT(STR(?s), "#")))
  GRAPH ?g { ?x ?p ?o }
}
"""
_GRAPH_SIZE = """
SELECT ?s (COUNT(*) AS ?n) WHERE { GRAPH ?s { ?a ?b ?c } } GROUP BY ?s
"""
_INCOMING_COUNT = """
SELECT ?s (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?x ?p ?s } FILTER (!isBlank(?x)) } GROUP BY ?s
"""
_LABEL_PREFIXES = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX schema: <http://schema.org/>
"""
_LABEL_VALUES = "VALUES ?lp { skos:prefLabel rdfs:label dct:title foaf:name schema:name }"
# One page of incoming links with the labels of their subjects. LIMIT and OFFSET are filled in
# with %d from ints: SPARQL takes no variables there.
_INCOMING_PAGE = (
    _LABEL_PREFIXES
    + """
SELECT ?s ?x ?p ?g ?lp ?label WHERE {
  { SELECT ?s ?x ?p ?g WHERE { GRAPH ?g { ?x ?p ?s } FILTER (!isBlank(?x)) }
    ORDER BY ?p ?x ?g LIMIT %d OFFSET %d }
  OPTIONAL { """
    + _LABEL_VALUES
    + """ ?x ?lp ?label }
}
"""
)


@dataclass(frozen=True)
class Statement:
    """A triple and the named graph it is asserted in: the page shows where each fact comes from."""

    triple: Triple
    graph: NamedNode | BlankNode | None


@dataclass(frozen=True)
class Description:
    iri: NamedNode
    statements: tuple[Statement, ...]
    """The resource's own statements and those of the nodes that depend on it."""
    incoming: tuple[Statement, ...]
    """One page of the statements of other resources that point at it."""
    incoming_total: int
    page: int
    page_size: int
    labels: dict[str, str] = field(default_factory=dict)
    """One label per named resource, in the chosen language where it has one."""
    label_triples: tuple[Triple, ...] = ()
    graph_triples: int = 0
    """When the IRI names a graph of the store: the triples in it."""

    @property
    def exists(self) -> bool:
        return bool(self.statements) or self.incoming_total > 0 or self.graph_triples > 0

    @property
    def pages(self) -> int:
        return max(1, -(-self.incoming_total // self.page_size))

    @property
    def own(self) -> tuple[Statement, ...]:
        return tuple(s for s in self.statements if s.triple.subject == self.iri)

    @property
    def dependents(self) -> dict[NamedNode | BlankNode, tuple[Statement, ...]]:
        grouped: dict[NamedNode | BlankNode, list[Statement]] = defaultdict(list)
        for statement in self.statements:
            subject = statement.triple.subject
            if subject != self.iri and isinstance(subject, NamedNode | BlankNode):
                grouped[subject].append(statement)
        return {node: tuple(items) for node, items in grouped.items()}

    def label(self, iri: str) -> str | None:
        return self.labels.get(iri)

    def values(self, predicate: NamedNode) -> list[NamedNode | BlankNode | Literal | Triple]:
        return [s.triple.object for s in self.own if s.triple.predicate == predicate]

    def triples(self) -> list[Triple]:
        """The description as RDF: own statements, the page of incoming ones, and the labels."""
        seen: dict[Triple, None] = {}
        for statement in (*self.statements, *self.incoming):
            seen.setdefault(statement.triple, None)
        for triple in self.label_triples:
            seen.setdefault(triple, None)
        if self.graph_triples:
            # What the store knows of a graph it holds, even one no statement describes.
            size = Literal(str(self.graph_triples), datatype=XSD.integer)
            seen.setdefault(Triple(self.iri, VOID.triples, size), None)
        return list(seen)


def describe(
    store: GraphStore,
    iri: NamedNode,
    *,
    language: str = LANGUAGES[0],
    page: int = 1,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> Description:
    """The description of ``iri`` with page ``page`` (1-based) of its incoming links."""
    if page < 1 or page_size < 1:
        raise ValueError("page and page_size start at 1")
    bound: dict[Variable, NamedNode | BlankNode | Literal | Triple] = {Variable("s"): iri}
    statements = _statements(store.query(_OWN, substitutions=bound), subject=iri)
    statements += _statements(store.query(_DEPENDENT, substitutions=bound), subject_var="x")
    total = graph_triples = 0
    for row in _solutions(store.query(_INCOMING_COUNT, substitutions=bound)):
        total = int(row["n"].value)
    for row in _solutions(store.query(_GRAPH_SIZE, substitutions=bound)):
        graph_triples = int(row["n"].value)
    incoming: list[Statement] = []
    candidates: dict[str, dict[str, list[Literal]]] = defaultdict(lambda: defaultdict(list))
    if total:
        text = _INCOMING_PAGE % (page_size, (page - 1) * page_size)
        for row in _solutions(store.query(text, substitutions=bound)):
            subject, predicate, label = row["x"], row["p"], row["label"]
            assert isinstance(subject, NamedNode)
            assert isinstance(predicate, NamedNode)
            incoming.append(Statement(Triple(subject, predicate, iri), _graph(row["g"])))
            if isinstance(label, Literal):
                candidates[subject.value][row["lp"].value].append(label)
    # The labels of what the resource names, one indexed lookup each: a single query joining
    # them all makes the optimizer start from every label in the store.
    for named in _named(statements):
        if named.value not in candidates and named != iri:
            candidates[named.value] = _labels_of(store, named)
    label_predicates = {predicate.value for predicate in LABEL_PREDICATES}
    for statement in statements:
        triple = statement.triple
        subject = triple.subject
        if (
            isinstance(subject, NamedNode)
            and isinstance(triple.object, Literal)
            and triple.predicate.value in label_predicates
        ):
            candidates[subject.value][triple.predicate.value].append(triple.object)
    labels: dict[str, str] = {}
    label_triples: list[Triple] = []
    for node, by_predicate in candidates.items():
        chosen = choose_label(by_predicate, language)
        if chosen is not None:
            predicate, literal = chosen
            labels[node] = literal.value
            label_triples.append(Triple(NamedNode(node), NamedNode(predicate), literal))
    return Description(
        iri=iri,
        statements=tuple(dict.fromkeys(statements)),
        incoming=tuple(dict.fromkeys(incoming)),
        incoming_total=total,
        page=page,
        page_size=page_size,
        labels=labels,
        label_triples=tuple(label_triples),
        graph_triples=graph_triples,
    )


def choose_label(
    by_predicate: dict[str, list[Literal]], language: str = LANGUAGES[0]
) -> tuple[str, Literal] | None:
    """The best label: the first label predicate present, in the best language it has."""
    for predicate in LABEL_PREDICATES:
        chosen = best_literal(by_predicate.get(predicate.value, ()), language)
        if chosen is not None:
            return predicate.value, chosen
    return None


def best_literal(literals: Iterable[Literal], language: str = LANGUAGES[0]) -> Literal | None:
    """The literal in the language asked for, else in the other language, else one without a
    language, else any; ties go to the first in alphabetical order, so the choice is stable."""
    ordered = sorted(literals, key=lambda literal: literal.value)
    for wanted in (language, *(lang for lang in LANGUAGES if lang != language), ""):
        for literal in ordered:
            if (literal.language or "") == wanted:
                return literal
    return ordered[0] if ordered else None


def labels_for(
    store: GraphStore, nodes: Iterable[NamedNode], language: str = LANGUAGES[0]
) -> dict[str, str]:
    """One label per node (those without a label are left out)."""
    result: dict[str, str] = {}
    for node in dict.fromkeys(nodes):
        chosen = choose_label(_labels_of(store, node), language)
        if chosen is not None:
            result[node.value] = chosen[1].value
    return result


_OWN_LABELS = (
    _LABEL_PREFIXES + "SELECT DISTINCT ?s ?lp ?label WHERE { " + _LABEL_VALUES + " ?s ?lp ?label }"
)


def _labels_of(store: GraphStore, node: NamedNode) -> dict[str, list[Literal]]:
    found: dict[str, list[Literal]] = defaultdict(list)
    for row in _solutions(store.query(_OWN_LABELS, substitutions={Variable("s"): node})):
        label = row["label"]
        if isinstance(label, Literal):
            found[row["lp"].value].append(label)
    return found


def _solutions(result: object) -> QuerySolutions:
    if not isinstance(result, QuerySolutions):
        raise TypeError("expected SELECT solutions")
    return result


def _graph(term: object) -> NamedNode | BlankNode | None:
    return term if isinstance(term, NamedNode | BlankNode) else None


def _statements(
    result: object, *, subject: NamedNode | None = None, subject_var: str = "s"
) -> list[Statement]:
    found: list[Statement] = []
    for row in _solutions(result):
        node = subject if subject is not None else row[subject_var]
        predicate, obj = row["p"], row["o"]
        assert isinstance(node, NamedNode | BlankNode)
        assert isinstance(predicate, NamedNode)
        found.append(Statement(Triple(node, predicate, obj), _graph(row["g"])))
    return found


def sort_statements(statements: Sequence[Statement]) -> list[Statement]:
    """In a stable reading order: by predicate, then object."""
    return sorted(statements, key=lambda s: (s.triple.predicate.value, str(s.triple.object)))


def _named(statements: Sequence[Statement]) -> list[NamedNode]:
    """Every IRI the statements name: predicates, objects and graphs."""
    nodes: dict[NamedNode, None] = {}
    for statement in statements:
        nodes.setdefault(statement.triple.predicate, None)
        if isinstance(statement.triple.object, NamedNode):
            nodes.setdefault(statement.triple.object, None)
        if isinstance(statement.graph, NamedNode):
            nodes.setdefault(statement.graph, None)
    return list(nodes)
