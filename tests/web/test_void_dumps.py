"""/.well-known/void and /dumps/: negotiated VoID whose figures are SPARQL counts, and dumps that
reload into a fresh store isomorphic to the one served, with validators and checksums."""

from __future__ import annotations

import base64
import gzip
import hashlib

import pytest
import rdflib
import rdflib.compare
from flask.testing import FlaskClient
from interfaces import AsgiClient
from ld_support import BASE, ld_app, ld_settings, ld_store
from pyoxigraph import NamedNode, QuerySolutions, RdfFormat, Store, parse

from policygraph.rdfio import rdflib_graph

__all__ = ["ld_app", "ld_settings", "ld_store"]

VOID = "http://rdfs.org/ns/void#"
DATASET = NamedNode(f"{BASE}/id/dataset/policygraph")


class BufferedClient(FlaskClient):
    """Reads each body whole and closes it: dump files are sent as open files."""

    def open(self, *args, **kwargs):  # type: ignore[override]
        kwargs.setdefault("buffered", True)
        return super().open(*args, **kwargs)


@pytest.fixture(scope="module")
def client(ld_app):
    return BufferedClient(ld_app.pages, ld_app.pages.response_class, use_cookies=False)


def void_store(client) -> Store:
    store = Store()
    store.load(client.get("/.well-known/void").data, format=RdfFormat.TURTLE)
    return store


def one(store, query: str) -> int:
    result = store.query(query)
    assert isinstance(result, QuerySolutions)
    return int(next(iter(result))[0].value)


def test_void_figures_match_sparql_counts_on_the_endpoint(client, ld_app, ld_store):
    described = void_store(client)
    stated = one(described, f"SELECT ?n WHERE {{ <{DATASET.value}> <{VOID}triples> ?n }}")
    counted = (
        AsgiClient(ld_app)
        .post(
            "/sparql",
            data={
                "query": "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE "
                "{ GRAPH ?g { ?s ?p ?o } } }"
            },
            headers={"Accept": "application/sparql-results+json"},
        )
        .json()
    )
    assert stated == int(counted["results"]["bindings"][0]["n"]["value"])
    per_class = one(
        described,
        f"SELECT ?n WHERE {{ <{DATASET.value}> <{VOID}classPartition> ?p . "
        f"?p <{VOID}class> <https://data.policygraph.be/ns/policygraph#Section> ; "
        f"<{VOID}entities> ?n }}",
    )
    assert per_class == one(
        ld_store,
        "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE "
        "{ ?s a <https://data.policygraph.be/ns/policygraph#Section> }",
    )


def test_every_named_graph_is_a_subset_with_its_count(client, ld_store):
    described = void_store(client)
    for graph in ld_store.named_graphs():
        stated = one(
            described,
            f"SELECT ?n WHERE {{ <{DATASET.value}> <{VOID}subset> <{graph.value}> . "
            f"<{graph.value}> <{VOID}triples> ?n }}",
        )
        assert stated == sum(1 for _ in ld_store.quads(graph)), graph.value


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("text/turtle", "text/turtle"),
        ("application/ld+json", "application/ld+json"),
        ("application/n-triples", "application/n-triples"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("text/html", "text/html"),
    ],
)
def test_void_is_negotiated(client, accept, media_type):
    response = client.get("/.well-known/void", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert "Accept" in response.headers["Vary"]


def test_void_names_the_endpoint_and_the_dumps_of_this_host(client):
    body = client.get("/.well-known/void?format=nt").get_data(as_text=True)
    assert f"<{DATASET.value}> <{VOID}sparqlEndpoint> <http://localhost/sparql> ." in body
    assert f"<{VOID}dataDump> <http://localhost/dumps/fixture-1/policygraph.nq.gz>" in body
    assert "<http://www.w3.org/ns/dcat#downloadURL>" in body


def test_the_void_page_shows_the_figures(client):
    page = client.get("/.well-known/void", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert 'data-figure="triples"' in page
    assert "policygraph.nq.gz" in page


def test_the_nquads_dump_reloads_isomorphic(client, ld_store):
    response = client.get("/dumps/latest/policygraph.nq.gz")
    assert response.status_code == 302
    dump = client.get(response.headers["Location"])
    assert dump.status_code == 200
    assert dump.mimetype == "application/gzip"
    fresh = Store()
    fresh.load(gzip.decompress(dump.data), format=RdfFormat.N_QUADS)
    assert len(fresh) == len(ld_store)
    for graph in ld_store.named_graphs():
        assert rdflib.compare.isomorphic(
            rdflib_graph(ld_store.quads(graph)),
            rdflib_graph(fresh.quads_for_pattern(None, None, None, graph)),
        ), graph.value


def test_the_turtle_dump_holds_the_union(client, ld_store):
    dump = client.get("/dumps/fixture-1/policygraph.ttl")
    assert dump.mimetype == "text/turtle"
    triples = {t for t in parse(dump.data, format=RdfFormat.TURTLE)}
    assert rdflib.compare.isomorphic(
        rdflib_graph(triples), rdflib_graph({q.triple for q in ld_store.quads()})
    )
    rdflib.Graph().parse(data=dump.data, format="turtle")  # a second parser agrees it is Turtle


def test_dumps_have_validators_and_checksums(client):
    url = "/dumps/fixture-1/policygraph.nq.gz"
    dump = client.get(url)
    digest = hashlib.sha256(dump.data).hexdigest()
    assert dump.headers["ETag"] == f'"{digest}"'
    assert dump.headers["Last-Modified"]
    assert "immutable" in dump.headers["Cache-Control"]
    assert dump.headers["Digest"] == "sha-256=" + base64.b64encode(bytes.fromhex(digest)).decode()
    assert "Content-Encoding" not in dump.headers
    checksum = client.get(url + ".sha256").get_data(as_text=True)
    assert checksum == f"{digest}  policygraph.nq.gz\n"
    assert client.get(url, headers={"If-None-Match": f'"{digest}"'}).status_code == 304
    since = client.get(url, headers={"If-Modified-Since": dump.headers["Last-Modified"]})
    assert since.status_code == 304
    manifest = client.get("/dumps/fixture-1/manifest.json").get_json()
    assert {f["sha256"] for f in manifest["files"]} >= {digest}


def test_the_dumps_page_lists_the_files(client):
    page = client.get("/dumps/").get_data(as_text=True)
    assert "policygraph.nq.gz" in page
    assert "policygraph.ttl" in page
    assert "citations.csv" in page
    assert "sections.csv" in page


def test_the_tables_download_as_csv_and_are_distributions_but_not_data_dumps(client):
    table = client.get("/dumps/latest/citations.csv", follow_redirects=True)
    assert table.status_code == 200
    assert table.mimetype == "text/csv"
    assert table.get_data(as_text=True).startswith("chapter_number,chapter,section_number,")
    void = client.get("/.well-known/void?format=nt").get_data(as_text=True)
    url = "<http://localhost/dumps/fixture-1/citations.csv>"
    assert f"<http://www.w3.org/ns/dcat#downloadURL> {url}" in void
    assert f"<{VOID}dataDump> {url}" not in void


@pytest.mark.parametrize(
    "url",
    [
        "/dumps/fixture-1/nope.nq",
        "/dumps/other-version/policygraph.nq.gz",
        "/dumps/fixture-1/..%2Fmanifest.json",
        "/dumps/..%2F..%2Fetc/passwd",
    ],
)
def test_unknown_dumps_are_404(client, url):
    assert client.get(url).status_code == 404
