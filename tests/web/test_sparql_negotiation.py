"""Content negotiation of /sparql: each Accept case on its own, overrides, 406, Vary: Accept."""

from __future__ import annotations

import json

import pytest
from interfaces import AsgiClient, media_type_of
from pyoxigraph import QueryResultsFormat, RdfFormat, parse, parse_query_results
from sparql_support import DECISIONS, PREFIXES

from policygraph.query import ResultKind
from policygraph.web.negotiation import PAGE_OFFERS, RESULT_OFFERS, negotiate

SELECT = PREFIXES + "SELECT ?d ?title WHERE { ?d a pg:GovernmentDecision ; dct:title ?title }"
ASK = "ASK { ?s ?p ?o }"
CONSTRUCT = (
    PREFIXES
    + "CONSTRUCT { ?d dct:title ?title } WHERE { ?d a pg:GovernmentDecision ; dct:title ?title }"
)

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
SPARQLWRAPPER_JSON = (
    "application/sparql-results+json,application/json,text/javascript,application/javascript"
)
COMUNICA_RESULTS = (
    "application/sparql-results+json,application/sparql-results+xml;q=0.8,"
    "text/tab-separated-values;q=0.7,text/csv;q=0.6,application/json;q=0.5,*/*;q=0.1"
)
COMUNICA_GRAPH = (
    "application/n-quads,application/trig;q=0.95,application/ld+json;q=0.9,"
    "application/n-triples;q=0.8,text/turtle;q=0.6,application/rdf+xml;q=0.5,"
    "text/n3;q=0.35,application/xml;q=0.3,*/*;q=0.1"
)


@pytest.mark.parametrize(
    ("accept", "solutions", "boolean", "graph"),
    [
        (None, "json", "json", "turtle"),
        ("", "json", "json", "turtle"),
        ("*/*", "json", "json", "turtle"),
        ("application/sparql-results+xml", "xml", "xml", None),
        (
            "application/sparql-results+json;q=0.5, application/sparql-results+xml",
            "xml",
            "xml",
            None,
        ),
        ("text/csv", "csv", None, None),
        ("text/tab-separated-values", "tsv", None, None),
        ("text/turtle", None, None, "turtle"),
        ("application/n-triples", None, None, "ntriples"),
        ("application/ld+json", None, None, "jsonld"),
        ("application/rdf+xml", None, None, "rdfxml"),
        ("application/trig", None, None, "trig"),
        ("application/n-quads", None, None, "nquads"),
        ("text/*", "csv", "json", "turtle"),
        ("application/*", "json", "json", "ntriples"),
        (BROWSER, "xml", "xml", "rdfxml"),
        (SPARQLWRAPPER_JSON, "json", "json", "jsonld"),
        (COMUNICA_RESULTS, "json", "json", "jsonld"),
        (COMUNICA_GRAPH, "xml", "xml", "nquads"),
        ("image/png", None, None, None),
        ("text/turtle;q=0, */*", "json", "json", "ntriples"),
    ],
)
def test_negotiate(
    accept: str | None, solutions: str | None, boolean: str | None, graph: str | None
) -> None:
    assert negotiate(accept, RESULT_OFFERS[ResultKind.SOLUTIONS]) == solutions
    assert negotiate(accept, RESULT_OFFERS[ResultKind.BOOLEAN]) == boolean
    assert negotiate(accept, RESULT_OFFERS[ResultKind.GRAPH]) == graph


@pytest.mark.parametrize(
    ("override", "solutions", "graph"),
    [
        ("json", "json", "jsonld"),
        ("xml", "xml", "rdfxml"),
        ("csv", "csv", None),
        ("tsv", "tsv", None),
        ("ttl", None, "turtle"),
        ("turtle", None, "turtle"),
        ("text/turtle", None, "turtle"),
        ("application/sparql-results+json", "json", None),
        ("JSON", "json", "jsonld"),
        ("nonsense", None, None),
    ],
)
def test_override_beats_accept(override: str, solutions: str | None, graph: str | None) -> None:
    assert (
        negotiate("text/tab-separated-values", RESULT_OFFERS[ResultKind.SOLUTIONS], override)
        == solutions
    )
    assert negotiate("application/n-triples", RESULT_OFFERS[ResultKind.GRAPH], override) == graph


def test_a_browser_gets_the_page_and_a_client_the_turtle() -> None:
    assert negotiate(BROWSER, PAGE_OFFERS) == "html"
    assert negotiate("*/*", PAGE_OFFERS) == "turtle"
    assert negotiate(None, PAGE_OFFERS) == "turtle"


