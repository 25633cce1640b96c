"""The VoID figures equal SPARQL counts over the store; the description links what it should."""

from __future__ import annotations

import pytest
from ld_support import BASE, fixture_store
from pyoxigraph import NamedNode, QuerySolutions

from policygraph.namespaces import UrlMapper
from policygraph.read.dumps import write_dumps
from policygraph.read.void import void_figures, void_triples

VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"


@pytest.fixture(scope="module")
def store():
    return fixture_store()


def count(store, query):
    result = store.query(query)
    assert isinstance(result, QuerySolutions)
    return int(next(iter(result))[0].value)


def test_the_figures_are_sparql_counts(store):
    figures = void_figures(store, BASE)
    distinct = "SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert figures.triples == count(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ {distinct} }}")
    assert figures.properties == count(
        store, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    )
    assert len(figures.classes) == count(
        store, "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { GRAPH ?g { ?s a ?c } }"
    )
    per_graph = dict((g.iri, g.triples) for g in figures.graphs)
    assert per_graph[f"{BASE}/graph/beslissingen"] == count(
        store,
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{BASE}/graph/beslissingen> {{ ?s ?p ?o }} }}",
    )
    decisions = dict(figures.classes)[
        "https://data.policygraph.be/ns/policygraph#GovernmentDecision"
    ]
    assert decisions == 4


def test_graphs_carry_their_title_licence_and_source(store):
    figures = void_figures(store, BASE)
    graph = next(g for g in figures.graphs if g.iri == f"{BASE}/graph/beslissingen")
    assert [t.value for t in graph.titles] == ["Beslissingen"]
    assert graph.licenses == ("https://opensource.org/licenses/MIT",)
    assert graph.sources == (f"{BASE}/id/bron/corpus-decisions",)


def test_the_description_uses_urls_of_the_serving_host(store, tmp_path):
    figures = void_figures(store, BASE)
    mapper = UrlMapper(BASE, "http://127.0.0.1:9999")
    triples = void_triples(
        figures, base_iri=BASE, mapper=mapper, dumps=write_dumps(store, tmp_path)
    )
    dataset = NamedNode(f"{BASE}/id/dataset/policygraph")

    def objects(predicate):
        return [
            t.object.value
            for t in triples
            if t.subject == dataset and t.predicate.value == predicate
        ]

    assert objects(VOID + "sparqlEndpoint") == ["http://127.0.0.1:9999/sparql"]
    assert sorted(objects(VOID + "dataDump")) == [
        "http://127.0.0.1:9999/dumps/fixture-1/policygraph.nq.gz",
        "http://127.0.0.1:9999/dumps/fixture-1/policygraph.ttl",
    ]
    assert objects(VOID + "triples") == [str(figures.triples)]
    assert (
        f"{BASE}/id/regeerakkoord/2019-2024/sectie/buitenlands-beleid-en-toerisme/4.3.2"
        in objects(VOID + "exampleResource")
    )
    # The graph's two dumps, the three tables for spreadsheets and the two change feeds.
    assert len(objects(DCAT + "distribution")) == 7
