"""Dereferencing: every kind of resource × Accept × ?format= × language, 404s, and the headers.

The IRI answers itself (200, negotiated); the request URL maps to the IRI through the base IRI,
so on the test client's http://localhost the IRIs stay https://data.policygraph.be/….
"""

from __future__ import annotations

import gzip
import json
import re

import pytest
from ld_support import (
    BASE,
    CAMPAIGN,
    CHAPTER,
    CLAIM,
    COMPOSITION,
    CONCEPT,
    DECISION,
    GRAPH,
    ORGANISATION,
    REPORT,
    SECTION,
    SOURCE,
    XSS_SECTION,
    ld_app,
    ld_settings,
    ld_store,
)
from pyoxigraph import NamedNode, RdfFormat, parse

from policygraph.web.documents import document_response
from policygraph.web.negotiation import HTML

__all__ = ["ld_app", "ld_settings", "ld_store"]

RESOURCES = {
    "section": SECTION,
    "chapter": CHAPTER,
    "report": REPORT,
    "claim": CLAIM,
    "decision": DECISION,
    "organisation": ORGANISATION,
    "campaign": CAMPAIGN,
    "source": SOURCE,
    "graph": GRAPH,
    "concept": CONCEPT,
}
RDF_FORMATS = {
    # name: (media type, ?format= value, pyoxigraph parser)
    "turtle": ("text/turtle", "ttl", RdfFormat.TURTLE),
    "jsonld": ("application/ld+json", "jsonld", RdfFormat.JSON_LD),
    "ntriples": ("application/n-triples", "nt", RdfFormat.N_TRIPLES),
    "rdfxml": ("application/rdf+xml", "rdf", RdfFormat.RDF_XML),
}


def path(iri: str) -> str:
    for prefix in (BASE + "/ns/", BASE):
        if iri.startswith(prefix):
            return ("/ns/" if prefix.endswith("/ns/") else "") + iri[len(prefix) :]
    raise ValueError(iri)


@pytest.fixture(scope="module")
def client(ld_app):
    return ld_app.pages.test_client()


def subjects_and_objects(body: bytes, fmt: RdfFormat) -> set[str]:
    found = set()
    for triple in parse(body, format=fmt, base_iri=BASE + "/"):
        for term in (triple.subject, triple.object):
            if isinstance(term, NamedNode):
                found.add(term.value)
    return found


@pytest.mark.parametrize("kind", RESOURCES)
@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_accept_header_selects_the_rdf_format(client, kind, fmt):
    iri = RESOURCES[kind]
    media_type, _, parser = RDF_FORMATS[fmt]
    response = client.get(path(iri), headers={"Accept": media_type})
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert iri in subjects_and_objects(response.data, parser)
    assert "Accept" in response.headers["Vary"]


