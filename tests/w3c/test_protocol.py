"""The W3C SPARQL 1.1 Protocol test suite, run from its manifest against the app, through httpx's
ASGI transport and through uvicorn on loopback.

Each ``mf:ProtocolTest`` is one test: its graphs are loaded (named by their ``rdfs:label``), its
requests sent in order (``/sparql/`` in ``ht:absolutePath`` is the endpoint's path, as the
manifest allows), and each response checked for the status class, result format and boolean it
expects. The update tests are skipped: the endpoint is read-only until writes exist.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack

import pytest
from interfaces import INTERFACES, Clients, app_on, in_memory
from pyoxigraph import NamedNode, Quad, QueryResultsFormat, RdfFormat, parse, parse_query_results
from w3c_support import HttpExpectation, ProtocolTest, protocol_tests

from policygraph.config import load_settings

TESTS = protocol_tests()
RESULTS = {
    "application/sparql-results+json": QueryResultsFormat.JSON,
    "application/sparql-results+xml": QueryResultsFormat.XML,
    "text/csv": QueryResultsFormat.CSV,
    "text/tab-separated-values": QueryResultsFormat.TSV,
}
GRAPHS = {
    "application/rdf+xml": RdfFormat.RDF_XML,
    "text/turtle": RdfFormat.TURTLE,
    "application/n-triples": RdfFormat.N_TRIPLES,
}


@pytest.fixture(scope="module")
def clients_for() -> Iterator[Callable[[ProtocolTest], Clients]]:
    """One app per distinct set of graphs, shared by the tests that load the same graphs."""
    apps: dict[tuple[tuple[str, str], ...], Clients] = {}
    with ExitStack() as stack:

        def make(test: ProtocolTest) -> Clients:
            key = tuple((name, str(path)) for name, path in test.graphs)
            if key not in apps:
                quads = [
                    Quad(triple.subject, triple.predicate, triple.object, NamedNode(graph_name))
                    for graph_name, path in test.graphs
                    for triple in parse(path=path, format=RdfFormat.N_TRIPLES)
                ]
                settings = load_settings(
                    env={},
                    overrides={"max_concurrent_queries": 1, "public_url": "http://localhost"},
                )
                app = stack.enter_context(app_on(settings, in_memory(quads)))
                apps[key] = Clients(app)
                stack.callback(apps[key].close)
            return apps[key]

        yield make


def check(expectation: HttpExpectation, status: int, content_type: str, body: bytes) -> None:
    assert f"{status // 100}xx" in expectation.statuses, (status, body[:300])
    media_type = content_type.split(";")[0].strip()
    if expectation.result_format == "boolean":
        assert media_type in ("application/sparql-results+json", "application/sparql-results+xml")
        answer = parse_query_results(body, RESULTS[media_type])
        if expectation.boolean is not None:
            assert bool(answer) is expectation.boolean
    elif expectation.result_format == "tabular":
        assert media_type in RESULTS
        if media_type != "text/csv":  # pyoxigraph reads every tabular format but CSV
            parse_query_results(body, RESULTS[media_type])
    elif expectation.result_format == "RDF":
        assert media_type in GRAPHS
        list(parse(body, GRAPHS[media_type]))


@pytest.mark.parametrize("interface", INTERFACES)
@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
def test_protocol(
    test: ProtocolTest, interface: str, clients_for: Callable[[ProtocolTest], Clients]
) -> None:
    if test.is_update:
        pytest.skip("SPARQL Update: the endpoint is read-only until writes exist")
    client = clients_for(test)(interface)
    for request, expectation in test.exchanges:
        path = request.path.replace("/sparql/", "/sparql", 1)
        response = client.request(
            request.method, path, headers=dict(request.headers), content=request.body
        )
        check(
            expectation,
            response.status_code,
            response.headers.get("Content-Type", ""),
            response.content,
        )


def test_the_manifest_was_read() -> None:
    assert len(TESTS) == 34
    assert sum(1 for t in TESTS if not t.is_update) == 20
