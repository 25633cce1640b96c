"""``/search`` over HTTP: the page, the JSON contract and CSV, negotiation and refusals, the
search box of every page, an index that switches with the published version, and
``pg:textScore`` through the real endpoint."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from interfaces import LoopbackServer, app_on, in_memory
from ld_support import BASE, fixture_quads, fixture_settings
from pyoxigraph import Literal, NamedNode, Quad

from policygraph.config import Settings
from policygraph.query import PublishedStore
from policygraph.search import ensure_index
from policygraph.search.export import CSV_COLUMNS
from policygraph.store.local import LocalVersions
from policygraph.web import Front

BREXIT = f"{BASE}/id/beslissing/6000000000000000000000A1"
ORG = f"{BASE}/id/organisatie/fit"
LABEL = NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
GRAPH = NamedNode(f"{BASE}/graph/organisaties")
TEXT_SCORE_QUERY = """PREFIX pg: <https://data.policygraph.be/ns/policygraph#>
SELECT ?d ?score WHERE {
  ?d a pg:GovernmentDecision .
  BIND(pg:textScore(?d, "brexit") AS ?score)
  FILTER(BOUND(?score))
} ORDER BY DESC(?score)"""


def settings_for(store_dir: Path) -> Settings:
    # A shared, busy machine may take seconds to start the query workers: wait for them.
    return fixture_settings(store_dir).replace(queue_timeout=60.0)


def publish(store_dir: Path, quads: list[Quad], version: str) -> None:
    """Publish as builds do: the version's index built before ``current`` switches to it."""
    LocalVersions(store_dir, derive=ensure_index).write_version(version, quads)


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Front]]:
    store_dir = tmp_path_factory.mktemp("search-store")
    publish(store_dir, fixture_quads(), "v1")
    with app_on(settings_for(store_dir), PublishedStore(store_dir)) as app:
        app.pages.testing = True
        yield store_dir, app


@pytest.fixture
def client(published):
    return published[1].pages.test_client()


def test_the_json_contract(client) -> None:
    response = client.get("/search?q=brexit&type=decision&format=json")
    document = response.get_json()
    assert (response.status_code, response.mimetype) == (200, "application/json")
    assert document["total"] == 1
    assert set(document["results"][0]) >= {"iri", "type", "title", "date", "score", "snippet"}
    assert (document["results"][0]["iri"], document["results"][0]["date"]) == (
        BREXIT,
        "2020-03-13",
    )


def test_json_results_are_in_rank_order(client) -> None:
    scores = [r["score"] for r in client.get("/search?q=fit&format=json").get_json()["results"]]
    assert len(scores) > 1
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("application/json", "application/json"),
        ("text/csv", "text/csv"),
        ("text/html", "text/html"),
        ("*/*", "text/html"),
    ],
)
def test_accept_chooses_the_format(client, accept: str, media_type: str) -> None:
    response = client.get("/search?q=brexit", headers={"Accept": accept})
    assert (response.status_code, response.mimetype) == (200, media_type)
    assert "Accept" in response.headers["Vary"]


def test_an_accept_nothing_fits_is_406(client) -> None:
    assert client.get("/search?q=brexit", headers={"Accept": "image/png"}).status_code == 406


def test_csv_has_a_header_row_and_every_result(client) -> None:
    response = client.get("/search?q=fit&format=csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    total = client.get("/search?q=fit&format=json").get_json()["total"]
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) - 1 == total
    assert response.headers["Content-Disposition"] == 'attachment; filename="search-fit.csv"'


@pytest.mark.parametrize(
    "query",
    [
        "q=x&per_page=0",
        "q=x&per_page=101",
        "q=x&per_page=ten",
        "q=x&page=0",
        "q=x&page=-1",
        "q=x&page=9999",
        "q=x&type=person",
        "q=x&cited=maybe",
        "q=" + "x" * 1001,
    ],
)
def test_bad_parameters_are_400_with_a_message(client, query: str) -> None:
    response = client.get("/search?" + query)
    assert response.status_code == 400
    assert response.get_data(as_text=True).strip()


def test_the_page_shows_results_facets_and_the_count(client) -> None:
    html = client.get("/search?q=brexit").get_data(as_text=True)
    assert 'href="http://localhost/id/beslissing/6000000000000000000000A1"' in html
    assert "<mark>Brexit</mark>" in html
    assert 'class="search-facets"' in html
    assert "<strong>2</strong>" in html


