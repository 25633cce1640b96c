"""RDF terms as templates show them: a link with a label for an IRI, a value for a literal.

The templates escape every string (Jinja autoescape); this module only chooses the words and the
URL, mapping IRIs we serve to this host's URLs through ``Urls``.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from policygraph.read.describe import Description, Statement, sort_statements
from policygraph.read.ontology_docs import curie
from policygraph.web.context import Urls

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


@dataclass(frozen=True)
class TermView:
    kind: str
    """iri, literal or blank."""
    text: str
    """The label, the literal's value, or the blank node's id."""
    url: str | None = None
    iri: str | None = None
    curie: str | None = None
    language: str | None = None
    datatype: str | None = None
    local: bool = False
    """Whether the IRI is served here (it then links to its page)."""


@dataclass(frozen=True)
class StatementView:
    subject: TermView
    predicate: TermView
    object: TermView
    graph: TermView | None


def term_view(
    term: NamedNode | BlankNode | Literal | Triple, labels: dict[str, str], urls: Urls
) -> TermView:
    if isinstance(term, NamedNode):
        short = curie(term.value)
        label = labels.get(term.value)
        return TermView(
            kind="iri",
            text=label or (short if short != term.value else term.value),
            url=urls.url(term.value),
            iri=term.value,
            curie=short if short != term.value else None,
            local=urls.served_here(term.value),
        )
    if isinstance(term, BlankNode):
        return TermView(kind="blank", text="_:" + term.value)
    if isinstance(term, Literal):
        datatype = term.datatype.value
        shown = None if datatype in (XSD_STRING, RDF_LANG_STRING) else curie(datatype)
        return TermView(kind="literal", text=term.value, language=term.language, datatype=shown)
    return TermView(kind="literal", text=str(term))


def statement_view(statement: Statement, labels: dict[str, str], urls: Urls) -> StatementView:
    triple = statement.triple
    return StatementView(
        subject=term_view(triple.subject, labels, urls),
        predicate=term_view(triple.predicate, labels, urls),
        object=term_view(triple.object, labels, urls),
        graph=None if statement.graph is None else term_view(statement.graph, labels, urls),
    )


@dataclass(frozen=True)
class DescriptionView:
    iri: str
    label: str
    types: tuple[TermView, ...]
    own: tuple[StatementView, ...]
    dependents: tuple[tuple[TermView, tuple[StatementView, ...]], ...]
    incoming: tuple[StatementView, ...]
    incoming_total: int
    page: int
    pages: int
    graph_triples: int


def description_view(description: Description, urls: Urls) -> DescriptionView:
    labels = description.labels
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    own = sort_statements(description.own)
    return DescriptionView(
        iri=description.iri.value,
        label=labels.get(description.iri.value) or curie(description.iri.value),
        types=tuple(
            term_view(s.triple.object, labels, urls)
            for s in own
            if s.triple.predicate.value == rdf_type
        ),
        own=tuple(statement_view(s, labels, urls) for s in own),
        dependents=tuple(
            (
                term_view(node, labels, urls),
                tuple(statement_view(s, labels, urls) for s in sort_statements(items)),
            )
            for node, items in description.dependents.items()
        ),
        incoming=tuple(statement_view(s, labels, urls) for s in description.incoming),
        incoming_total=description.incoming_total,
        page=description.page,
        pages=description.pages,
        graph_triples=description.graph_triples,
    )
