"""Human documentation of the ontology, made from the ontology itself as the store holds it.

``ontology_doc`` reads the ontology graphs of the store into an ``OntologyDoc``: every class,
property and code-list concept with its labels, definitions and alignments (super classes and
properties outside our namespace, SKOS matches). ``class_diagram_svg`` draws our classes as
boxes with their properties: a picture made on the server, like the charts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import rdflib
from pyoxigraph import Triple
from rdflib.namespace import OWL, RDF, RDFS, SKOS
from rdflib.term import BNode, Node, URIRef

from policygraph.namespaces import ONTOLOGY_IRI, PREFIXES, Minter
from policygraph.rdfio import rdflib_graph
from policygraph.render.escape import xml_escape
from policygraph.store import GraphStore

PG = PREFIXES["pg"]
PGC = PREFIXES["pgc"]
DCT = rdflib.Namespace(PREFIXES["dct"])


def curie(iri: str) -> str:
    """``pg:Campaign`` for an IRI in a known namespace, else the IRI."""
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


@dataclass(frozen=True)
class Term:
    iri: str
    kind: str
    """class, object property, datatype property, annotation property, concept, scheme."""
    labels: dict[str, str]
    definitions: dict[str, str]
    notes: dict[str, str]
    parents: tuple[str, ...]
    """Super classes, super properties or the concept scheme."""
    children: tuple[str, ...]
    domains: tuple[str, ...]
    ranges: tuple[str, ...]
    matches: tuple[str, ...]
    """skos:exactMatch, owl:equivalentClass/Property: alignments beyond subsumption."""

    @property
    def curie(self) -> str:
        return curie(self.iri)

    @property
    def anchor(self) -> str:
        """The fragment of a ``pg:`` term (so its IRI lands on its entry), else its CURIE."""
        if self.iri.startswith(PG):
            return self.iri[len(PG) :]
        return self.curie.replace(":", "-")

    def label(self, language: str) -> str:
        return self.labels.get(language) or next(iter(self.labels.values()), self.curie)

    @property
    def alignments(self) -> tuple[str, ...]:
        return tuple(p for p in self.parents if not p.startswith(PG)) + self.matches


@dataclass(frozen=True)
class OntologyDoc:
    iri: str
    titles: dict[str, str]
    descriptions: dict[str, str]
    version: str | None
    license: str | None
    classes: tuple[Term, ...]
    object_properties: tuple[Term, ...]
    datatype_properties: tuple[Term, ...]
    schemes: tuple[Term, ...]
    concepts: tuple[Term, ...]

    def term(self, iri: str) -> Term | None:
        for group in (self.classes, self.object_properties, self.datatype_properties):
            for term in group:
                if term.iri == iri:
                    return term
        for term in (*self.schemes, *self.concepts):
            if term.iri == iri:
                return term
        return None


def ontology_graph(store: GraphStore, base_iri: str) -> rdflib.Graph:
    """The triples of the ontology graphs (``{base}/graph/ontologie/…``) as one rdflib graph."""
    prefix = Minter(base_iri).graph("ontologie").value
    quads = [
        quad
        for graph in store.named_graphs()
        if graph.value.startswith(prefix)
        for quad in store.quads(graph)
    ]
    return rdflib_graph(quads)


def ontology_triples(store: GraphStore, base_iri: str, *names: str) -> list[Triple]:
    """The triples of the named ontology graphs (``policygraph``, ``concepts``), each once, in
    the order the store gives them: what the ontology's IRIs answer with in RDF."""
    minter = Minter(base_iri)
    triples: dict[Triple, None] = {}
    for name in names:
        for quad in store.quads(minter.graph("ontologie", name)):
            triples.setdefault(quad.triple, None)
    return list(triples)


def _texts(graph: rdflib.Graph, node: Node, predicate: URIRef) -> dict[str, str]:
    found: dict[str, str] = {}
    for value in sorted(graph.objects(node, predicate), key=str):
        if isinstance(value, rdflib.Literal):
            found.setdefault(value.language or "", str(value))
    return found


def _iris(graph: rdflib.Graph, node: Node, predicate: URIRef) -> tuple[str, ...]:
    found: set[str] = set()
    for value in graph.objects(node, predicate):
        if isinstance(value, URIRef):
            found.add(str(value))
        elif isinstance(value, BNode):
            # owl:unionOf ( A B ): list the members.
            for union in graph.objects(value, OWL.unionOf):
                found.update(str(m) for m in rdflib.collection.Collection(graph, union))
    return tuple(sorted(found))


