"""The service description on GET /sparql without a query: RDF by negotiation, a page for people."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from interfaces import (
    AsgiClient,
    Clients,
    LoopbackServer,
    app_on,
    in_memory,
    media_type_of,
)
from pyoxigraph import Dataset, NamedNode, Quad, RdfFormat, parse
from sparql_support import endpoint_settings, fixture_quads

SD = "http://www.w3.org/ns/sparql-service-description#"
PUBLIC = "https://query.policygraph.example"


@pytest.fixture(scope="module")
def clients() -> Iterator[Clients]:
    settings = endpoint_settings(
        public_url=PUBLIC, service_allowlist="https://query.wikidata.org/sparql"
    )
    with app_on(settings, in_memory(fixture_quads())) as app:
        clients = Clients(app)
        yield clients
        clients.close()


def description(client: AsgiClient, accept: str, rdf_format: RdfFormat) -> Dataset:
    response = client.get("/sparql", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["Vary"] == "Accept"
    return Dataset(parse(response.content, rdf_format))


@pytest.mark.parametrize(
    ("accept", "rdf_format"),
    [
        ("text/turtle", RdfFormat.TURTLE),
        ("*/*", RdfFormat.TURTLE),
        ("application/ld+json", RdfFormat.JSON_LD),
        ("application/rdf+xml", RdfFormat.RDF_XML),
        ("application/n-triples", RdfFormat.N_TRIPLES),
    ],
)
def test_endpoint_is_the_configured_public_url(
    client: AsgiClient, accept: str, rdf_format: RdfFormat
) -> None:
    dataset = description(client, accept, rdf_format)
    endpoints = [q.object for q in dataset.quads_for_predicate(NamedNode(SD + "endpoint"))]
    assert endpoints == [NamedNode(PUBLIC + "/sparql")]


def test_features_and_formats(client: AsgiClient) -> None:
    dataset = description(client, "text/turtle", RdfFormat.TURTLE)
    features = {q.object for q in dataset.quads_for_predicate(NamedNode(SD + "feature"))}
    assert features == {NamedNode(SD + "UnionDefaultGraph"), NamedNode(SD + "BasicFederatedQuery")}
    formats = {q.object for q in dataset.quads_for_predicate(NamedNode(SD + "resultFormat"))}
    assert NamedNode("http://www.w3.org/ns/formats/SPARQL_Results_JSON") in formats
    assert len(formats) == 10
    languages = [q.object for q in dataset.quads_for_predicate(NamedNode(SD + "supportedLanguage"))]
    assert languages == [NamedNode(SD + "SPARQL11Query")]


def test_format_parameter_picks_the_serialization(client: AsgiClient) -> None:
    response = client.get("/sparql?format=nt", headers={"Accept": "text/html"})
    assert media_type_of(response) == "application/n-triples"
    assert Quad in {type(q) for q in parse(response.content, RdfFormat.N_QUADS)}


def test_a_browser_gets_a_page_that_advertises_the_data(client: AsgiClient) -> None:
    response = client.get(
        "/sparql",
        headers={"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
    )
    assert media_type_of(response) == "text/html"
    page = response.text
    assert PUBLIC + "/sparql" in page
    assert 'rel="alternate"; type="text/turtle"' in response.headers["Link"]
    embedded = page.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert json.loads(embedded)


def test_nothing_acceptable_is_406(client: AsgiClient) -> None:
    response = client.get("/sparql", headers={"Accept": "image/png"})
    assert response.status_code == 406


def test_without_a_public_url_the_endpoint_is_the_url_the_request_came_to() -> None:
    """Regression: public_url defaulted to http://localhost:8000, so a server on any other host
    or port described an endpoint that was not itself (W3C has-endpoint-triple failed)."""
    with app_on(endpoint_settings(public_url=""), in_memory(fixture_quads())) as app:
        server = LoopbackServer(app)
        try:
            with server.client() as http:
                response = http.get("/sparql", headers={"Accept": "application/n-triples"})
                hostile = http.get(
                    "/sparql", headers={"Accept": "application/n-triples", "Host": "x>y"}
                )
        finally:
            server.stop()
    for answer, expected in (
        (response, server.url + "/sparql"),
        (hostile, server.url + "/sparql"),  # a Host that is no host name is not taken
    ):
        dataset = Dataset(parse(answer.content, RdfFormat.N_TRIPLES))
        endpoints = [q.object for q in dataset.quads_for_predicate(NamedNode(SD + "endpoint"))]
        assert endpoints == [NamedNode(expected)]
