"""The ontology, the code lists and the shapes: complete, consistent with each other and with
docs/model.md, and readable by both RDF libraries the project uses."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from policygraph.config import ONTOLOGY_DIR, SHAPES_DIR
from policygraph.namespaces import ONTOLOGY_IRI, PREFIXES

ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY_FILE = ONTOLOGY_DIR / "policygraph.ttl"
CONCEPTS_FILE = ONTOLOGY_DIR / "concepts.ttl"
SHAPES_FILE = SHAPES_DIR / "policygraph.shapes.ttl"
MODEL_DOC = ROOT / "docs" / "model.md"
SHAPE_TESTS = ROOT / "tests" / "shapes"

PG = Namespace(PREFIXES["pg"])
PGC = Namespace(PREFIXES["pgc"])
SH = Namespace("http://www.w3.org/ns/shacl#")
DCT = Namespace("http://purl.org/dc/terms/")
VANN = Namespace("http://purl.org/vocab/vann/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
ONTOLOGY = URIRef(ONTOLOGY_IRI)

TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
TURTLE_FILES = (ONTOLOGY_FILE, CONCEPTS_FILE, SHAPES_FILE)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_FILE)


@pytest.fixture(scope="module")
def concepts() -> Graph:
    return Graph().parse(CONCEPTS_FILE)


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES_FILE)


def pg_terms(ontology: Graph) -> set[URIRef]:
    return {
        URIRef(term)
        for kind in TERM_TYPES
        for term in ontology.subjects(RDF.type, kind)
        if isinstance(term, URIRef) and term.startswith(PG)
    }


def pg_classes(ontology: Graph) -> set[URIRef]:
    return {term for term in pg_terms(ontology) if (term, RDF.type, OWL.Class) in ontology}


def languages(graph: Graph, subject: Node, predicate: URIRef) -> list[str]:
    """The language tags of the subject's literals ("" for an untagged one), sorted."""
    return sorted(
        o.language or "" for o in graph.objects(subject, predicate) if isinstance(o, Literal)
    )


# --- Parsing --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", TURTLE_FILES, ids=lambda p: p.name)
def test_file_parses_alike_with_rdflib_and_pyoxigraph(path: Path) -> None:
    with_rdflib = Graph().parse(path, format="turtle")
    with_oxigraph = list(pyoxigraph.parse(path=path, format=pyoxigraph.RdfFormat.TURTLE))
    assert len(with_rdflib) > 0
    assert len(with_rdflib) == len(with_oxigraph)


# --- The ontology header --------------------------------------------------------------------


def test_ontology_header(ontology: Graph) -> None:
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in ontology
    version_iri = ontology.value(ONTOLOGY, OWL.versionIRI)
    version = ontology.value(ONTOLOGY, OWL.versionInfo)
    assert version is not None
    assert version_iri == URIRef(f"{ONTOLOGY_IRI}/{version}")
    for annotation in (DCT.title, DCT.description):
        assert (languages(ontology, ONTOLOGY, annotation)) == ["en", "nl"], annotation
    assert isinstance(ontology.value(ONTOLOGY, DCT.license), URIRef)
    assert str(ontology.value(ONTOLOGY, DCT.creator)) == "policygraph"
    assert str(ontology.value(ONTOLOGY, VANN.preferredNamespacePrefix)) == "pg"
    assert str(ontology.value(ONTOLOGY, VANN.preferredNamespaceUri)) == PREFIXES["pg"]


def test_ontology_iri_and_namespace_agree_with_the_code() -> None:
    assert PREFIXES["pg"] == ONTOLOGY_IRI + "#"


# --- Terms ----------------------------------------------------------------------------------


def test_every_term_has_labels_and_definitions_in_dutch_and_english(ontology: Graph) -> None:
    terms = pg_terms(ontology)
    assert len(terms) > 40
    for term in sorted(terms):
        assert (languages(ontology, term, RDFS.label)) == ["en", "nl"], term
        assert (languages(ontology, term, SKOS.definition)) == ["en", "nl"], term
        assert ontology.value(term, RDFS.isDefinedBy) == ONTOLOGY, term


def test_every_pg_iri_the_ontology_mentions_is_defined_there(ontology: Graph) -> None:
    mentioned = {t for triple in ontology for t in triple if isinstance(t, URIRef)}
    assert {t for t in mentioned if t.startswith(PG)} <= pg_terms(ontology)


