"""Query texts made to crash a parser: refused in the web process with a 400 that names the
bound, and, where a crash gets past the bounds, answered 503 with a message, never 500; the
endpoint answers a known query correctly afterwards (issue: a FILTER nested 5,000 deep killed
its worker with SIGSEGV and answered 500)."""

from __future__ import annotations

import json

import pytest
from interfaces import AsgiClient
from sparql_support import DECISIONS, PREFIXES, app_with

from policygraph.web import Front

KNOWN = PREFIXES + "SELECT (COUNT(?d) AS ?n) WHERE { ?d a pg:GovernmentDecision }"


def nested_filter(depth: int) -> str:
    return "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * depth + "?o" + ")" * depth + ") }"


def post(app: Front, text: str):  # type: ignore[no-untyped-def]
    return AsgiClient(app).post(
        "/sparql", content=text.encode(), headers={"Content-Type": "application/sparql-query"}
    )


def still_answers(app: Front) -> None:
    response = AsgiClient(app).get(
        "/sparql", params={"query": KNOWN}, headers={"Accept": "application/sparql-results+json"}
    )
    assert response.status_code == 200
    [row] = json.loads(response.text)["results"]["bindings"]
    assert int(row["n"]["value"]) == DECISIONS


def test_a_filter_nested_5000_deep_is_refused_before_any_parser_reads_it() -> None:
    with app_with() as app:
        pool = app.endpoint.pool
        before = (pool.dispatched, pool.killed)
        response = post(app, nested_filter(5_000))
        assert response.status_code == 400
        assert "nests brackets 5002 deep" in response.text
        assert "max_query_depth" in response.text
        assert (pool.dispatched, pool.killed) == before
        still_answers(app)


@pytest.mark.parametrize(
    ("settings", "text", "named"),
    [
        ({"max_query_tokens": 50}, "SELECT * WHERE { " + "?s ?p ?o . " * 20 + "}", "tokens"),
        ({"max_query_string_chars": 100}, f'ASK {{ ?s ?p "{"x" * 200}" }}', "string_chars"),
    ],
)
def test_a_text_past_its_bounds_is_refused_with_the_bound_named(settings, text, named) -> None:
    with app_with(**settings) as app:
        response = AsgiClient(app).get("/sparql", params={"query": text})
        assert response.status_code == 400
        assert f"max_query_{named}" in response.text


def test_brackets_inside_strings_and_iris_do_not_count() -> None:
    text = 'SELECT * WHERE { ?s ?p ?o FILTER(?o != "' + "(" * 500 + '") }'
    with app_with(max_query_depth=8) as app:
        response = AsgiClient(app).get("/sparql", params={"query": text})
        assert response.status_code == 200


@pytest.mark.slow
def test_a_parser_crash_past_the_bounds_is_a_503_with_a_message_not_a_500() -> None:
    with app_with(max_query_depth=1_000_000) as app:
        pool = app.endpoint.pool
        killed = pool.killed
        response = post(app, nested_filter(20_000))
        assert response.status_code == 503
        assert "the query engine failed on it" in response.text
        assert pool.killed >= killed + 2  # the worker, and the fresh one it was given to
        still_answers(app)


def doubling(times: int) -> str:
    """A string of 16 characters doubled ``times`` times, by BINDs: cheap text, 16 * 2**times
    characters of memory (the issue's CONCAT campaign reached 3 GB in 11 s)."""
    binds = " ".join(f"BIND(CONCAT(?x{i}, ?x{i}) AS ?x{i + 1})" for i in range(times))
    return f'SELECT (STRLEN(?x{times}) AS ?n) WHERE {{ BIND("0123456789abcdef" AS ?x0) {binds} }}'


@pytest.mark.slow
def test_a_query_past_its_memory_bound_is_stopped_and_answered_503() -> None:
    with app_with(query_memory_limit=256 << 20, max_concurrent_queries=1) as app:
        pool = app.endpoint.pool
        response = post(app, doubling(16))  # 1 MiB: well within the bound
        assert response.status_code == 200
        assert '"1048576"' in response.text
        response = post(app, doubling(27))  # 2 GiB: far past it
        assert response.status_code == 503
        assert "query_memory_limit" in response.text
        assert pool.aborted == 1
        metrics = AsgiClient(app).get("/metrics").text
        assert 'policygraph_query_refused_total{reason="QueryAbortedError"} 1.0' in metrics
        still_answers(app)
