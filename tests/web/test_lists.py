"""The browsable lists on the built corpus: every page of /id/beslissing/ together lists each
decision once, Hydra's next links lead a real RDF client (rdflib, over a loopback socket) to the
end, filters and orders agree with counts made from the corpus files, the CSV is the list.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from interfaces import LoopbackServer
from pyoxigraph import NamedNode
from rdflib import Graph, URIRef
from rdflib.namespace import Namespace

from policygraph.web import Front

BASE = "https://data.policygraph.be"
DECISIONS_FILE = Path(__file__).resolve().parents[2] / "data" / "corpus" / "decisions.jsonl"
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
CITO_EVIDENCE = NamedNode("http://purl.org/spar/cito/citesAsEvidence")
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
REPORT = NamedNode("https://data.policygraph.be/ns/policygraph#AssessmentReport")
ROW_IRI = re.compile(r'<tr data-iri="([^"]+)"')
NEXT = re.compile(r'<a href="([^"]+)" rel="next">')

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client(corpus_front: Front):
    return corpus_front.pages.test_client()


@pytest.fixture(scope="module")
def corpus_decisions() -> list[dict[str, str]]:
    return [json.loads(line) for line in DECISIONS_FILE.read_text().splitlines() if line.strip()]


def folded(text: str) -> str:
    """Text as people sort it: without case, é beside e."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def html_pages(client, url: str) -> Iterator[str]:
    """Every page of a list, reached by following the pager's next link from ``url``."""
    while True:
        response = client.get(url, headers={"Accept": "text/html"})
        assert response.status_code == 200, url
        page = response.get_data(as_text=True)
        yield page
        found = NEXT.search(page)
        if found is None:
            return
        url = found.group(1).replace("&amp;", "&").removeprefix("http://localhost")


def listed(client, url: str) -> list[str]:
    return [iri for page in html_pages(client, url) for iri in ROW_IRI.findall(page)]


def csv_rows(client, url: str) -> list[dict[str, str]]:
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_every_page_together_lists_each_decision_once(client, corpus_decisions):
    iris = listed(client, "/id/beslissing/?per_page=200")
    assert len(iris) == len(corpus_decisions) == 3165
    assert Counter(iris).most_common(1)[0][1] == 1
    assert set(iris) == {f"{BASE}/id/beslissing/{d['id']}" for d in corpus_decisions}


def test_hydra_next_links_lead_rdflib_to_the_last_page(corpus_front, corpus_decisions):
    server = LoopbackServer(corpus_front)
    try:
        url: str | None = f"{server.url}/id/beslissing/?per_page=500"
        members: list[str] = []
        visited = 0
        total = None
        while url is not None:
            graph = Graph()
            graph.parse(url)
            visited += 1
            collection = URIRef(f"{server.url}/id/beslissing/")
            total = int(graph.value(collection, HYDRA.totalItems))
            members += [str(m) for m in graph.objects(collection, HYDRA.member)]
            view = graph.value(collection, HYDRA.view)
            following = graph.value(view, HYDRA.next)
            url = None if following is None else str(following)
    finally:
        server.stop()
    assert visited == 7
    assert total == len(members) == len(set(members)) == len(corpus_decisions)


@pytest.mark.parametrize("year", ["2019", "2020", "2021", "2022", "2023", "2024"])
def test_the_year_filter_agrees_with_the_corpus_file(client, corpus_decisions, year):
    expected = {
        f"{BASE}/id/beslissing/{d['id']}" for d in corpus_decisions if d["date"][:4] == year
    }
    rows = csv_rows(client, f"/id/beslissing/?year={year}&format=csv")
    assert {row["iri"] for row in rows} == expected
    assert len(rows) == len(expected)


@pytest.mark.parametrize("kind", ["nota", "mededeling"])
def test_the_kind_filter_agrees_with_the_corpus_file(client, corpus_decisions, kind):
    expected = sum(1 for d in corpus_decisions if d["kind"] == kind)
    page = client.get(f"/id/beslissing/?kind={kind}", headers={"Accept": "text/html"})
    assert f'data-total="{expected}"' in page.get_data(as_text=True)


def test_the_cited_filter_agrees_with_the_reports_in_the_store(client, corpus_store):
    reports = {
        q.subject for q in corpus_store.quads() if q.predicate == RDF_TYPE and q.object == REPORT
    }
    cited = {
        q.object.value
        for q in corpus_store.quads()
        if q.predicate == CITO_EVIDENCE and q.subject in reports
    }
    yes = {row["iri"] for row in csv_rows(client, "/id/beslissing/?cited=yes&format=csv")}
    no = {row["iri"] for row in csv_rows(client, "/id/beslissing/?cited=no&format=csv")}
    assert yes == cited
    assert not yes & no
    assert len(yes) + len(no) == 3165


