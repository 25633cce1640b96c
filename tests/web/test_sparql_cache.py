"""ETags, conditional requests and the answer cache; a new build invalidates both."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from interfaces import AsgiClient, app_on
from pyoxigraph import NamedNode, Quad
from sparql_support import (
    DECISIONS,
    PREFIXES,
    endpoint_settings,
    fixture_quads,
    publish_version,
    settled,
)

from policygraph.query import PublishedStore

COUNT = PREFIXES + "SELECT (COUNT(?d) AS ?n) WHERE { ?d a pg:GovernmentDecision }"


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    publish_version(tmp_path / "store", fixture_quads(), "first")
    return tmp_path / "store"


@pytest.fixture
def client(store_dir: Path) -> Iterator[AsgiClient]:
    with app_on(endpoint_settings(store_dir), PublishedStore(store_dir)) as app:
        yield AsgiClient(settled(app))


def count(response) -> int:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.text
    return int(json.loads(response.content)["results"]["bindings"][0]["n"]["value"])


def metric(client: AsgiClient, name: str) -> float:
    for line in client.get("/metrics").text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    raise AssertionError(f"no metric {name}")


def test_answer_has_a_weak_etag(client: AsgiClient) -> None:
    response = client.get("/sparql", params={"query": COUNT})
    assert response.headers["ETag"].startswith('W/"')
    assert response.headers["Cache-Control"] == "public, no-cache"


def test_etag_depends_on_query_and_format(client: AsgiClient) -> None:
    tags = {
        client.get("/sparql", params={"query": COUNT}).headers["ETag"],
        client.get("/sparql", params={"query": COUNT + " LIMIT 1"}).headers["ETag"],
        client.get("/sparql", params={"query": COUNT}, headers={"Accept": "text/csv"}).headers[
            "ETag"
        ],
    }
    assert len(tags) == 3


def test_if_none_match_is_304_without_evaluating(client: AsgiClient) -> None:
    etag = client.get("/sparql", params={"query": COUNT}).headers["ETag"]
    response = client.get("/sparql", params={"query": COUNT}, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["ETag"] == etag
    assert response.headers["Vary"] == "Accept"
    assert metric(client, "policygraph_query_not_modified_total") == 1


def test_if_none_match_on_post_is_412(client: AsgiClient) -> None:
    etag = client.get("/sparql", params={"query": COUNT}).headers["ETag"]
    response = client.post(
        "/sparql",
        content=COUNT.encode(),
        headers={"Content-Type": "application/sparql-query", "If-None-Match": etag},
    )
    assert response.status_code == 412


def test_stale_etag_gets_the_answer(client: AsgiClient) -> None:
    response = client.get(
        "/sparql", params={"query": COUNT}, headers={"If-None-Match": 'W/"stale"'}
    )
    assert count(response) == DECISIONS


def test_repeated_query_is_served_from_the_cache(client: AsgiClient) -> None:
    first = client.get("/sparql", params={"query": COUNT})
    second = client.post(
        "/sparql",
        data={"query": COUNT},
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert second.content == first.content
    assert metric(client, "policygraph_query_cache_hits_total") == 1
    assert metric(client, "policygraph_query_cache_misses_total") == 1


def test_nondeterministic_query_is_neither_tagged_nor_cached(client: AsgiClient) -> None:
    query = "SELECT (RAND() AS ?r) WHERE {}"
    first = client.get("/sparql", params={"query": query})
    second = client.get("/sparql", params={"query": query})
    assert "ETag" not in first.headers
    assert first.headers["Cache-Control"] == "no-store"
    assert first.content != second.content
    assert metric(client, "policygraph_query_cache_hits_total") == 0


def test_cache_is_bounded(store_dir: Path) -> None:
    settings = endpoint_settings(store_dir, cache_entries=2)
    with app_on(settings, PublishedStore(store_dir)) as app:
        client = AsgiClient(app)
        for limit in range(5):
            client.get("/sparql", params={"query": f"{COUNT} LIMIT {limit + 1}"})
        assert len(app.endpoint.cache) == 2


def test_a_new_build_changes_etag_and_answer(client: AsgiClient, store_dir: Path) -> None:
    first = client.get("/sparql", params={"query": COUNT})
    assert count(first) == DECISIONS
    extra = Quad(
        NamedNode("https://data.policygraph.be/id/beslissing/D5"),
        NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
        NamedNode("https://data.policygraph.be/ns/policygraph#GovernmentDecision"),
        NamedNode("https://data.policygraph.be/graph/beslissingen"),
    )
    publish_version(store_dir, [*fixture_quads(), extra], "second")
    second = client.get("/sparql", params={"query": COUNT})
    assert count(second) == DECISIONS + 1
    assert second.headers["ETag"] != first.headers["ETag"]
    stale = client.get(
        "/sparql", params={"query": COUNT}, headers={"If-None-Match": first.headers["ETag"]}
    )
    assert stale.status_code == 200
    assert client.get("/healthz").json()["version"] == "second"


def test_healthz(client: AsgiClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["version"] == "first"


def test_metrics_count_requests_and_latency(client: AsgiClient) -> None:
    client.get("/sparql", params={"query": COUNT})
    client.get("/sparql", params={"query": "SELECT * {"})
    text = client.get("/metrics").text
    assert 'policygraph_http_requests_total{endpoint="sparql",status="200"} 1.0' in text
    assert 'policygraph_http_requests_total{endpoint="sparql",status="400"} 1.0' in text
    assert 'policygraph_http_request_duration_seconds_count{endpoint="sparql"} 2.0' in text
    assert "policygraph_query_timeouts_total 0.0" in text