def test_no_term_is_both_an_object_and_a_datatype_property(ontology: Graph) -> None:
    objects = set(ontology.subjects(RDF.type, OWL.ObjectProperty))
    datatypes = set(ontology.subjects(RDF.type, OWL.DatatypeProperty))
    annotations = set(ontology.subjects(RDF.type, OWL.AnnotationProperty))
    assert not objects & datatypes
    assert not annotations & (objects | datatypes)


def test_every_term_an_axiom_uses_is_declared(ontology: Graph) -> None:
    """OWL 2 DL wants every entity declared; external ones are declared, not imported."""
    kinds = (*TERM_TYPES, OWL.AnnotationProperty)
    declared = {s for kind in kinds for s in ontology.subjects(RDF.type, kind)}
    used: set[Node] = set()
    for predicate in (RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range):
        used |= {o for o in ontology.objects(None, predicate) if isinstance(o, URIRef)}
    used |= {o for o in ontology.objects(None, OWL.inverseOf) if isinstance(o, URIRef)}
    for members in ontology.objects(None, OWL.unionOf):
        used |= set(Collection(ontology, members))
    datatypes = {u for u in used if str(u).startswith("http://www.w3.org/2001/XMLSchema#")}
    assert used - datatypes <= declared


def test_legal_eli_relations_are_not_used_anywhere() -> None:
    """eli:implements and eli:based_on are legal relations, not 'contributes to a promise'."""
    forbidden = {ELI.implements, ELI.based_on}
    curated = (ROOT / "data" / "curated").glob("*.ttl")
    files = [*TURTLE_FILES, *SHAPE_TESTS.glob("*/*.ttl"), *curated]
    for path in files:
        graph = Graph().parse(path)
        used = {t for triple in graph for t in triple}
        assert not used & forbidden, path
    names = re.compile(r"eli:(implements|based_on)\b|ontology#(implements|based_on)\b")
    for query in (ROOT / "queries").glob("*.rq"):
        assert not names.search(query.read_text(encoding="utf-8")), query


def _model_terms() -> set[str]:
    return set(re.findall(r"\bpg:([A-Za-z][A-Za-z0-9]*)", MODEL_DOC.read_text(encoding="utf-8")))


def test_every_term_of_the_data_model_is_in_the_ontology(ontology: Graph) -> None:
    terms = _model_terms()
    assert len(terms) > 40
    defined = {str(t)[len(PG) :] for t in pg_terms(ontology)}
    assert sorted(terms - defined) == []


def test_every_ontology_term_is_in_the_data_model(ontology: Graph) -> None:
    defined = {str(t)[len(PG) :] for t in pg_terms(ontology)}
    assert sorted(defined - _model_terms()) == []


def _pg_iris_in(graph: Graph) -> set[URIRef]:
    return {t for triple in graph for t in triple if isinstance(t, URIRef) and t.startswith(PG)}


def test_shapes_and_shape_tests_use_only_defined_terms(ontology: Graph, shapes: Graph) -> None:
    used = _pg_iris_in(shapes)
    for path in SHAPE_TESTS.glob("*/*.ttl"):
        used |= _pg_iris_in(Graph().parse(path))
    assert sorted(used - pg_terms(ontology)) == []


# --- Code lists -----------------------------------------------------------------------------


def test_every_concept_has_labels_definitions_and_a_scheme(concepts: Graph) -> None:
    schemes = set(concepts.subjects(RDF.type, SKOS.ConceptScheme))
    required = {PGC["decision-kinds"], PGC["report-parts"], PGC["campaign-statuses"], PGC.roles}
    assert required <= schemes
    for node in (*schemes, *concepts.subjects(RDF.type, SKOS.Concept)):
        assert str(node).startswith(PGC), node
        assert (languages(concepts, node, SKOS.prefLabel)) == ["en", "nl"], node
        assert (languages(concepts, node, SKOS.definition)) == ["en", "nl"], node
    for concept in concepts.subjects(RDF.type, SKOS.Concept):
        scheme = concepts.value(concept, SKOS.inScheme)
        assert scheme in schemes, concept
        assert (scheme, SKOS.hasTopConcept, concept) in concepts, concept


