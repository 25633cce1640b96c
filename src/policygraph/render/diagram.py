"""A class diagram of the ontology, made from the ontology itself (Mermaid ``classDiagram``)."""

from __future__ import annotations

from collections import defaultdict

import rdflib
import rdflib.collection
from rdflib.namespace import OWL, RDF, RDFS

from policygraph.namespaces import PREFIXES

PG = PREFIXES["pg"]


def _local(iri: rdflib.term.Node) -> str:
    text = str(iri)
    for prefix, namespace in PREFIXES.items():
        if text.startswith(namespace):
            name = text[len(namespace) :]
            return name if prefix == "pg" else f"{prefix}_{name}"
    return text.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _members(ontology: rdflib.Graph, node: rdflib.term.Node) -> list[rdflib.term.Node]:
    """A named class, or the named members of an owl:unionOf class expression."""
    if isinstance(node, rdflib.URIRef):
        return [node]
    union = ontology.value(node, OWL.unionOf)
    if union is None:
        return []
    return [
        m for m in rdflib.collection.Collection(ontology, union) if isinstance(m, rdflib.URIRef)
    ]


def class_diagram(ontology: rdflib.Graph) -> str:
    """Our classes with their datatype properties, our object properties between classes, and
    each class's alignments to other vocabularies as generalisations."""
    classes = sorted(
        {c for c in ontology.subjects(RDF.type, OWL.Class) if str(c).startswith(PG)}, key=str
    )
    attributes: dict[str, list[str]] = defaultdict(list)
    relations: list[str] = []
    for prop in sorted(set(ontology.subjects(RDF.type, None)), key=str):
        if not str(prop).startswith(PG):
            continue
        kinds = set(ontology.objects(prop, RDF.type))
        domains = [d for d in ontology.objects(prop, RDFS.domain) if str(d).startswith(PG)]
        ranges = [
            member for r in ontology.objects(prop, RDFS.range) for member in _members(ontology, r)
        ]
        for domain in domains:
            if OWL.DatatypeProperty in kinds:
                kind = _local(ranges[0]) if ranges else "literal"
                attributes[_local(domain)].append(f"{kind} {_local(prop)}")
            elif OWL.ObjectProperty in kinds:
                for target in ranges or [RDFS.Resource]:
                    relations.append(f"    {_local(domain)} --> {_local(target)} : {_local(prop)}")
    lines = ["classDiagram"]
    for cls in classes:
        name = _local(cls)
        members = sorted(attributes.get(name, []))
        if members:
            lines.append(f"    class {name} {{")
            lines += [f"        {member}" for member in members]
            lines.append("    }")
        else:
            lines.append(f"    class {name}")
        for parent in sorted(ontology.objects(cls, RDFS.subClassOf), key=str):
            if isinstance(parent, rdflib.URIRef):
                lines.append(f"    {_local(parent)} <|-- {name}")
    lines += sorted(set(relations))
    return "\n".join(lines) + "\n"
