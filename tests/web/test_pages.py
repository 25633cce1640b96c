"""The human pages: home with server-drawn charts, ontology documentation, the query UI."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
from interfaces import AsgiClient
from ld_support import PROJECT, ld_app, ld_settings, ld_store
from pyoxigraph import RdfFormat, parse

from policygraph.read.examples import read_examples

__all__ = ["ld_app", "ld_settings", "ld_store"]

PG = "https://data.policygraph.be/ns/policygraph#"


@pytest.fixture(scope="module")
def client(ld_app):
    return ld_app.pages.test_client()


def svgs(page: str) -> list[ET.Element]:
    return [ET.fromstring(m) for m in re.findall(r"<svg .*?</svg>", page, flags=re.S)]


def test_home_shows_coverage_and_months_as_svg_without_script(client):
    response = client.get("/", headers={"Accept": "text/html"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    charts = svgs(page)
    assert len(charts) == 2
    assert "<script" not in page.split("</head>", 1)[1]
    assert (
        'href="http://localhost/id/regeerakkoord/2019-2024/hoofdstuk/buitenlands-beleid-en-toerisme"'
        in page
    )
    assert (
        'href="http://localhost/id/regeerakkoord/2019-2024/sectie/buitenlands-beleid-en-toerisme/4.3.2"'
        in page
    )


@pytest.mark.parametrize(
    ("language", "title"),
    [("nl", "Beslissingen van de Vlaamse Regering per maand"), ("en", "Decisions of the Flemish")],
)
def test_home_speaks_the_asked_language(client, language, title):
    page = client.get("/", headers={"Accept-Language": language}).get_data(as_text=True)
    assert title in page
    assert f'<html lang="{language}">' in page


def test_home_is_html_only(client):
    assert client.get("/", headers={"Accept": "text/turtle"}).status_code == 406


def test_home_has_a_validator(client):
    first = client.get("/")
    again = client.get("/", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_the_ontology_resolves_as_rdf(client):
    response = client.get("/ns/policygraph", headers={"Accept": "text/turtle"})
    assert response.mimetype == "text/turtle"
    subjects = {t.subject.value for t in parse(response.data, format=RdfFormat.TURTLE)}
    assert PG + "Campaign" in subjects
    assert "https://data.policygraph.be/ns/policygraph" in subjects
    for accept in ("application/ld+json", "application/rdf+xml", "application/n-triples"):
        assert client.get("/ns/policygraph", headers={"Accept": accept}).mimetype == accept


def test_the_ontology_documentation_lists_every_term(client):
    page = client.get("/ns/policygraph", headers={"Accept": "text/html"}).get_data(as_text=True)
    ontology = client.get("/ns/policygraph?format=nt").data
    classes = {
        t.subject.value
        for t in parse(ontology, format=RdfFormat.N_TRIPLES)
        if t.predicate.value.endswith("#type")
        and t.object.value == "http://www.w3.org/2002/07/owl#Class"
        and t.subject.value.startswith(PG)
    }
    assert len(classes) > 10
    for cls in classes:
        assert f'id="{cls[len(PG) :]}"' in page, cls
    assert "campagne" in page  # the Dutch label of pg:Campaign
    assert "A campaign" in page or "campaign" in page
    assert 'class="chart diagram"' in page
    assert "http://www.w3.org/ns/org#FormalOrganization" in page


def test_the_code_lists_resolve(client):
    assert client.get("/ns/concept/", headers={"Accept": "text/turtle"}).status_code == 200
    page = client.get("/ns/concept/nota", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "nota" in page


def test_the_query_ui_loads_vendored_yasgui_and_the_examples(client):
    response = client.get("/query", headers={"Accept-Language": "en"})
    page = response.get_data(as_text=True)
    assert "/assets/yasgui/yasgui.min.js" in page
    assert "cdn" not in page.lower()
    config = json.loads(
        page.split('<script type="application/json" id="pg-query-config">', 1)[1].split(
            "</script>", 1
        )[0]
    )
    examples = read_examples(PROJECT / "queries")
    assert [e["name"] for e in config["examples"]] == [e.name for e in examples]
    assert config["examples"][0]["question"] == examples[0].question("en")
    assert config["endpoint"] == "/sparql"
    assert config["prefixes"]["pg"] == PG
    assert "PREFIX pg: <https://data.policygraph.be/ns/policygraph#>" in config["defaultQuery"]
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp
    assert "style-src 'self' 'unsafe-inline'" in csp
    js = client.get("/assets/yasgui/yasgui.min.js")
    assert js.status_code == 200
    js.close()


def test_an_example_link_opens_and_runs_it(client):
    page = client.get("/query?example=cq01-evidence-of-section-4.3.2").get_data(as_text=True)
    assert '"run": "cq01-evidence-of-section-4.3.2"' in page


def test_autoescape_is_on_for_every_linked_data_template(ld_app):
    folder = PROJECT / "src" / "policygraph" / "web" / "templates" / "ld"
    names = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert names
    assert all(name.endswith(".html") for name in names)
    assert all(ld_app.pages.select_jinja_autoescape(f"ld/{name}") for name in names)
    assert ld_app.pages.jinja_env.from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"


def test_the_endpoint_shows_browsers_the_query_ui(ld_app):
    response = AsgiClient(ld_app).get("/sparql", headers={"Accept": "text/html"})
    page = response.text
    assert response.status_code == 200
    assert 'id="pg-query-config"' in page
    assert '<script type="application/ld+json">' in page  # the service description
    assert "style-src 'self' 'unsafe-inline'" in response.headers["Content-Security-Policy"]
    assert 'rel="alternate"' in response.headers["Link"]


def test_the_ontology_version_iri_resolves(client):
    assert client.get("/ns/policygraph/0.1.0", headers={"Accept": "text/turtle"}).status_code == 200
    assert client.get("/ns/policygraph/9.9.9").status_code == 404


def test_home_advertises_the_dataset_description(client):
    response = client.get("/")
    assert (
        '<http://localhost/.well-known/void?format=ttl>; rel="alternate"'
        in response.headers["Link"]
    )
    page = response.get_data(as_text=True)
    assert '<script type="application/ld+json">' in page
    assert (
        'rel="alternate" type="text/turtle" href="http://localhost/.well-known/void?format=ttl"'
        in page
    )