def test_decision_kinds_match_themis(concepts: Graph) -> None:
    themis = "http://themis.vlaanderen.be/id/concept/agendapunt-type/"
    assert concepts.value(PGC.nota, SKOS.exactMatch) == URIRef(
        themis + "dd47a8f8-3ad2-4d5a-8318-66fc02fe80fd"
    )
    assert concepts.value(PGC.mededeling, SKOS.exactMatch) == URIRef(
        themis + "8f8adcf0-58ef-4edc-9e36-0c9095fd76b0"
    )


def _in_lists_of_concepts(shapes: Graph) -> Iterator[tuple[Node, frozenset[Node]]]:
    for shape, values in shapes.subject_objects(SH["in"]):
        members = frozenset(Collection(shapes, values))
        if members and all(str(m).startswith(PGC) for m in members):
            yield shape, members


def test_every_code_list_in_the_shapes_is_a_whole_scheme(shapes: Graph, concepts: Graph) -> None:
    schemes = {
        frozenset(concepts.subjects(SKOS.inScheme, scheme))
        for scheme in concepts.subjects(RDF.type, SKOS.ConceptScheme)
    }
    lists = dict(_in_lists_of_concepts(shapes))
    assert len(lists) >= 6
    for shape, members in lists.items():
        assert members in schemes, shape


# --- Shapes ---------------------------------------------------------------------------------


def test_every_class_has_a_node_shape_targeting_it(ontology: Graph, shapes: Graph) -> None:
    targeted = set(shapes.objects(None, SH.targetClass))
    assert sorted(pg_classes(ontology) - targeted) == []


def test_every_shape_names_its_class_correctly(ontology: Graph, shapes: Graph) -> None:
    targeted = {t for t in shapes.objects(None, SH.targetClass) if str(t).startswith(PG)}
    assert targeted <= pg_classes(ontology)


def _message_holders(shapes: Graph) -> Iterator[Node]:
    """Every node whose results carry its messages: property shapes, SPARQL constraints, and node
    shapes with constraints of their own (besides their property shapes)."""
    node_level = (SH.nodeKind, SH["class"], SH["or"], SH["not"], SH["in"], SH.datatype)
    yield from shapes.subjects(RDF.type, SH.PropertyShape)
    yield from shapes.objects(None, SH.sparql)
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        if any((shape, p, None) in shapes for p in node_level):
            yield shape


def test_every_constraint_has_a_message_in_dutch_and_english(shapes: Graph) -> None:
    holders = list(_message_holders(shapes))
    assert len(holders) > 100
    for holder in holders:
        assert (languages(shapes, holder, SH.message)) == ["en", "nl"], holder


def test_every_message_anywhere_is_given_in_dutch_and_english(shapes: Graph) -> None:
    for holder in set(shapes.subjects(SH.message, None)):
        assert (languages(shapes, holder, SH.message)) == ["en", "nl"], holder


def test_sparql_constraints_are_not_on_a_shape_with_messages_of_its_own(shapes: Graph) -> None:
    """The shape's messages would be added to every SPARQL result, beside the rule's own."""
    for shape in shapes.subjects(SH.sparql, None):
        assert shapes.value(shape, SH.message) is None, shape


def _where(query: str) -> str:
    body = query[query.index("WHERE") :].replace("$this", "?this")
    return " ".join(body.split())


def test_every_sparql_target_selects_what_its_constraint_reports(shapes: Graph) -> None:
    """A SPARQL target finds the breaking nodes in one query; its constraint then reports them.
    The two WHERE clauses must be the same, or nodes are missed or reported in vain."""
    targets = list(shapes.subject_objects(SH.target))
    assert len(targets) >= 5
    for shape, target in targets:
        assert (target, RDF.type, SH.SPARQLTarget) in shapes
        constraint = shapes.value(shape, SH.sparql)
        assert constraint is not None, shape
        target_query = str(shapes.value(target, SH.select))
        assert target_query.split("WHERE")[0].split() == ["SELECT", "DISTINCT", "?this"], shape
        assert _where(target_query) == _where(str(shapes.value(constraint, SH.select))), shape


def test_sparql_prefixes_are_the_projects(shapes: Graph) -> None:
    declarations = {
        str(shapes.value(d, SH.prefix)): str(shapes.value(d, SH.namespace))
        for d in shapes.objects(None, SH.declare)
    }
    assert declarations
    for prefix, namespace in declarations.items():
        assert PREFIXES[prefix] == namespace, prefix
    for node in shapes.subjects(SH.select, None):
        assert shapes.value(node, SH.prefixes) is not None, node