def ontology_doc(graph: rdflib.Graph) -> OntologyDoc:
    ontology = URIRef(ONTOLOGY_IRI)
    children: dict[str, set[str]] = defaultdict(set)
    for child, parent in (
        *graph.subject_objects(RDFS.subClassOf),
        *graph.subject_objects(RDFS.subPropertyOf),
    ):
        if isinstance(child, URIRef) and isinstance(parent, URIRef):
            children[str(parent)].add(str(child))

    def term(node: URIRef, kind: str) -> Term:
        parents = (
            *_iris(graph, node, RDFS.subClassOf),
            *_iris(graph, node, RDFS.subPropertyOf),
            *_iris(graph, node, SKOS.inScheme),
        )
        labels = _texts(graph, node, RDFS.label) or _texts(graph, node, SKOS.prefLabel)
        return Term(
            iri=str(node),
            kind=kind,
            labels=labels,
            definitions=_texts(graph, node, SKOS.definition) or _texts(graph, node, RDFS.comment),
            notes=_texts(graph, node, SKOS.scopeNote),
            parents=tuple(sorted(set(parents))),
            children=tuple(sorted(children.get(str(node), ()))),
            domains=_iris(graph, node, RDFS.domain),
            ranges=_iris(graph, node, RDFS.range),
            matches=(
                *_iris(graph, node, SKOS.exactMatch),
                *_iris(graph, node, SKOS.closeMatch),
                *_iris(graph, node, OWL.equivalentClass),
                *_iris(graph, node, OWL.equivalentProperty),
            ),
        )

    def ours(kind_class: URIRef, namespace: str, kind: str) -> tuple[Term, ...]:
        nodes = {
            n
            for n in graph.subjects(RDF.type, kind_class)
            if isinstance(n, URIRef) and str(n).startswith(namespace)
        }
        return tuple(term(n, kind) for n in sorted(nodes, key=str))

    version = graph.value(ontology, OWL.versionInfo)
    license_ = graph.value(ontology, DCT.license)
    return OntologyDoc(
        iri=ONTOLOGY_IRI,
        titles=_texts(graph, ontology, DCT.title),
        descriptions=_texts(graph, ontology, DCT.description),
        version=None if version is None else str(version),
        license=None if license_ is None else str(license_),
        classes=ours(OWL.Class, PG, "class"),
        object_properties=ours(OWL.ObjectProperty, PG, "object property"),
        datatype_properties=ours(OWL.DatatypeProperty, PG, "datatype property"),
        schemes=ours(SKOS.ConceptScheme, PGC, "concept scheme"),
        concepts=ours(SKOS.Concept, PGC, "concept"),
    )


def class_diagram_svg(doc: OntologyDoc, *, columns: int = 4) -> str:
    """Our classes as boxes, each with its super classes, attributes and relations.

    Boxes link to their term's entry in the documentation (``#pg-Campaign``).
    """
    attributes: dict[str, list[str]] = defaultdict(list)
    for prop in doc.datatype_properties:
        kind = curie(prop.ranges[0]) if prop.ranges else "literal"
        for domain in prop.domains:
            attributes[domain].append(f"{curie(prop.iri)[3:]}: {kind}")
    for prop in doc.object_properties:
        target = ", ".join(curie(r) for r in prop.ranges) or "any"
        for domain in prop.domains:
            attributes[domain].append(f"{curie(prop.iri)[3:]} → {target}")
    box_width, line, gap = 290, 15, 24
    boxes = []
    for cls in doc.classes:
        lines = [f"⊑ {curie(p)}" for p in cls.parents] + sorted(attributes.get(cls.iri, []))
        boxes.append((cls, lines))
    rows = [boxes[i : i + columns] for i in range(0, len(boxes), columns)]
    body: list[str] = []
    y = gap
    for row in rows:
        height = max(30 + line * len(lines) for _, lines in row) + 6
        for index, (cls, lines) in enumerate(row):
            x = gap + index * (box_width + gap)
            body.append(
                f'<a href="#{xml_escape(cls.anchor)}"><g class="class-box">'
                f'<rect x="{x}" y="{y}" width="{box_width}" height="{height}" rx="4"/>'
                f'<text x="{x + 8}" y="{y + 19}" class="class-name">{xml_escape(cls.curie)}</text>'
            )
            for n, text in enumerate(lines):
                shown = text if len(text) <= 44 else text[:43] + "…"
                body.append(
                    f'<text x="{x + 8}" y="{y + 38 + n * line}" class="member">'
                    f"{xml_escape(shown)}</text>"
                )
            body.append("</g></a>")
        y += height + gap
    width = gap + columns * (box_width + gap)
    title = "Class diagram of the policygraph ontology"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {y}" width="100%" '
        f'role="img" aria-label="{title}" class="chart diagram"><title>{title}</title>'
        + "".join(body)
        + "</svg>"
    )
