"""The SPARQL 1.1 Protocol for queries, one case per test (as Oxigraph tests its server)."""

from __future__ import annotations

import json

import httpx
import pytest
from interfaces import media_type_of
from sparql_support import (
    DECISIONS,
    GRAPH,
    ID,
    PREFIXES,
    client_with,
)

Client = httpx.Client

SELECT_DECISIONS = PREFIXES + "SELECT ?d WHERE { ?d a pg:GovernmentDecision }"
FORM = "application/x-www-form-urlencoded"


def rows(response) -> list[dict[str, dict[str, str]]]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.text
    return json.loads(response.content)["results"]["bindings"]  # type: ignore[no-any-return]


def test_get_query(client: Client) -> None:
    response = client.get("/sparql", params={"query": SELECT_DECISIONS})
    assert media_type_of(response) == "application/sparql-results+json"
    assert len(rows(response)) == DECISIONS


def test_post_form(client: Client) -> None:
    response = client.post(
        "/sparql", data={"query": SELECT_DECISIONS}, headers={"Content-Type": FORM}
    )
    assert len(rows(response)) == DECISIONS


@pytest.mark.parametrize(
    "content_type",
    [
        "application/sparql-query",
        "application/sparql-query; charset=UTF-8",
        "application/sparql-query;charset=utf-8",
    ],
)
def test_post_direct(client: Client, content_type: str) -> None:
    response = client.post(
        "/sparql", content=SELECT_DECISIONS.encode(), headers={"Content-Type": content_type}
    )
    assert len(rows(response)) == DECISIONS


def test_post_direct_declared_in_another_charset_is_400(client: Client) -> None:
    body = "ASK {}".encode("utf-16")
    response = client.post(
        "/sparql",
        content=body,
        headers={"Content-Type": "application/sparql-query; charset=UTF-16"},
    )
    assert response.status_code == 400
    assert "UTF-8" in response.text


def test_post_direct_body_that_is_not_utf8_is_400(client: Client) -> None:
    response = client.post(
        "/sparql",
        content='SELECT ("caf\xe9" AS ?x) {}'.encode("latin-1"),
        headers={"Content-Type": "application/sparql-query"},
    )
    assert response.status_code == 400
    assert "UTF-8" in response.text


def test_form_parameter_that_is_not_utf8_is_400(client: Client) -> None:
    response = client.post(
        "/sparql",
        content=b"query=SELECT%20(%22caf%E9%22%20AS%20%3Fx)%20%7B%7D",
        headers={"Content-Type": FORM},
    )
    assert response.status_code == 400


def test_url_parameter_that_is_not_utf8_is_400(client: Client) -> None:
    response = client.get("/sparql?query=ASK%20%7B%7D&format=%E9")
    assert response.status_code == 400


def test_repeated_query_is_400(client: Client) -> None:
    response = client.get("/sparql?query=ASK%20%7B%7D&query=ASK%20%7B%7D")
    assert response.status_code == 400
    assert "more than once" in response.text


def test_repeated_query_in_form_is_400(client: Client) -> None:
    response = client.post(
        "/sparql", content=b"query=ASK%20%7B%7D&query=ASK%20%7B%7D", headers={"Content-Type": FORM}
    )
    assert response.status_code == 400


def test_missing_query_in_form_is_400(client: Client) -> None:
    response = client.post("/sparql", data={"format": "json"}, headers={"Content-Type": FORM})
    assert response.status_code == 400


def test_empty_direct_body_is_400(client: Client) -> None:
    response = client.post(
        "/sparql", content=b"", headers={"Content-Type": "application/sparql-query"}
    )
    assert response.status_code == 400


def test_dataset_without_query_is_400(client: Client) -> None:
    response = client.get("/sparql", params={"default-graph-uri": GRAPH + "beslissingen"})
    assert response.status_code == 400


def test_query_in_url_and_form_body_is_400(client: Client) -> None:
    response = client.post(
        "/sparql?query=ASK%20%7B%7D", data={"query": "ASK {}"}, headers={"Content-Type": FORM}
    )
    assert response.status_code == 400
    assert "both in the URL and in the body" in response.text


def test_dataset_parameter_in_url_and_form_body_is_400(client: Client) -> None:
    graph = GRAPH + "beslissingen"
    response = client.post(
        f"/sparql?default-graph-uri={graph}",
        data={"query": "ASK {}", "default-graph-uri": graph},
        headers={"Content-Type": FORM},
    )
    assert response.status_code == 400


def test_query_parameter_beside_a_direct_body_is_400(client: Client) -> None:
    response = client.post(
        "/sparql?query=ASK%20%7B%7D",
        content=b"ASK {}",
        headers={"Content-Type": "application/sparql-query"},
    )
    assert response.status_code == 400


def test_dataset_in_url_with_form_body(client: Client) -> None:
    response = client.post(
        f"/sparql?default-graph-uri={GRAPH}organisaties",
        data={"query": PREFIXES + "SELECT ?a { ?a a pg:Agency }"},
        headers={"Content-Type": FORM},
    )
    assert len(rows(response)) == 2


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/json", "application/sparql-results+json"]
)
def test_unsupported_body_type_is_415(client: Client, content_type: str) -> None:
    response = client.post("/sparql", content=b"ASK {}", headers={"Content-Type": content_type})
    assert response.status_code == 415


