"""On the built corpus: every IRI of the graph dereferences, every kind of resource in every
format and language, and the VoID figures equal SPARQL counts.

Each IRI is asked for once, in one of the five formats in turn (so every format is asked for
thousands of times); one resource of each kind is asked for in every format and language.
"""

from __future__ import annotations

import pytest
from pyoxigraph import NamedNode, QuerySolutions, RdfFormat, Store, parse

from policygraph.store.local import LocalStore

BASE = "https://data.policygraph.be"
FORMATS = (
    ("text/turtle", RdfFormat.TURTLE),
    ("application/ld+json", RdfFormat.JSON_LD),
    ("application/n-triples", RdfFormat.N_TRIPLES),
    ("application/rdf+xml", RdfFormat.RDF_XML),
    ("text/html", None),
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def documents(corpus_store: LocalStore) -> list[str]:
    """The document URL path of every IRI under the base: subjects, objects and graph names."""
    iris: set[str] = {g.value for g in corpus_store.named_graphs()}
    for quad in corpus_store.quads():
        for term in (quad.subject, quad.object):
            if isinstance(term, NamedNode) and term.value.startswith(BASE + "/"):
                iris.add(term.value)
    # A hash IRI is described by the document its fragment sits in.
    return sorted({iri.split("#", 1)[0][len(BASE) :] for iri in iris})


def test_every_iri_of_the_graph_dereferences(corpus_app, documents):
    client = corpus_app.test_client()
    failures = []
    for index, path in enumerate(documents):
        media_type, syntax = FORMATS[index % len(FORMATS)]
        response = client.get(path, headers={"Accept": media_type})
        if response.status_code != 200 or response.mimetype != media_type:
            failures.append(f"{path} as {media_type}: {response.status_code}")
            continue
        if syntax is not None and not list(parse(response.data, format=syntax)):
            failures.append(f"{path} as {media_type}: no triples")
    assert len(documents) > 5000
    assert failures == []


def kinds(documents: list[str]) -> list[str]:
    """One document of each kind: /id/{type}/… (/id/regeerakkoord/{slug}/{type}/… for what is
    part of an agreement), /graph/…, /ns/…."""
    chosen: dict[str, str] = {}
    for path in documents:
        parts = path.strip("/").split("/")
        depth = 4 if parts[:2] == ["id", "regeerakkoord"] else 2
        chosen.setdefault("/".join(parts[:depth]) if parts[0] == "id" else parts[0], path)
    return sorted(chosen.values())


def test_every_kind_in_every_format_and_language(corpus_app, documents):
    client = corpus_app.test_client()
    chosen = kinds(documents)
    assert any(p.startswith("/id/regeerakkoord/2019-2024/sectie/") for p in chosen)
    assert any(p.startswith("/id/regeerakkoord/2019-2024/bewering/") for p in chosen)
    failures = []
    for path in chosen:
        for media_type, _ in FORMATS:
            for language in ("nl", "en"):
                response = client.get(
                    path, headers={"Accept": media_type, "Accept-Language": language}
                )
                if (response.status_code, response.mimetype) != (200, media_type):
                    failures.append(f"{path} {media_type} {language}: {response.status_code}")
                if "Accept" not in response.headers.get("Vary", ""):
                    failures.append(f"{path} {media_type}: no Vary: Accept")
    assert failures == []


def test_the_section_page_of_the_newcomers_tour(corpus_app):
    client = corpus_app.test_client()
    page = client.get(
        "/id/regeerakkoord/2019-2024/sectie/buitenlands-beleid-en-toerisme/4.3.2",
        headers={"Accept": "text/html"},
    ).get_data(as_text=True)
    assert page.count('class="claim"') >= 5
    assert 'id="timeline"' in page
    assert "Flanders Investment &amp; Trade" in page
    # It says plainly that a language model wrote the assessment, and what it was shown.
    assert 'id="generation"' in page
    assert "gpt-4-1106-preview" in page
    assert "74" in page.split('class="generation-summary"', 1)[1].split("</p>", 1)[0]


def test_void_figures_equal_sparql_counts_on_the_corpus(corpus_app, corpus_store):
    client = corpus_app.test_client()
    described = Store()
    described.load(client.get("/.well-known/void?format=nt").data, format=RdfFormat.N_TRIPLES)
    void = "http://rdfs.org/ns/void#"
    stated = described.query(
        f"SELECT ?n WHERE {{ <{BASE}/id/dataset/policygraph> <{void}triples> ?n }}"
    )
    assert isinstance(stated, QuerySolutions)
    counted = corpus_store.query(
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"
    )
    assert isinstance(counted, QuerySolutions)
    assert int(next(iter(stated))[0].value) == int(next(iter(counted))[0].value)
    decisions = described.query(
        f"SELECT ?n WHERE {{ ?p <{void}class> <https://data.policygraph.be/ns/policygraph#"
        f"GovernmentDecision> ; <{void}entities> ?n }}"
    )
    assert isinstance(decisions, QuerySolutions)
    assert int(next(iter(decisions))[0].value) == 3165
