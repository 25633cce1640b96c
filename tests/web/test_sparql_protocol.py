"""The SPARQL 1.1 Protocol for queries, one case per test (as Oxigraph tests its server)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from interfaces import INTERFACES, client_of
from sparql_support import DECISIONS, GRAPH, ID, PREFIXES, endpoint_settings, fixture_quads

from policygraph.store.local import LocalStore
from policygraph.web import close_app, create_app

SELECT_DECISIONS = PREFIXES + "SELECT ?d WHERE { ?d a pg:GovernmentDecision }"
FORM = "application/x-www-form-urlencoded"


@pytest.fixture(scope="module")
def app() -> Iterator[Flask]:
    app = create_app(endpoint_settings(), store=LocalStore.in_memory(fixture_quads()))
    yield app
    close_app(app)


@pytest.fixture(params=INTERFACES)
def client(app: Flask, request: pytest.FixtureRequest) -> FlaskClient:
    return client_of(app, request.param)  # type: ignore[return-value]


def rows(response) -> list[dict[str, dict[str, str]]]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.get_data(as_text=True)
    return json.loads(response.data)["results"]["bindings"]  # type: ignore[no-any-return]


def test_get_query(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": SELECT_DECISIONS})
    assert response.mimetype == "application/sparql-results+json"
    assert len(rows(response)) == DECISIONS


def test_post_form(client: FlaskClient) -> None:
    response = client.post("/sparql", data={"query": SELECT_DECISIONS}, content_type=FORM)
    assert len(rows(response)) == DECISIONS


@pytest.mark.parametrize(
    "content_type",
    [
        "application/sparql-query",
        "application/sparql-query; charset=UTF-8",
        "application/sparql-query;charset=utf-8",
    ],
)
def test_post_direct(client: FlaskClient, content_type: str) -> None:
    response = client.post("/sparql", data=SELECT_DECISIONS.encode(), content_type=content_type)
    assert len(rows(response)) == DECISIONS


def test_post_direct_declared_in_another_charset_is_400(client: FlaskClient) -> None:
    body = "ASK {}".encode("utf-16")
    response = client.post(
        "/sparql", data=body, content_type="application/sparql-query; charset=UTF-16"
    )
    assert response.status_code == 400
    assert "UTF-8" in response.get_data(as_text=True)


def test_post_direct_body_that_is_not_utf8_is_400(client: FlaskClient) -> None:
    response = client.post(
        "/sparql",
        data='SELECT ("caf\xe9" AS ?x) {}'.encode("latin-1"),
        content_type="application/sparql-query",
    )
    assert response.status_code == 400
    assert "UTF-8" in response.get_data(as_text=True)


def test_form_parameter_that_is_not_utf8_is_400(client: FlaskClient) -> None:
    response = client.post(
        "/sparql", data=b"query=SELECT%20(%22caf%E9%22%20AS%20%3Fx)%20%7B%7D", content_type=FORM
    )
    assert response.status_code == 400


def test_url_parameter_that_is_not_utf8_is_400(client: FlaskClient) -> None:
    response = client.get("/sparql?query=ASK%20%7B%7D&format=%E9")
    assert response.status_code == 400


def test_repeated_query_is_400(client: FlaskClient) -> None:
    response = client.get("/sparql?query=ASK%20%7B%7D&query=ASK%20%7B%7D")
    assert response.status_code == 400
    assert "more than once" in response.get_data(as_text=True)


def test_repeated_query_in_form_is_400(client: FlaskClient) -> None:
    response = client.post(
        "/sparql", data=b"query=ASK%20%7B%7D&query=ASK%20%7B%7D", content_type=FORM
    )
    assert response.status_code == 400


def test_missing_query_in_form_is_400(client: FlaskClient) -> None:
    response = client.post("/sparql", data={"format": "json"}, content_type=FORM)
    assert response.status_code == 400


def test_empty_direct_body_is_400(client: FlaskClient) -> None:
    response = client.post("/sparql", data=b"", content_type="application/sparql-query")
    assert response.status_code == 400


def test_dataset_without_query_is_400(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"default-graph-uri": GRAPH + "beslissingen"})
    assert response.status_code == 400


def test_query_in_url_and_form_body_is_400(client: FlaskClient) -> None:
    response = client.post(
        "/sparql?query=ASK%20%7B%7D", data={"query": "ASK {}"}, content_type=FORM
    )
    assert response.status_code == 400
    assert "both in the URL and in the body" in response.get_data(as_text=True)


def test_dataset_parameter_in_url_and_form_body_is_400(client: FlaskClient) -> None:
    graph = GRAPH + "beslissingen"
    response = client.post(
        f"/sparql?default-graph-uri={graph}",
        data={"query": "ASK {}", "default-graph-uri": graph},
        content_type=FORM,
    )
    assert response.status_code == 400


def test_query_parameter_beside_a_direct_body_is_400(client: FlaskClient) -> None:
    response = client.post(
        "/sparql?query=ASK%20%7B%7D", data=b"ASK {}", content_type="application/sparql-query"
    )
    assert response.status_code == 400


def test_dataset_in_url_with_form_body(client: FlaskClient) -> None:
    response = client.post(
        f"/sparql?default-graph-uri={GRAPH}organisaties",
        data={"query": PREFIXES + "SELECT ?a { ?a a pg:Agency }"},
        content_type=FORM,
    )
    assert len(rows(response)) == 2


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/json", "application/sparql-results+json"]
)
def test_unsupported_body_type_is_415(client: FlaskClient, content_type: str) -> None:
    response = client.post("/sparql", data=b"ASK {}", content_type=content_type)
    assert response.status_code == 415


def test_missing_body_type_is_415(client: FlaskClient) -> None:
    response = client.post("/sparql", data=b"ASK {}")
    assert response.status_code == 415


def test_update_parameter_is_refused(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"update": "CLEAR ALL"})
    assert response.status_code == 400
    assert "read-only" in response.get_data(as_text=True)


def test_update_body_is_refused(client: FlaskClient) -> None:
    response = client.post("/sparql", data=b"CLEAR ALL", content_type="application/sparql-update")
    assert response.status_code == 400
    assert "read-only" in response.get_data(as_text=True)


def test_update_form_is_refused(client: FlaskClient) -> None:
    response = client.post("/sparql", data={"update": "DROP ALL"}, content_type=FORM)
    assert response.status_code == 400
    assert "read-only" in response.get_data(as_text=True)


def test_update_sent_as_query_is_refused(client: FlaskClient) -> None:
    response = client.get(
        "/sparql", query_string={"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}
    )
    assert response.status_code == 400
    assert "read-only" in response.get_data(as_text=True)


def test_syntax_error_is_400_with_position(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": "SELECT * WHERE {"})
    assert response.status_code == 400
    assert "1:" in response.get_data(as_text=True)


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_are_405(client: FlaskClient, method: str) -> None:
    response = client.open("/sparql?query=ASK%20%7B%7D", method=method)
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]


def test_head_answers_like_get_without_body(client: FlaskClient) -> None:
    response = client.head("/sparql", query_string={"query": "ASK {}"})
    assert response.status_code == 200
    assert response.mimetype == "application/sparql-results+json"
    assert response.data == b""


def test_default_graph_uri_selects_the_default_graph(client: FlaskClient) -> None:
    query = PREFIXES + "SELECT ?x { ?x a ?type }"
    response = client.get(
        "/sparql", query_string={"query": query, "default-graph-uri": GRAPH + "organisaties"}
    )
    assert {row["x"]["value"] for row in rows(response)} == {
        ID + "organisatie/fit",
        ID + "organisatie/toerisme-vlaanderen",
    }


def test_several_default_graph_uris_are_merged(client: FlaskClient) -> None:
    query = "SELECT (COUNT(DISTINCT ?x) AS ?n) { ?x a ?type }"
    response = client.get(
        "/sparql",
        query_string=[
            ("query", query),
            ("default-graph-uri", GRAPH + "organisaties"),
            ("default-graph-uri", GRAPH + "beslissingen"),
        ],
    )
    assert rows(response)[0]["n"]["value"] == str(DECISIONS + 2)


def test_named_graph_uri_limits_graph_patterns(client: FlaskClient) -> None:
    query = "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }"
    response = client.get(
        "/sparql", query_string={"query": query, "named-graph-uri": GRAPH + "organisaties"}
    )
    assert [row["g"]["value"] for row in rows(response)] == [GRAPH + "organisaties"]


def test_named_graph_uri_alone_leaves_an_empty_default_graph(client: FlaskClient) -> None:
    response = client.get(
        "/sparql",
        query_string={"query": "SELECT * { ?s ?p ?o }", "named-graph-uri": GRAPH + "organisaties"},
    )
    assert rows(response) == []


def test_protocol_dataset_overrides_from(client: FlaskClient) -> None:
    query = f"SELECT ?x FROM <{GRAPH}beslissingen> {{ ?x a ?type }}"
    response = client.get(
        "/sparql", query_string={"query": query, "default-graph-uri": GRAPH + "organisaties"}
    )
    assert len(rows(response)) == 2


def test_dataset_iri_must_be_absolute(client: FlaskClient) -> None:
    response = client.get(
        "/sparql", query_string={"query": "ASK {}", "default-graph-uri": "not an iri"}
    )
    assert response.status_code == 400


def test_union_default_graph_holds_every_named_graph(client: FlaskClient) -> None:
    query = "SELECT (COUNT(DISTINCT ?x) AS ?n) { ?x a ?type }"
    response = client.get("/sparql", query_string={"query": query})
    assert rows(response)[0]["n"]["value"] == str(DECISIONS + 3)


def test_from_is_honoured_under_the_union_default_graph(client: FlaskClient) -> None:
    # pyoxigraph's union flag would override FROM; the endpoint sets it only without FROM.
    query = f"SELECT (COUNT(DISTINCT ?x) AS ?n) FROM <{GRAPH}organisaties> {{ ?x a ?type }}"
    response = client.get("/sparql", query_string={"query": query})
    assert rows(response)[0]["n"]["value"] == "2"


def test_relative_iris_resolve_against_the_endpoint(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": "SELECT (<thing> AS ?x) {}"})
    assert rows(response)[0]["x"]["value"] == "http://127.0.0.1:8000/thing"


def test_without_union_the_default_graph_is_the_stores() -> None:
    app = create_app(
        endpoint_settings(union_default_graph=False), store=LocalStore.in_memory(fixture_quads())
    )
    try:
        response = app.test_client().get(
            "/sparql", query_string={"query": "SELECT ?s { ?s ?p ?o }"}
        )
        assert [row["s"]["value"] for row in rows(response)] == [ID + "bron/endpoint-tests"]
    finally:
        close_app(app)