@pytest.mark.parametrize("kind", RESOURCES)
@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_format_parameter_overrides_accept(client, kind, fmt):
    iri = RESOURCES[kind]
    media_type, short, parser = RDF_FORMATS[fmt]
    response = client.get(path(iri) + f"?format={short}", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert iri in subjects_and_objects(response.data, parser)


@pytest.mark.parametrize("kind", RESOURCES)
@pytest.mark.parametrize(
    "headers",
    [{"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}, {}],
    ids=["browser", "format=html"],
)
def test_html_for_browsers_and_for_format_html(client, kind, headers):
    iri = RESOURCES[kind]
    url = path(iri) + ("" if headers else "?format=html")
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert f'data-iri="{iri}"' in page
    assert '<script type="application/ld+json">' in page


def test_no_accept_header_means_turtle(client):
    response = client.get(path(SECTION))
    assert response.mimetype == "text/turtle"


def test_a_wildcard_means_turtle(client):
    response = client.get(path(SECTION), headers={"Accept": "*/*"})
    assert response.mimetype == "text/turtle"


def test_q_values_decide(client):
    response = client.get(
        path(SECTION), headers={"Accept": "text/turtle;q=0.5, application/ld+json"}
    )
    assert response.mimetype == "application/ld+json"


@pytest.mark.parametrize(
    ("accept", "language", "label"),
    [
        ("nl", "nl", "Flanders Investment & Trade"),
        ("en", "en", "Flanders Investment & Trade (en)"),
        ("en-GB,en;q=0.9", "en", "Flanders Investment & Trade (en)"),
        ("fr", "nl", "Flanders Investment & Trade"),
        ("fr, en;q=0.5", "en", "Flanders Investment & Trade (en)"),
    ],
)
def test_labels_follow_accept_language(client, accept, language, label):
    response = client.get(
        path(ORGANISATION), headers={"Accept": "text/html", "Accept-Language": accept}
    )
    page = response.get_data(as_text=True)
    assert response.headers["Content-Language"] == language
    assert f"<h1>{label.replace('&', '&amp;')}</h1>" in page
    assert "Accept-Language" in response.headers["Vary"]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_lang_parameter_overrides_accept_language(client, language):
    response = client.get(
        path(ORGANISATION) + f"?lang={language}&format=html", headers={"Accept-Language": "fr"}
    )
    assert response.headers["Content-Language"] == language


def test_rdf_labels_follow_the_language_too(client):
    english = client.get(path(SECTION) + "?format=nt", headers={"Accept-Language": "en"}).data
    dutch = client.get(path(SECTION) + "?format=nt", headers={"Accept-Language": "nl"}).data
    assert b'"Flanders Investment & Trade (en)"@en' in english
    assert b'"Flanders Investment & Trade"@nl' in dutch


def test_link_headers_name_every_format(client):
    response = client.get(path(SECTION), headers={"Accept": "text/html"})
    links = response.headers["Link"]
    for media_type, short in [(m, s) for m, s, _ in RDF_FORMATS.values()] + [("text/html", "html")]:
        assert re.search(
            rf'<http://localhost{re.escape(path(SECTION))}\?format={short}>; rel="alternate"; '
            rf'type="{re.escape(media_type)}"',
            links,
        ), media_type


def test_an_rdf_response_names_its_location(client):
    response = client.get(path(SECTION), headers={"Accept": "application/n-triples"})
    assert response.headers["Content-Location"].endswith(path(SECTION) + "?format=nt")


def test_iris_stay_iris_while_links_point_at_this_host(client):
    page = client.get(path(SECTION), headers={"Accept": "text/html"}).get_data(as_text=True)
    assert f"<code>{SECTION}</code>" in page
    assert (
        'href="http://localhost/id/regeerakkoord/2019-2024/hoofdstuk/buitenlands-beleid-en-toerisme"'
        in page
    )
    body = client.get(path(SECTION) + "?format=nt").data
    assert f"<{CHAPTER}>".encode() in body
    assert b"http://localhost" not in body


def test_the_ontology_namespace_links_to_this_host(client):
    page = client.get(path(SECTION), headers={"Accept": "text/html"}).get_data(as_text=True)
    assert 'href="http://localhost/ns/policygraph#inChapter"' in page


@pytest.mark.parametrize(
    "url",
    [
        "/id/beslissing/DOES-NOT-EXIST",
        "/id/regeerakkoord/2019-2024/sectie/nergens/9.9",
        "/graph/nope",
        "/ns/concept/nope",
        "/id/organisatie/%3Cscript%3E",
    ],
)
@pytest.mark.parametrize("accept", ["text/html", "text/turtle"])
def test_unknown_iris_are_404(client, url, accept):
    assert client.get(url, headers={"Accept": accept}).status_code == 404


def test_an_unservable_accept_is_406(client):
    response = client.get(path(SECTION), headers={"Accept": "image/png"})
    assert response.status_code == 406


def test_an_unknown_format_parameter_is_406(client):
    assert client.get(path(SECTION) + "?format=pdf").status_code == 406


def test_a_bad_page_is_400_and_a_page_past_the_end_404(client):
    assert client.get(path(COMPOSITION) + "?page=0").status_code == 400
    assert client.get(path(COMPOSITION) + "?page=x").status_code == 400
    assert client.get(path(COMPOSITION) + "?page=2").status_code == 404


def test_incoming_links_are_in_the_description(client):
    body = client.get(path(COMPOSITION) + "?format=nt").data
    assert body.count(f"<{COMPOSITION}> .".encode()) == 4
    page = client.get(path(COMPOSITION) + "?format=html").get_data(as_text=True)
    assert 'id="incoming"' in page


def test_etag_and_conditional_requests(client):
    first = client.get(path(SECTION), headers={"Accept": "text/turtle"})
    etag = first.headers["ETag"]
    again = client.get(path(SECTION), headers={"Accept": "text/turtle", "If-None-Match": etag})
    assert again.status_code == 304
    other = client.get(path(SECTION), headers={"Accept": "text/html"})
    assert other.headers["ETag"] != etag
    assert first.headers["Cache-Control"] == "public, max-age=300"


def test_a_client_holding_the_validator_is_answered_without_rendering_the_page(ld_app):
    def never() -> str:
        raise AssertionError("rendered for a client that holds the page")

    def answer(html, **headers):
        with ld_app.pages.test_request_context(path(SECTION), headers=headers):
            return document_response(
                HTML, version="fixture-1", triples=list, html=html, language="nl"
            )

    full = answer(lambda: "page", Accept="text/html")
    held = answer(never, Accept="text/html", **{"If-None-Match": full.headers["ETag"]})
    assert held.status_code == 304
    assert held.get_data() == b""
    for header in ("ETag", "Link", "Vary", "Cache-Control"):
        assert held.headers[header] == full.headers[header], header


def test_responses_are_gzipped_for_clients_that_ask(client):
    response = client.get(path(SECTION), headers={"Accept": "text/html", "Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert response.headers["ETag"].startswith('W/"')
    assert b"data-iri" in gzip.decompress(response.data)
    plain = client.get(path(SECTION), headers={"Accept": "text/html"})
    assert "Content-Encoding" not in plain.headers


def test_security_headers(client):
    response = client.get(path(SECTION), headers={"Accept": "text/html"})
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_every_literal_is_escaped_in_html(client):
    page = client.get(path(XSS_SECTION), headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "<script>window.__xss" not in page
    assert "&lt;script&gt;window.__xss = 1&lt;/script&gt;" in page
    assert "<img src=x" not in page
    parent = client.get(path(CHAPTER), headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "<script>window.__xss" not in parent


def test_embedded_json_ld_cannot_close_its_script(client):
    page = client.get(path(XSS_SECTION), headers={"Accept": "text/html"}).get_data(as_text=True)
    script = page.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in script
    data = json.loads(script)
    titles = [
        v["@value"]
        for node in data
        for v in node.get("http://purl.org/dc/terms/title", [])
        if isinstance(v, dict)
    ]
    assert "Toerisme <script>window.__xss = 1</script> & cultuur" in titles


def test_a_named_graph_that_nothing_describes_still_dereferences(client):
    body = client.get("/graph/ontologie/concepts?format=nt").get_data(as_text=True)
    assert "<http://rdfs.org/ns/void#triples>" in body
    page = client.get("/graph/ontologie/concepts?format=html").get_data(as_text=True)
    assert "data-graph-triples=" in page


@pytest.mark.parametrize(
    ("url", "location"),
    [("/ns/concept", "/ns/concept/"), ("/dumps", "/dumps/")],
)
def test_folder_urls_without_their_slash_redirect(client, url, location):
    response = client.get(url)
    assert response.status_code in (301, 308)
    assert response.headers["Location"].endswith(location)


def test_the_latest_dump_redirects_to_its_version(client):
    response = client.get("/dumps/latest/policygraph.ttl")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/dumps/fixture-1/policygraph.ttl")


def test_on_the_public_domain_links_are_the_iris_themselves(client):
    page = client.get(
        path(SECTION), headers={"Accept": "text/html"}, base_url="https://data.policygraph.be"
    ).get_data(as_text=True)
    assert f'href="{CHAPTER}"' in page
    assert "http://localhost" not in page


def test_behind_a_path_prefix_links_keep_the_prefix(client):
    page = client.get(
        "/id/organisatie/fit",
        headers={"Accept": "text/html"},
        environ_overrides={"SCRIPT_NAME": "/pg"},
    ).get_data(as_text=True)
    assert (
        'href="http://localhost/pg/id/regeerakkoord/2019-2024/sectie/buitenlands-beleid-en-toerisme/4.3.2"'
        in page
    )