@pytest.mark.parametrize(
    ("accept", "media_type", "results_format"),
    [
        (None, "application/sparql-results+json", QueryResultsFormat.JSON),
        (
            "application/sparql-results+json",
            "application/sparql-results+json",
            QueryResultsFormat.JSON,
        ),
        (
            "application/sparql-results+xml",
            "application/sparql-results+xml",
            QueryResultsFormat.XML,
        ),
        ("application/json", "application/sparql-results+json", QueryResultsFormat.JSON),
        ("text/tab-separated-values", "text/tab-separated-values", QueryResultsFormat.TSV),
    ],
)
def test_select_results_parse_back(
    client: AsgiClient, accept: str | None, media_type: str, results_format: QueryResultsFormat
) -> None:
    headers = {"Accept": accept} if accept is not None else {}
    response = client.get("/sparql", params={"query": SELECT}, headers=headers)
    assert response.status_code == 200
    assert media_type_of(response) == media_type
    assert response.headers["Vary"] == "Accept"
    solutions = list(parse_query_results(response.content, results_format))  # type: ignore[arg-type]
    assert len(solutions) == DECISIONS


def test_select_as_csv(client: AsgiClient) -> None:
    response = client.get("/sparql", params={"query": SELECT}, headers={"Accept": "text/csv"})
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    text = response.text
    assert text.startswith("d,title\r\n")
    assert '"Tekst met ""aanhalingstekens"", komma\'s en\neen nieuwe regel"' in text


@pytest.mark.parametrize(
    "accept", ["application/sparql-results+json", "application/sparql-results+xml"]
)
def test_ask_results(client: AsgiClient, accept: str) -> None:
    response = client.get("/sparql", params={"query": ASK}, headers={"Accept": accept})
    assert media_type_of(response) == accept
    fmt = QueryResultsFormat.JSON if accept.endswith("json") else QueryResultsFormat.XML
    assert bool(parse_query_results(response.content, fmt)) is True


def test_ask_in_csv_is_406(client: AsgiClient) -> None:
    response = client.get("/sparql", params={"query": ASK}, headers={"Accept": "text/csv"})
    assert response.status_code == 406
    assert response.headers["Vary"] == "Accept"


@pytest.mark.parametrize(
    ("accept", "media_type", "rdf_format"),
    [
        (None, "text/turtle", RdfFormat.TURTLE),
        ("*/*", "text/turtle", RdfFormat.TURTLE),
        ("text/turtle", "text/turtle", RdfFormat.TURTLE),
        ("application/n-triples", "application/n-triples", RdfFormat.N_TRIPLES),
        ("application/ld+json", "application/ld+json", RdfFormat.JSON_LD),
        ("application/rdf+xml", "application/rdf+xml", RdfFormat.RDF_XML),
        ("application/trig", "application/trig", RdfFormat.TRIG),
        ("application/n-quads", "application/n-quads", RdfFormat.N_QUADS),
    ],
)
def test_graph_results_parse_back(
    client: AsgiClient, accept: str | None, media_type: str, rdf_format: RdfFormat
) -> None:
    headers = {"Accept": accept} if accept is not None else {}
    response = client.get("/sparql", params={"query": CONSTRUCT}, headers=headers)
    assert response.status_code == 200
    assert media_type_of(response) == media_type
    assert response.headers["Vary"] == "Accept"
    assert len(list(parse(response.content, rdf_format))) == DECISIONS


def test_describe_is_a_graph(client: AsgiClient) -> None:
    response = client.get(
        "/sparql", params={"query": "DESCRIBE <https://data.policygraph.be/id/beslissing/D1>"}
    )
    assert media_type_of(response) == "text/turtle"
    assert len(list(parse(response.content, RdfFormat.TURTLE))) == 5


def test_sparqlwrapper_parameters(client: AsgiClient) -> None:
    response = client.get(
        "/sparql",
        params={"query": SELECT, "format": "json", "output": "json", "results": "json"},
        headers={"Accept": "application/sparql-results+xml"},
    )
    assert media_type_of(response) == "application/sparql-results+json"
    assert len(json.loads(response.content)["results"]["bindings"]) == DECISIONS


def test_format_json_for_a_graph_is_json_ld(client: AsgiClient) -> None:
    response = client.get("/sparql", params={"query": CONSTRUCT, "format": "json"})
    assert media_type_of(response) == "application/ld+json"


def test_output_parameter_in_a_form(client: AsgiClient) -> None:
    response = client.post(
        "/sparql",
        data={"query": SELECT, "output": "tsv"},
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert media_type_of(response) == "text/tab-separated-values"


def test_nothing_acceptable_is_406(client: AsgiClient) -> None:
    response = client.get("/sparql", params={"query": SELECT}, headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert response.headers["Vary"] == "Accept"


def test_unknown_format_parameter_is_406(client: AsgiClient) -> None:
    response = client.get("/sparql", params={"query": SELECT, "format": "yaml"})
    assert response.status_code == 406


@pytest.mark.parametrize(
    "path",
    ["/sparql", "/sparql?query=SELECT%20*%20%7B", "/sparql?query=ASK%7B%7D&query=ASK%7B%7D"],
)
def test_vary_accept_on_every_response(client: AsgiClient, path: str) -> None:
    response = client.get(path)
    assert response.headers["Vary"] == "Accept"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