def test_a_facet_link_refines_the_search(client) -> None:
    html = client.get("/search?q=brexit").get_data(as_text=True)
    assert 'href="/search?q=brexit&amp;type=decision"' in html
    refined = client.get("/search?q=brexit&type=decision&format=json").get_json()
    assert [r["type"] for r in refined["results"]] == ["decision"]


def test_the_page_escapes_what_the_data_holds(client) -> None:
    html = client.get("/search?q=toerisme+cultuur").get_data(as_text=True)
    assert "&lt;script&gt;window.__xss = 1&lt;/script&gt;" in html
    assert "<script>window.__xss" not in html


def test_the_page_escapes_what_the_person_typed(client) -> None:
    html = client.get('/search?q=<img src=x onerror="alert(1)">').get_data(as_text=True)
    assert "<img src=x" not in html


def test_nothing_found_says_what_to_try(client) -> None:
    html = client.get("/search?q=zzzzqqq").get_data(as_text=True)
    assert 'class="search-empty"' in html


def test_every_page_has_a_search_box_in_its_header(client) -> None:
    for path in ("/", "/id/organisatie/fit", "/search?q=fit"):
        html = client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True)
        header = html.split('<header class="top">', 1)[1].split("</header>", 1)[0]
        assert 'action="/search"' in header, path
        assert 'role="search"' in header, path


def test_the_served_search_follows_the_published_version(tmp_path: Path) -> None:
    quads = fixture_quads()
    publish(tmp_path, quads, "v1")
    with app_on(settings_for(tmp_path), PublishedStore(tmp_path)) as app:
        client = app.pages.test_client()
        assert client.get("/search?q=hernoemd&format=json").get_json()["total"] == 0
        renamed = [q for q in quads if not (q.subject.value == ORG and q.predicate == LABEL)]
        renamed.append(Quad(NamedNode(ORG), LABEL, Literal("FIT hernoemd", language="nl"), GRAPH))
        publish(tmp_path, renamed, "v2")
        results = client.get("/search?q=hernoemd&format=json").get_json()["results"]
        assert [r["iri"] for r in results] == [ORG]


def test_a_version_without_an_index_answers_503_saying_how_to_get_one(tmp_path: Path) -> None:
    LocalVersions(tmp_path).write_version("v1", fixture_quads())
    with app_on(settings_for(tmp_path), PublishedStore(tmp_path)) as app:
        response = app.pages.test_client().get("/search?q=fit")
    assert response.status_code == 503
    assert "policygraph build --force" in response.get_data(as_text=True)


def test_a_dataset_in_memory_has_no_search(tmp_path: Path) -> None:
    with app_on(fixture_settings(tmp_path), in_memory(fixture_quads())) as app:
        assert app.pages.test_client().get("/search?q=fit").status_code == 503


def test_text_score_through_the_endpoint(published) -> None:
    _, app = published
    server = LoopbackServer(app)
    try:
        with server.client() as http:
            response = http.get(
                "/sparql", params={"query": TEXT_SCORE_QUERY}, headers={"Accept": "text/csv"}
            )
            description = http.get("/sparql", headers={"Accept": "text/turtle"}).text
    finally:
        server.stop()
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert response.status_code == 200
    assert [row["d"] for row in rows] == [BREXIT]
    assert float(rows[0]["score"]) > 0
    assert "sd:extensionFunction <https://data.policygraph.be/ns/policygraph#textScore>" in (
        description
    )


def test_text_score_on_a_version_without_an_index_is_refused_in_words(tmp_path: Path) -> None:
    LocalVersions(tmp_path).write_version("v1", fixture_quads())
    with app_on(settings_for(tmp_path), PublishedStore(tmp_path)) as app:
        server = LoopbackServer(app)
        try:
            with server.client() as http:
                response = http.get("/sparql", params={"query": TEXT_SCORE_QUERY})
        finally:
            server.stop()
    assert response.status_code == 503
    assert "no search index" in response.text


@pytest.mark.slow
def test_brexit_decisions_come_first_on_the_corpus(built) -> None:
    settings, _ = built
    with app_on(
        settings.replace(max_concurrent_queries=1), PublishedStore(settings.store_dir)
    ) as app:
        server = LoopbackServer(app)
        try:
            with server.client() as http:
                response = http.get("/search?q=brexit&type=decision&format=json")
        finally:
            server.stop()
    document = response.json()
    assert document["total"] >= 5
    firsts = document["results"][:5]
    assert [r["type"] for r in firsts] == ["decision"] * 5
    assert all("brexit" in (r["title"] + r["snippet"]).lower() for r in firsts)
