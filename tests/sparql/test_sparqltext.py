"""Values into SPARQL text without splicing: typed literals, VALUES blocks, the WHERE group."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Store, Variable

from policygraph.errors import QueryError
from policygraph.harvest.themis import NewsItem, Window, page_query, windows
from policygraph.sparql.binding import date_literal, datetime_literal, with_bindings
from policygraph.sparql.inspection import query_form

EX = "http://example.org/"


def test_dates_become_typed_literals_and_nothing_else_does():
    assert str(date_literal(date(2020, 1, 31))) == (
        '"2020-01-31"^^<http://www.w3.org/2001/XMLSchema#date>'
    )
    with pytest.raises(TypeError):
        date_literal("2020-01-31")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        date_literal(datetime(2020, 1, 31, tzinfo=UTC))
    brussels = timezone(timedelta(hours=1))
    assert datetime_literal(datetime(2020, 1, 31, 1, 0, tzinfo=brussels)).value == (
        "2020-01-31T00:00:00Z"
    )
    with pytest.raises(TypeError):
        datetime_literal(datetime(2020, 1, 31))  # naive: compares ambiguously


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


def test_windows_cover_the_range_without_gaps_or_overlaps():
    found = windows(date(2020, 1, 1), date(2020, 3, 15), 31)
    assert [str(w) for w in found] == [
        "2020-01-01..2020-02-01",
        "2020-02-01..2020-03-03",
        "2020-03-03..2020-03-15",
    ]
    assert Window.parse(str(found[1])) == found[1]


def test_a_page_query_is_sparql_with_typed_bounds():
    text = page_query(Window(date(2020, 1, 1), date(2020, 2, 1)), limit=50, offset=100)
    assert '"2020-01-01T00:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime>' in text
    assert "LIMIT 50" in text
    assert "OFFSET 100" in text
    assert query_form(text) == "SELECT"
    list(Store().query(text))  # parses and runs
    with pytest.raises(ValueError, match="LIMIT"):
        page_query(Window(date(2020, 1, 1), date(2020, 2, 1)), limit=0, offset=0)


def test_a_news_item_hash_follows_its_content_only():
    item = NewsItem(
        "http://t/1",
        "5E" + "0" * 22,
        "2020-01-10T10:00:00+01:00",
        None,
        "T",
        None,
        "X",
        ("http://t/a",),
        (),
    )
    same = NewsItem.from_json(item.as_json())
    assert same == item
    assert same.content_hash() == item.content_hash()
    assert item.date == date(2020, 1, 10)
    retitled = NewsItem.from_json({**item.as_json(), "title": "U"})
    assert retitled.content_hash() != item.content_hash()
