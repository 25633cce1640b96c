"""Reading RDF files: hostile XML is refused before the RDF/XML parser sees it."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_inputs import entity_laughs
from pyoxigraph import NamedNode

from policygraph.errors import RDFSyntaxError
from policygraph.rdfio import read_quads


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