def test_the_orders_sort_what_they_say(client):
    ascending = csv_rows(client, "/id/beslissing/?sort=date&format=csv")
    dates = [row["date"] for row in ascending]
    assert dates == sorted(dates)
    descending = csv_rows(client, "/id/beslissing/?sort=-date&format=csv")
    assert [row["date"] for row in descending] == sorted(dates, reverse=True)
    titles = [row["title"] for row in csv_rows(client, "/id/beslissing/?sort=title&format=csv")]
    titled = [folded(title) for title in titles if title]
    assert titled == sorted(titled)
    assert titles[len(titled) :] == [""] * (len(titles) - len(titled))  # the untitled last
    cited = [
        int(row["cited"]) for row in csv_rows(client, "/id/beslissing/?sort=-cited&format=csv")
    ]
    assert cited == sorted(cited, reverse=True)


def test_the_csv_is_the_list_in_the_same_order(client):
    html = listed(client, "/id/beslissing/?year=2022&kind=nota&per_page=100")
    rows = csv_rows(client, "/id/beslissing/?year=2022&kind=nota&format=csv")
    assert [row["iri"] for row in rows] == html
    assert list(rows[0]) == ["iri", "date", "title", "kind", "cited"]
    response = client.get("/id/beslissing/?year=2022&kind=nota", headers={"Accept": "text/csv"})
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="decisions-year-2022-kind-nota.csv"'
    )


@pytest.mark.parametrize(
    "query",
    [
        "page=0",
        "page=x",
        "per_page=0",
        "per_page=501",
        "year=twenty",
        "kind=wet",
        "cited=maybe",
        "sort=colour",
        "year=2022&year=2023",
    ],
)
def test_bad_parameters_are_400_with_a_message(client, query):
    response = client.get(f"/id/beslissing/?{query}", headers={"Accept": "text/plain"})
    assert response.status_code == 400
    assert query.split("=")[0] in response.get_data(as_text=True)


def test_a_page_past_the_end_is_404_and_an_empty_list_has_one_page(client):
    assert client.get("/id/beslissing/?page=64").status_code == 200
    assert client.get("/id/beslissing/?page=65").status_code == 404
    empty = client.get("/id/beslissing/?year=1999", headers={"Accept": "text/html"})
    assert empty.status_code == 200
    assert 'data-total="0"' in empty.get_data(as_text=True)
    assert client.get("/id/beslissing/?year=1999&page=2").status_code == 404


def test_the_agreement_lists_count_its_chapters_and_sections(client):
    sections = csv_rows(client, "/id/regeerakkoord/2019-2024/sectie/?format=csv")
    chapters = csv_rows(client, "/id/regeerakkoord/2019-2024/hoofdstuk/?format=csv")
    assert (len(sections), len(chapters)) == (259, 26)
    assert {row["chapter_iri"] for row in sections} <= {row["iri"] for row in chapters}
    numbers = [
        row["number"] for row in sections if row["chapter_iri"].endswith("/energie-en-klimaat")
    ]
    assert numbers[:3] == ["1.1", "1.2", "1.2.1"]
    assessed = csv_rows(client, "/id/regeerakkoord/2019-2024/sectie/?assessed=yes&format=csv")
    assert {row["assessed"] for row in assessed} == {"yes"}
    reports = csv_rows(client, "/id/regeerakkoord/2019-2024/beoordeling/?format=csv")
    assert len(reports) == 193
    assert {row["chapter_iri"] for row in reports} <= {row["iri"] for row in chapters}
    agreements = csv_rows(client, "/id/regeerakkoord/?format=csv")
    assert [row["iri"] for row in agreements] == [f"{BASE}/id/regeerakkoord/2019-2024"]
    assert client.get("/id/regeerakkoord/1999-2004/sectie/").status_code == 404


@pytest.mark.parametrize(
    ("path", "member"),
    [
        ("/id/organisatie/", f"{BASE}/id/organisatie/fit"),
        ("/id/campagne/", f"{BASE}/id/campagne/fit-lifesciences-health-2021"),
        ("/id/persoon/", f"{BASE}/id/persoon/jan-jambon"),
    ],
)
def test_the_curated_lists_hold_their_members(client, path, member):
    assert member in listed(client, path)
    assert member in {row["iri"] for row in csv_rows(client, path + "?format=csv")}


def test_list_urls_are_lists_not_descriptions_nor_redirects(client):
    for path in ("/id/beslissing/", "/id/regeerakkoord/2019-2024/sectie/", "/id/"):
        response = client.get(path, headers={"Accept": "text/turtle"})
        assert response.status_code == 200, path
        assert b"hydra:Collection" in response.data
    assert client.get("/id/sectie/").status_code == 404


def test_the_named_graphs_are_listed_with_their_size(client, corpus_store):
    graphs = {g.value for g in corpus_store.named_graphs() if g.value.startswith(BASE + "/graph/")}
    rows = csv_rows(client, "/graph/?format=csv&sort=-triples")
    assert {row["iri"] for row in rows} == graphs
    decisions = next(row for row in rows if row["iri"] == f"{BASE}/graph/beslissingen")
    expected = sum(1 for _ in corpus_store.quads(NamedNode(f"{BASE}/graph/beslissingen")))
    assert int(decisions["triples"]) == expected
    sizes = [int(row["triples"]) for row in rows]
    assert sizes == sorted(sizes, reverse=True)
