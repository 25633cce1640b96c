"""The W3C SPARQL 1.1 Service Description tests, run from their manifest.

The manifest names three tests and defines them in prose: a GET on the endpoint returns RDF, the
description has an ``sd:endpoint`` triple naming the endpoint, and it conforms to the schema of
the Service Description vocabulary (checked with SHACL shapes of it:
``service-description.shapes.ttl``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from interfaces import AsgiClient, app_on, in_memory, media_type_of
from pyoxigraph import NamedNode, RdfFormat, parse
from rdflib import Graph
from w3c_support import entries, manifest, name

from policygraph.config import load_settings

HERE = Path(__file__).resolve().parent
ENDPOINT = "http://localhost/sparql"
SD = "http://www.w3.org/ns/sparql-service-description#"
RDF_TYPES = {
    "text/turtle": RdfFormat.TURTLE,
    "application/rdf+xml": RdfFormat.RDF_XML,
    "application/n-triples": RdfFormat.N_TRIPLES,
    "application/ld+json": RdfFormat.JSON_LD,
}
_graph, _iri = manifest("service-description")
TESTS = [name(_graph, test) for test in entries(_graph, _iri)]


@pytest.fixture(scope="module")
def client() -> Iterator[AsgiClient]:
    settings = load_settings(
        env={}, overrides={"max_concurrent_queries": 1, "public_url": ENDPOINT.rsplit("/", 1)[0]}
    )
    with app_on(settings, in_memory([])) as app:
        yield AsgiClient(app)


def description(client: AsgiClient, accept: str | None) -> tuple[str, bytes]:
    response = client.get("/sparql", headers={"Accept": accept} if accept else {})
    assert response.status_code == 200
    return media_type_of(response), response.content


def returns_rdf(client: AsgiClient) -> None:
    for accept in (None, "*/*", *RDF_TYPES):
        media_type, body = description(client, accept)
        assert media_type in RDF_TYPES
        assert list(parse(body, RDF_TYPES[media_type]))


def has_endpoint_triple(client: AsgiClient) -> None:
    media_type, body = description(client, None)
    triples = parse(body, RDF_TYPES[media_type])
    endpoint = NamedNode(SD + "endpoint")
    assert NamedNode(ENDPOINT) in {t.object for t in triples if t.predicate == endpoint}


def conforms_to_schema(client: AsgiClient) -> None:
    from pyshacl import validate

    _, body = description(client, "text/turtle")
    data = Graph().parse(data=body, format="turtle")
    shapes = Graph().parse(HERE / "service-description.shapes.ttl", format="turtle")
    # The vocabulary's own instances (sd:UnionDefaultGraph a sd:Feature…) come with the shapes.
    conforms, _, report = validate(data + shapes, shacl_graph=shapes, inference="none")
    assert conforms, report


CHECKS = {
    "returns-rdf": returns_rdf,
    "has-endpoint-triple": has_endpoint_triple,
    "conforms-to-schema": conforms_to_schema,
}


@pytest.mark.parametrize("test", TESTS)
def test_service_description(test: str, client: AsgiClient) -> None:
    CHECKS[test](client)


def test_every_test_of_the_manifest_has_a_check() -> None:
    assert sorted(TESTS) == sorted(CHECKS)
