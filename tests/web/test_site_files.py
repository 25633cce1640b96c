"""robots.txt, the favicon, the sitemap, and error pages for people.

The sitemap is read on the built corpus: it holds the IRIs of a sample of every kind of
resource, and every URL it lists answers (a sample of a few hundred, spread over the whole).
The error pages are asked for on the small fixture, through the app served on loopback.
"""

from __future__ import annotations

import random
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest
from interfaces import LoopbackServer, app_on, in_memory
from ld_support import SECTION, fixture_quads, fixture_settings, path_of

from policygraph.query import source_for
from policygraph.render.sitemap import parts_of, sitemap_index, urlset
from policygraph.store.local import LocalStore

BASE = "https://data.policygraph.be"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixture app on loopback, with one route that fails as a bug would."""
    settings = fixture_settings(tmp_path_factory.mktemp("site-files"))
    with app_on(settings, in_memory(fixture_quads())) as app:

        def broken() -> str:
            raise RuntimeError("secret internals: /var/lib/policygraph password=hunter2")

        app.pages.add_url_rule("/test-only/broken", "broken", broken)
        server = LoopbackServer(app)
        yield server.url
        server.stop()


@pytest.fixture(scope="module")
def http(served: str):
    import httpx

    with httpx.Client(base_url=served, timeout=60) as client:
        yield client


def test_robots_allows_all_but_queries_and_names_the_sitemap(http, served):
    response = http.get("/robots.txt")
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    lines = response.text.splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /sparql?" in lines
    assert f"Sitemap: {served}/sitemap.xml" in lines


def test_the_favicon_is_an_svg_and_an_ico(http):
    svg = http.get("/favicon.svg")
    assert svg.headers["content-type"] == "image/svg+xml"
    assert ET.fromstring(svg.content).tag == "{http://www.w3.org/2000/svg}svg"
    ico = http.get("/favicon.ico")
    assert ico.headers["content-type"] == "image/vnd.microsoft.icon"
    assert ico.content[:4] == b"\x00\x00\x01\x00"  # an ICO header: reserved 0, type 1 (icon)
    assert ico.content[22:30] == b"\x89PNG\r\n\x1a\n"
    page = http.get(path_of(SECTION), headers=HTML).text
    assert '<link rel="icon" href="/favicon.svg" type="image/svg+xml">' in page


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/nowhere", 404),
        ("/id/beslissing/NOPE", 404),
        (path_of(SECTION) + "?format=pdf", 406),
        ("/id/beslissing/?per_page=9999", 400),
        ("/robots.txt", 405),
    ],
)
def test_errors_are_pages_for_browsers_and_plain_text_for_others(http, url, status):
    method = "POST" if status == 405 else "GET"
    page = http.request(method, url, headers=HTML)
    assert page.status_code == status
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert f'data-status="{status}"' in page.text
    assert '<header class="top">' in page.text
    assert 'href="/id/beslissing/"' in page.text
    plain = http.request(method, url, headers={"Accept": "*/*"})
    assert plain.status_code == status
    assert plain.headers["content-type"] == "text/plain; charset=utf-8"
    assert "<" not in plain.text.split(":", 1)[0]
    if status == 405:
        assert page.headers["allow"] == plain.headers["allow"]


def test_a_500_shows_no_internals(http):
    for headers in (HTML, {"Accept": "*/*"}):
        response = http.get("/test-only/broken", headers=headers)
        assert response.status_code == 500
        for leak in ("secret", "hunter2", "Traceback", "RuntimeError", "/var/lib"):
            assert leak not in response.text
    assert 'data-status="500"' in http.get("/test-only/broken", headers=HTML).text


def test_the_endpoint_keeps_its_own_error_bodies(http):
    response = http.get("/sparql", params={"query": "SELECT nonsense"}, headers=HTML)
    assert response.status_code == 400
    assert "text/html" not in response.headers["content-type"]


def test_a_sitemap_index_numbers_its_parts():
    assert (parts_of(0), parts_of(50_000), parts_of(50_001)) == (1, 1, 2)
    index = ET.fromstring(sitemap_index(["https://x.test/sitemap-1.xml?a=1&b=2"]))
    assert index.tag == SITEMAP + "sitemapindex"
    assert (
        index.find(f"{SITEMAP}sitemap/{SITEMAP}loc").text == "https://x.test/sitemap-1.xml?a=1&b=2"
    )
    assert b"&amp;" in urlset(["https://x.test/?a=1&b=2"])


@pytest.mark.slow
def test_the_sitemap_lists_every_document_and_each_answers(built, corpus_store: LocalStore):
    settings, _ = built
    with app_on(settings.replace(max_concurrent_queries=1), source_for(corpus_store)) as app:
        client = app.pages.test_client()
        response = client.get("/sitemap.xml")
        assert response.mimetype == "application/xml"
        root = ET.fromstring(response.data)
        assert root.tag == SITEMAP + "urlset"
        locs = [loc.text or "" for loc in root.iter(SITEMAP + "loc")]
        assert len(locs) == len(set(locs)) > 5000
        for path in (
            "/id/beslissing/5D9C56D56B1B8100080001EA",
            "/id/regeerakkoord/2019-2024/sectie/buitenlands-beleid-en-toerisme/4.3.2",
            "/id/regeerakkoord/2019-2024/hoofdstuk/buitenlands-beleid-en-toerisme",
            "/id/organisatie/fit",
            "/id/campagne/fit-lifesciences-health-2021",
            "/graph/beslissingen",
            "/id/beslissing/",
            "/id/regeerakkoord/2019-2024/sectie/",
        ):
            assert "http://localhost" + path in locs, path
        sample = random.Random(7).sample(locs, 300) + locs[:20]
        failures = []
        for url in sample:
            answer = client.get(
                url.removeprefix("http://localhost"), headers={"Accept": "text/html"}
            )
            if answer.status_code != 200:
                failures.append(f"{url}: {answer.status_code}")
        assert failures == []


@pytest.mark.parametrize(
    "path", ["/id", "/id/beslissing", "/graph", "/id/regeerakkoord/2019-2024/sectie"]
)
def test_a_list_url_without_its_slash_redirects_to_the_list(http, path):
    response = http.get(path, headers=HTML)
    assert response.status_code == 308
    assert response.headers["location"].endswith(path + "/")
    assert http.get(path + "/", headers=HTML).status_code == 200