def test_missing_body_type_is_415(client: Client) -> None:
    response = client.post("/sparql", content=b"ASK {}")
    assert response.status_code == 415


def test_update_parameter_is_refused(client: Client) -> None:
    response = client.get("/sparql", params={"update": "CLEAR ALL"})
    assert response.status_code == 400
    assert "read-only" in response.text


def test_update_body_is_refused(client: Client) -> None:
    response = client.post(
        "/sparql", content=b"CLEAR ALL", headers={"Content-Type": "application/sparql-update"}
    )
    assert response.status_code == 400
    assert "read-only" in response.text


def test_update_form_is_refused(client: Client) -> None:
    response = client.post("/sparql", data={"update": "DROP ALL"}, headers={"Content-Type": FORM})
    assert response.status_code == 400
    assert "read-only" in response.text


def test_update_sent_as_query_is_refused(client: Client) -> None:
    response = client.get("/sparql", params={"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"})
    assert response.status_code == 400
    assert "read-only" in response.text


def test_syntax_error_is_400_with_position(client: Client) -> None:
    response = client.get("/sparql", params={"query": "SELECT * WHERE {"})
    assert response.status_code == 400
    assert "line 1, column 17: expected a variable" in response.text


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_are_405(client: Client, method: str) -> None:
    response = client.request(method, "/sparql?query=ASK%20%7B%7D")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]


def test_head_answers_like_get_without_body(client: Client) -> None:
    response = client.head("/sparql", params={"query": "ASK {}"})
    assert response.status_code == 200
    assert media_type_of(response) == "application/sparql-results+json"
    assert response.content == b""


def test_default_graph_uri_selects_the_default_graph(client: Client) -> None:
    query = PREFIXES + "SELECT ?x { ?x a ?type }"
    response = client.get(
        "/sparql", params={"query": query, "default-graph-uri": GRAPH + "organisaties"}
    )
    assert {row["x"]["value"] for row in rows(response)} == {
        ID + "organisatie/fit",
        ID + "organisatie/toerisme-vlaanderen",
    }


def test_several_default_graph_uris_are_merged(client: Client) -> None:
    query = "SELECT (COUNT(DISTINCT ?x) AS ?n) { ?x a ?type }"
    response = client.get(
        "/sparql",
        params=[
            ("query", query),
            ("default-graph-uri", GRAPH + "organisaties"),
            ("default-graph-uri", GRAPH + "beslissingen"),
        ],
    )
    assert rows(response)[0]["n"]["value"] == str(DECISIONS + 2)


def test_named_graph_uri_limits_graph_patterns(client: Client) -> None:
    query = "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }"
    response = client.get(
        "/sparql", params={"query": query, "named-graph-uri": GRAPH + "organisaties"}
    )
    assert [row["g"]["value"] for row in rows(response)] == [GRAPH + "organisaties"]


def test_named_graph_uri_alone_leaves_an_empty_default_graph(client: Client) -> None:
    response = client.get(
        "/sparql",
        params={"query": "SELECT * { ?s ?p ?o }", "named-graph-uri": GRAPH + "organisaties"},
    )
    assert rows(response) == []


def test_protocol_dataset_overrides_from(client: Client) -> None:
    query = f"SELECT ?x FROM <{GRAPH}beslissingen> {{ ?x a ?type }}"
    response = client.get(
        "/sparql", params={"query": query, "default-graph-uri": GRAPH + "organisaties"}
    )
    assert len(rows(response)) == 2


def test_dataset_iri_must_be_absolute(client: Client) -> None:
    response = client.get("/sparql", params={"query": "ASK {}", "default-graph-uri": "not an iri"})
    assert response.status_code == 400


def test_union_default_graph_holds_every_named_graph(client: Client) -> None:
    query = "SELECT (COUNT(DISTINCT ?x) AS ?n) { ?x a ?type }"
    response = client.get("/sparql", params={"query": query})
    assert rows(response)[0]["n"]["value"] == str(DECISIONS + 3)


def test_from_is_honoured_under_the_union_default_graph(client: Client) -> None:
    # pyoxigraph's union flag would override FROM; the endpoint sets it only without FROM.
    query = f"SELECT (COUNT(DISTINCT ?x) AS ?n) FROM <{GRAPH}organisaties> {{ ?x a ?type }}"
    response = client.get("/sparql", params={"query": query})
    assert rows(response)[0]["n"]["value"] == "2"


def test_relative_iris_resolve_against_the_endpoint(client: Client) -> None:
    response = client.get("/sparql", params={"query": "SELECT (<thing> AS ?x) {}"})
    assert rows(response)[0]["x"]["value"] == "http://127.0.0.1:8000/thing"


def test_without_union_the_default_graph_is_the_stores() -> None:
    with client_with(union_default_graph=False) as client:
        response = client.get("/sparql", params={"query": "SELECT ?s { ?s ?p ?o }"})
        assert [row["s"]["value"] for row in rows(response)] == [ID + "bron/endpoint-tests"]


def test_a_syntax_error_is_answered_in_words_with_its_line_and_a_caret(client: Client) -> None:
    response = client.get("/sparql", params={"query": "PREFIX ex: <https://e.org/>\nSELEC ?x {}"})
    assert response.status_code == 400
    assert "line 2, column 1: expected SELECT, CONSTRUCT, DESCRIBE or ASK, found 'SELEC'" in (
        response.text
    )
    assert "SELEC ?x {}\n" in response.text
    assert "\n  ^" in response.text
