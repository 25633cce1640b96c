"""ETags, conditional requests and the answer cache; a new build invalidates both."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pyoxigraph import NamedNode, Quad
from sparql_support import (
    DECISIONS,
    PREFIXES,
    endpoint_settings,
    fixture_quads,
    publish_version,
    settled,
)

from policygraph.store.local import LocalStore
from policygraph.web import close_app, create_app
from policygraph.web.sparql import EXTENSION

COUNT = PREFIXES + "SELECT (COUNT(?d) AS ?n) WHERE { ?d a pg:GovernmentDecision }"


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    publish_version(tmp_path / "store", fixture_quads(), "first")
    return tmp_path / "store"


@pytest.fixture
def app(store_dir: Path) -> Iterator[Flask]:
    settings = endpoint_settings(store_dir)
    app = create_app(settings, store=LocalStore.open(store_dir))
    yield settled(app)
    close_app(app)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def count(response) -> int:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.get_data(as_text=True)
    return int(json.loads(response.data)["results"]["bindings"][0]["n"]["value"])


def metric(client: FlaskClient, name: str) -> float:
    for line in client.get("/metrics").get_data(as_text=True).splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    raise AssertionError(f"no metric {name}")


def test_answer_has_a_weak_etag(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": COUNT})
    assert response.headers["ETag"].startswith('W/"')
    assert response.headers["Cache-Control"] == "public, no-cache"


def test_etag_depends_on_query_and_format(client: FlaskClient) -> None:
    tags = {
        client.get("/sparql", query_string={"query": COUNT}).headers["ETag"],
        client.get("/sparql", query_string={"query": COUNT + " LIMIT 1"}).headers["ETag"],
        client.get(
            "/sparql", query_string={"query": COUNT}, headers={"Accept": "text/csv"}
        ).headers["ETag"],
    }
    assert len(tags) == 3


def test_if_none_match_is_304_without_evaluating(client: FlaskClient) -> None:
    etag = client.get("/sparql", query_string={"query": COUNT}).headers["ETag"]
    response = client.get("/sparql", query_string={"query": COUNT}, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.data == b""
    assert response.headers["ETag"] == etag
    assert response.headers["Vary"] == "Accept"
    assert metric(client, "policygraph_query_not_modified_total") == 1


def test_if_none_match_on_post_is_412(client: FlaskClient) -> None:
    etag = client.get("/sparql", query_string={"query": COUNT}).headers["ETag"]
    response = client.post(
        "/sparql",
        data=COUNT.encode(),
        content_type="application/sparql-query",
        headers={"If-None-Match": etag},
    )
    assert response.status_code == 412


def test_stale_etag_gets_the_answer(client: FlaskClient) -> None:
    response = client.get(
        "/sparql", query_string={"query": COUNT}, headers={"If-None-Match": 'W/"stale"'}
    )
    assert count(response) == DECISIONS


def test_repeated_query_is_served_from_the_cache(client: FlaskClient) -> None:
    first = client.get("/sparql", query_string={"query": COUNT})
    second = client.post(
        "/sparql", data={"query": COUNT}, content_type="application/x-www-form-urlencoded"
    )
    assert second.data == first.data
    assert metric(client, "policygraph_query_cache_hits_total") == 1
    assert metric(client, "policygraph_query_cache_misses_total") == 1


def test_nondeterministic_query_is_neither_tagged_nor_cached(client: FlaskClient) -> None:
    query = "SELECT (RAND() AS ?r) WHERE {}"
    first = client.get("/sparql", query_string={"query": query})
    second = client.get("/sparql", query_string={"query": query})
    assert "ETag" not in first.headers
    assert first.headers["Cache-Control"] == "no-store"
    assert first.data != second.data
    assert metric(client, "policygraph_query_cache_hits_total") == 0


def test_cache_is_bounded(store_dir: Path) -> None:
    app = create_app(
        endpoint_settings(store_dir, cache_entries=2), store=LocalStore.open(store_dir)
    )
    try:
        client = app.test_client()
        for limit in range(5):
            client.get("/sparql", query_string={"query": f"{COUNT} LIMIT {limit + 1}"})
        assert len(app.extensions[EXTENSION].cache) == 2
    finally:
        close_app(app)


def test_a_new_build_changes_etag_and_answer(client: FlaskClient, store_dir: Path) -> None:
    first = client.get("/sparql", query_string={"query": COUNT})
    assert count(first) == DECISIONS
    extra = Quad(
        NamedNode("https://data.policygraph.be/id/beslissing/D5"),
        NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
        NamedNode("https://data.policygraph.be/ns/policygraph#GovernmentDecision"),
        NamedNode("https://data.policygraph.be/graph/beslissingen"),
    )
    publish_version(store_dir, [*fixture_quads(), extra], "second")
    second = client.get("/sparql", query_string={"query": COUNT})
    assert count(second) == DECISIONS + 1
    assert second.headers["ETag"] != first.headers["ETag"]
    stale = client.get(
        "/sparql", query_string={"query": COUNT}, headers={"If-None-Match": first.headers["ETag"]}
    )
    assert stale.status_code == 200
    assert client.get("/healthz").get_json()["version"] == "second"


def test_healthz(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["version"] == "first"


def test_metrics_count_requests_and_latency(client: FlaskClient) -> None:
    client.get("/sparql", query_string={"query": COUNT})
    client.get("/sparql", query_string={"query": "SELECT * {"})
    text = client.get("/metrics").get_data(as_text=True)
    assert 'policygraph_http_requests_total{endpoint="sparql",status="200"} 1.0' in text
    assert 'policygraph_http_requests_total{endpoint="sparql",status="400"} 1.0' in text
    assert 'policygraph_http_request_duration_seconds_count{endpoint="sparql"} 2.0' in text
    assert "policygraph_query_timeouts_total 0.0" in text
