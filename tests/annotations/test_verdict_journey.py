"""A researcher records a verdict on section 4.3.2 from its page, a second through the API, and
both are seen everywhere a verdict shows: the page, SPARQL, the coded dataset and both feeds.

The real app on loopback over a published store; a browser-like client that signs in, reads the
form from the page (its CSRF token included) and posts it as a browser would.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

import feedparser
import pytest
from annotation_support import BASE, DECISION, SECTION, Api, graph_of, serve_api, verdict
from ldes_client import replicate
from rdflib.namespace import DCTERMS

SECTION_PATH = SECTION.removeprefix(BASE)


@pytest.fixture(scope="module")
def journey(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Api, dict[str, str]]]:
    with serve_api(
        tmp_path_factory.mktemp("journey"), {"an": "annotator", "bo": "annotator"}
    ) as api:
        with api.server.client() as browser:
            browser.post("/sign-in", data={"token": api.tokens["an"], "next": SECTION_PATH})
            page = browser.get(SECTION_PATH, headers={"Accept": "text/html"})
            assert page.status_code == 200
            assert page.headers["Cache-Control"] == "private, no-cache"
            csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text)
            assert csrf is not None, "a signed-in annotator gets the verdict form"
            form = {
                "target": SECTION,
                "verdict": "partly-kept",
                "comment": "Gedeeltelijk: de strategie loopt, de evaluatie ontbreekt.",
                "evidence": DECISION,
                "csrf": csrf.group(1),
                "next": SECTION_PATH,
            }
            posted = browser.post("/annotations", data=form)
            assert posted.status_code == 303, posted.text
            assert posted.headers["Location"] == SECTION_PATH
        with api.client("bo") as client:
            created = client.post("/annotations", json=verdict(verdict="kept"))
            assert created.status_code == 201, created.text
        iris = {"bo": created.json()["iri"]}
        yield api, iris


def test_both_verdicts_are_on_the_section_page(journey: tuple[Api, dict[str, str]]) -> None:
    api, _ = journey
    with api.server.client() as reader:
        page = reader.get(SECTION_PATH, headers={"Accept": "text/html", "Accept-Language": "en"})
    assert page.status_code == 200
    assert "de evaluatie ontbreekt" in page.text
    assert 'class="verdict v-partly-kept"' in page.text
    assert 'class="verdict v-kept"' in page.text
    assert ">an<" in page.text
    assert ">bo<" in page.text
    assert 'name="csrf"' not in page.text  # no form for a reader who has not signed in


def test_sparql_finds_each_verdict_in_its_researchers_graph(
    journey: tuple[Api, dict[str, str]],
) -> None:
    api, iris = journey
    query = f"""PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT ?g ?a WHERE {{ GRAPH ?g {{ ?a oa:hasTarget <{SECTION}> ;
                                            oa:motivatedBy oa:assessing }} }}"""
    with api.server.client() as client:
        answer = client.get(
            "/sparql",
            params={"query": query},
            headers={"Accept": "application/sparql-results+json"},
        )
    rows = {(r["g"]["value"], r["a"]["value"]) for r in answer.json()["results"]["bindings"]}
    assert {graph for graph, _ in rows} == {graph_of("an"), graph_of("bo")}
    assert (graph_of("bo"), iris["bo"]) in rows


def test_the_coded_dataset_has_a_row_per_researcher(journey: tuple[Api, dict[str, str]]) -> None:
    api, iris = journey
    with api.server.client() as client:
        response = client.get("/dumps/latest/verdicts.csv", follow_redirects=True)
    assert response.status_code == 200, response.text
    rows = list(csv.DictReader(io.StringIO(response.text)))
    mine = {row["annotator"]: row for row in rows if row["section"] == SECTION}
    assert mine["an"]["verdict"] == "partly-kept"
    assert mine["an"]["evidence"] == DECISION.rsplit("/", 1)[1]
    assert mine["bo"]["verdict"] == "kept"
    assert mine["bo"]["annotation"] == iris["bo"]


def test_both_feeds_carry_both_verdicts(journey: tuple[Api, dict[str, str]]) -> None:
    api, iris = journey
    with api.server.client() as client:
        atom = feedparser.parse(client.get("/feed.atom", params={"section": SECTION}).content)
    assert not atom.bozo, atom.get("bozo_exception")
    linked = " ".join(link.href for entry in atom.entries for link in entry.links)
    assert iris["bo"].removeprefix(BASE) in linked
    assert "/id/annotatie/an/" in linked

    replica = replicate(api.server.url + "/ldes")
    about = {
        str(o)
        for member in replica.members
        for o in replica.graph.objects(member, DCTERMS.isVersionOf)
    }
    assert iris["bo"] in about
    assert any(iri.startswith(f"{BASE}/id/annotatie/an/") for iri in about)
