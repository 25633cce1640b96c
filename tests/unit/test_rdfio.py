"""Reading RDF files and handing them to rdflib: hostile XML is refused before the RDF/XML
parser sees it; an ill-typed literal reaches SHACL without a traceback in the log."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import rdflib
from hostile_inputs import entity_laughs
from pyoxigraph import Literal, NamedNode, Triple

from policygraph.errors import RDFSyntaxError
from policygraph.rdfio import rdflib_graph, read_quads


def test_nested_entities_that_expand_a_billionfold_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "laughs.rdf"
    path.write_text(entity_laughs(9))
    assert path.stat().st_size < 1_500
    with pytest.raises(RDFSyntaxError, match="amplification"):
        read_quads(path)


def test_entities_of_ordinary_size_are_read(tmp_path: Path) -> None:
    path = tmp_path / "namespaces.rdf"
    path.write_text(entity_laughs(2))
    (quad,) = read_quads(path)
    assert quad.subject == NamedNode("http://example.org/a")
    assert quad.object.value == "lol" * 100


def test_xml_that_is_not_well_formed_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.rdf"
    path.write_text("<rdf:RDF><unclosed></rdf:RDF>")
    with pytest.raises(RDFSyntaxError, match=r"broken\.rdf: not well-formed XML"):
        read_quads(path)


def test_an_ill_typed_literal_is_kept_without_a_traceback_in_the_log(caplog):
    # SHACL reports it in one line (sh:datatype); rdflib's traceback per literal buried that.
    xsd = "http://www.w3.org/2001/XMLSchema#"
    triple = Triple(
        NamedNode("http://example.org/a"),
        NamedNode("http://example.org/amount"),
        Literal("twelve", datatype=NamedNode(xsd + "integer")),
    )
    with caplog.at_level(logging.DEBUG):
        graph = rdflib_graph([triple])
    (value,) = graph.objects()
    assert isinstance(value, rdflib.Literal)
    assert value.ill_typed
    assert [r for r in caplog.records if r.name.startswith("rdflib")] == []
