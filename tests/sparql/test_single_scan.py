"""Which queries are a single index scan (answered in the web process), checked two ways.

By hand, on the shapes that matter; and on every query of the W3C SPARQL 1.1 test suite, where
each query the tokenizer accepts must have, by rdflib's independent parser, the algebra of a
single scan: one triple pattern without repeated variables, under a projection and a LIMIT at
most. The classification must be sound (never accept a query that can do unbounded work per
row); it need not be complete.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Variable

from policygraph.query import is_single_scan

W3C = Path(__file__).resolve().parents[1] / "w3c" / "data"

SINGLE_SCANS = [
    "SELECT ?p ?o WHERE { <http://example.org/a> ?p ?o }",
    "select ?s where { ?s ?p <http://example.org/o> . }",
    "PREFIX dct: <http://purl.org/dc/terms/>\nSELECT * { ?s dct:title 'x'@nl } LIMIT 10 # a note",
    'SELECT ?s { ?s ?p "1"^^<http://www.w3.org/2001/XMLSchema#int> }',
    "BASE <http://example.org/>\nASK { ?s a <C> }",
    "CONSTRUCT WHERE { <http://example.org/a> ?p ?o }",
    "DESCRIBE <http://example.org/a>",
    "PREFIX ex: <http://example.org/>\nDESCRIBE ex:a ex:b",
    "SELECT $p ?o { <http://example.org/a> ?p $o }",
]

NOT_SINGLE_SCANS = [
    "SELECT DISTINCT ?p WHERE { ?s ?p ?o }",  # skipping duplicates: many steps per row
    "SELECT ?s { ?s ?s ?o }",  # a repeated variable filters the scan
    "SELECT ?s { ?s ?p $s }",
    "SELECT * { ?s ?p ?o FILTER(false) }",
    "SELECT * { ?s <http://example.org/p>* ?o }",
    "SELECT * { ?s <http://example.org/p>/<http://example.org/q> ?o }",
    "SELECT * { ?s ?p ?o } OFFSET 5",
    "SELECT * { ?s ?p ?o } LIMIT 1 OFFSET 1",
    "SELECT * { ?s ?p ?o . ?a ?b ?c }",
    "SELECT * { ?s ?p ?o ; ?q ?r }",
    "SELECT * { ?s ?p ?o } ORDER BY ?s",
    "SELECT * FROM <http://example.org/g> { ?s ?p ?o }",
    "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }",
    "SELECT * { GRAPH ?g { ?s ?p ?o } }",
    "SELECT * { ?s ?p ?o OPTIONAL { ?o ?q ?r } }",
    "SELECT * { ?s ?p ?o } VALUES ?s { <http://example.org/a> }",
    "SELECT * { [] ?p ?o }",
    "SELECT * { ?s ?p 42 }",
    "SELECT * { { ?s ?p ?o } }",
    "SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "CONSTRUCT { ?s <http://example.org/p> ?o } WHERE { ?s ?p ?o }",
    "DESCRIBE ?s WHERE { ?s ?p ?o }",
    "DESCRIBE <http://example.org/a> LIMIT",
    "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }",
    "ASK {}",
    "",
    "not SPARQL at all",
]


@pytest.mark.parametrize("query", SINGLE_SCANS)
def test_single_scans_are_recognised(query: str) -> None:
    assert is_single_scan(query)
    assert _single_scan_algebra(prepareQuery(query).algebra)


@pytest.mark.parametrize("query", NOT_SINGLE_SCANS)
def test_everything_else_is_not(query: str) -> None:
    assert not is_single_scan(query)


def _w3c_queries() -> list[Path]:
    return sorted(W3C.rglob("*.rq"))


def test_every_w3c_query_accepted_is_a_single_scan_by_its_algebra() -> None:
    accepted = []
    for path in _w3c_queries():
        text = path.read_text(encoding="utf-8")
        if not is_single_scan(text):
            continue
        accepted.append(path.name)
        assert _single_scan_algebra(prepareQuery(text).algebra), path
    assert len(accepted) >= 5, accepted  # the check above did check something


def _single_scan_algebra(node: Any) -> bool:
    """True for rdflib's algebra of a single scan (see the module's docstring)."""
    if not isinstance(node, CompValue):
        return False
    if node.name == "DescribeQuery":
        return node.p is None
    if node.name == "ConstructQuery" and node.template is not None:
        return False
    if node.name in ("SelectQuery", "AskQuery", "ConstructQuery", "Project"):
        return _single_scan_algebra(node.p)
    if node.name == "Slice":
        return not node.start and _single_scan_algebra(node.p)
    if node.name == "BGP":
        if len(node.triples) != 1:
            return False
        variables = [term for term in node.triples[0] if isinstance(term, Variable)]
        return len(set(variables)) == len(variables)
    return False
