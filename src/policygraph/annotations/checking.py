"""SHACL for one write: what the write touches, against the shapes that apply to it.

A build validates the union of every graph (~20 s). A write changes one account's graph, and
the annotation shapes look no further than the annotation, its bodies, its author and the
``rdf:type`` of what it points at (a target is a section, a claim or a reference; evidence is
decisions). So the data graph of a write is: the quads written, the account's agent, the
ontology and code lists (for ``rdfs:subClassOf`` and the verdicts' scheme), and the types of the
IRIs the annotations name, read from the published version. The shapes are the whole shapes
graph with the targets of every other shape taken away (``only_targeting``), as a build's shape
groups are, so a message and a result are the same as a full validation gives.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import rdflib
from pyoxigraph import NamedNode, Quad, Triple

from policygraph.namespaces import PREFIXES, RDF
from policygraph.store.local import LocalStore
from policygraph.validation.report import ValidationReport
from policygraph.validation.shacl import load_ontology, load_shapes, validate
from policygraph.validation.shape_groups import only_targeting

ANNOTATION_SHAPES = (
    "AnnotationShape",
    "AnnotationVerdictShape",
    "TextualBodyShape",
    "AnnotatorShape",
)


@dataclass
class WriteChecker:
    """Validates the quads of writes; loads the shapes and the ontology once per process."""

    shapes_dir: Path
    ontology_dir: Path
    _loaded: tuple[rdflib.Graph, rdflib.Graph] | None = field(default=None, init=False)
    _mutex: threading.Lock = field(default_factory=threading.Lock, init=False)

    def _graphs(self) -> tuple[rdflib.Graph, rdflib.Graph]:
        with self._mutex:
            if self._loaded is None:
                shapes = load_shapes(self.shapes_dir)
                group = [rdflib.URIRef(PREFIXES["pgsh"] + name) for name in ANNOTATION_SHAPES]
                self._loaded = (only_targeting(shapes, group), load_ontology(self.ontology_dir))
            return self._loaded

    def check(self, quads: Iterable[Quad | Triple], store: LocalStore | None) -> ValidationReport:
        """The report on ``quads`` with the types of what they name, read from ``store``."""
        data = list(quads)
        shapes, ontology = self._graphs()
        context = named_types(store, _named(data)) if store is not None else []
        return validate([*data, *context], shapes, ontology=ontology, processes=1)


def _named(data: Iterable[Quad | Triple]) -> set[NamedNode]:
    return {q.object for q in data if isinstance(q.object, NamedNode) and q.predicate != RDF.type}


def named_types(store: LocalStore, iris: Iterable[NamedNode]) -> list[Triple]:
    """``rdf:type`` of each IRI in the published version (in any graph)."""
    found = {
        Triple(iri, RDF.type, quad.object)
        for iri in iris
        for quad in store.oxigraph.quads_for_pattern(iri, RDF.type, None, None)
    }
    return sorted(found, key=str)
