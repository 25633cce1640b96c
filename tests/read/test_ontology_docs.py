"""The generated ontology documentation covers every term of the ontology, with its words."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
import rdflib
from rdflib.namespace import OWL, RDF, SKOS

from policygraph.config import ONTOLOGY_DIR
from policygraph.namespaces import PREFIXES, Minter
from policygraph.read.ontology_docs import class_diagram_svg, curie, ontology_doc, ontology_graph
from policygraph.sources.ontology import read_ontology
from policygraph.store.local import LocalStore

ONTOLOGY = ONTOLOGY_DIR
BASE = "https://data.policygraph.be"


@pytest.fixture(scope="module")
def graph() -> rdflib.Graph:
    graphs = read_ontology(ONTOLOGY, Minter(BASE))
    store = LocalStore.in_memory([q for g in graphs for q in g.quads()])
    return ontology_graph(store, BASE)


def ours(graph, kind, namespace="pg"):
    return {
        str(s) for s in graph.subjects(RDF.type, kind) if str(s).startswith(PREFIXES[namespace])
    }


def test_every_class_and_property_is_documented_in_both_languages(graph):
    doc = ontology_doc(graph)
    assert {t.iri for t in doc.classes} == ours(graph, OWL.Class)
    assert {t.iri for t in doc.object_properties} == ours(graph, OWL.ObjectProperty)
    assert {t.iri for t in doc.datatype_properties} == ours(graph, OWL.DatatypeProperty)
    assert {t.iri for t in doc.concepts} == ours(graph, SKOS.Concept, "pgc")
    for term in (*doc.classes, *doc.object_properties, *doc.datatype_properties):
        assert set(term.labels) == {"nl", "en"}, term.iri
        assert set(term.definitions) == {"nl", "en"}, term.iri


def test_alignments_are_the_terms_outside_our_namespace(graph):
    doc = ontology_doc(graph)
    agency = doc.term(PREFIXES["pg"] + "Agency")
    assert agency is not None
    assert "http://www.w3.org/ns/org#FormalOrganization" in agency.alignments
    subsection = doc.term(PREFIXES["pg"] + "Subsection")
    assert subsection is not None
    assert subsection.alignments == ()
    assert PREFIXES["pg"] + "Subsection" in doc.term(PREFIXES["pg"] + "Section").children
    assert subsection.anchor == "Subsection"


def test_the_class_diagram_has_a_box_per_class(graph):
    doc = ontology_doc(graph)
    svg = class_diagram_svg(doc)
    root = ET.fromstring(svg)
    names = [
        el.text
        for el in root.iter("{http://www.w3.org/2000/svg}text")
        if el.get("class") == "class-name"
    ]
    assert names == [t.curie for t in doc.classes]


def test_curie_uses_the_longest_namespace():
    assert curie(PREFIXES["pg"] + "Campaign") == "pg:Campaign"
    assert curie("http://example.org/x") == "http://example.org/x"
