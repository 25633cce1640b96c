"""Values into SPARQL text without splicing: typed literals, VALUES blocks, the WHERE group."""

from __future__ import annotations

import pytest
from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Store, Variable

from policygraph.errors import QueryError
from policygraph.sparql.binding import with_bindings
from policygraph.sparql.inspection import query_form

EX = "http://example.org/"


@pytest.fixture
def store() -> Store:
    store = Store()
    for k in range(3):
        store.add(
            Quad(NamedNode(f"{EX}s{k}"), NamedNode(EX + "p"), Literal(f"v{k}", language="nl"))
        )
        store.add(Quad(NamedNode(f"{EX}s{k}"), NamedNode(EX + "q"), NamedNode(f"{EX}o{k}")))
    return store


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?s ?p ?o WHERE { ?s ?p ?o }",
        "SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s",
        "PREFIX ex: <http://example.org/> SELECT ?s ?o { ?s ex:q ?o }",
        "SELECT ?s ?o WHERE { { ?s ?p ?o } UNION { ?o ?p ?s } } # a comment with a { brace",
        'SELECT ?s ?x WHERE { ?s ?p ?o BIND ("}" AS ?x) }',
        "ASK { ?s <http://example.org/p> ?o }",
        "CONSTRUCT { ?s <http://example.org/r> ?o } WHERE { ?s ?p ?o }",
    ],
)
def test_bindings_in_a_values_block_answer_as_substitutions_do(store, query):
    bound = {Variable("s"): NamedNode(EX + "s1")}
    expected = store.query(query, substitutions=bound)
    actual = store.query(with_bindings(query, bound))
    assert sorted(map(str, _rows(actual))) == sorted(map(str, _rows(expected)))


def _rows(result):
    if isinstance(result, bool) or type(result).__name__ == "QueryBoolean":
        return [bool(result)]
    return list(result)


def test_describe_without_a_where_group_gets_one(store):
    text = with_bindings("DESCRIBE ?s", {Variable("s"): NamedNode(EX + "s2")})
    assert {str(t.subject) for t in store.query(text)} == {f"<{EX}s2>"}


def test_a_hostile_literal_stays_a_literal(store):
    evil = Literal('v1"@nl } } ; DROP ALL ; SELECT * { "', language="nl")
    text = with_bindings("SELECT ?o ?s WHERE { ?s ?p ?o }", {Variable("o"): evil})
    assert list(store.query(text)) == []
    assert len(store) == 6


def test_terms_that_cannot_travel_are_refused():
    with pytest.raises(QueryError, match="blank nodes"):
        with_bindings("SELECT ?s { ?s ?p ?o }", {Variable("s"): BlankNode()})
    with pytest.raises(QueryError, match="CONSTRUCT WHERE"):
        with_bindings("CONSTRUCT WHERE { ?s ?p ?o }", {Variable("s"): NamedNode(EX + "s")})
    with pytest.raises(QueryError):
        with_bindings("INSERT DATA { <a:b> <a:c> <a:d> }", {Variable("s"): NamedNode(EX + "s")})


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("PREFIX select: <http://x/> BASE <http://y/> ask { ?s select:p ?o }", "ASK"),
        ("# SELECT in a comment\nCONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("PREFIX : <http://x/> INSERT DATA { :a :b :c }", "INSERT"),
        ("  ", None),
    ],
)
def test_the_query_form_is_the_first_keyword_after_the_prologue(text, form):
    assert query_form(text) == form
