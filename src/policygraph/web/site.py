"""The files a site has for crawlers and browsers: ``/robots.txt``, ``/sitemap.xml`` (every
document the store's IRIs dereference to, the lists and the main pages) and the favicon.

``robots.txt`` keeps crawlers off ``/sparql?`` and ``/query?``: every such URL runs a query on
the query workers (a share link is one), which the pages, the lists and the dumps already
publish; everything else is theirs to read.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flask import Blueprint, Response, abort, request, url_for

from policygraph.read.lists import AGREEMENT_LISTS, TOP_LISTS
from policygraph.read.sitemap import document_iris
from policygraph.render.sitemap import MAX_URLS, parts_of, sitemap_index, urlset
from policygraph.web.context import state, urls
from policygraph.web.documents import CACHE_CONTROL
from policygraph.web.lists import agreement_iris

blueprint = Blueprint("site", __name__)

STATIC = Path(__file__).resolve().parent / "static" / "ld"


def site_urls() -> list[str]:
    """Every URL of the sitemap: the main pages, the lists, then the documents."""
    ld = state()
    store = ld.store()
    here = urls()
    base = ld.settings.base_iri
    documents = ld.cached(("sitemap", store.version), lambda: document_iris(store, base))
    lists = [f"{base}/id/", f"{base}/graph/", *(f"{base}/id/{segment}/" for segment in TOP_LISTS)]
    for agreement in agreement_iris():
        lists += [f"{agreement}/{segment}/" for segment in AGREEMENT_LISTS]
    pages = [
        url_for(endpoint, _external=True)
        for endpoint in ("pages.home", "ui.query_ui", "ontology.ontology", "void.void")
    ] + [url_for("dumps.index", _external=True)]
    return list(dict.fromkeys([*pages, *map(here.url, lists), *map(here.url, documents)]))


def _written(part: int, write: Callable[[list[str]], bytes]) -> bytes:
    """A sitemap file, written once per version and host (its URLs are this host's)."""
    ld = state()
    key = ("sitemap-file", ld.store().version, request.url_root, part)
    return ld.cached(key, lambda: write(site_urls()), size=64)


def _xml(body: bytes) -> Response:
    response = Response(body, content_type="application/xml; charset=utf-8")
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.set_etag(state().store().version + "-" + request.path)
    response.make_conditional(request)
    return response


@blueprint.get("/sitemap.xml")
def sitemap() -> Response:
    """The sitemap; an index of numbered parts when there are more URLs than one may hold."""

    def write(found: list[str]) -> bytes:
        if len(found) <= MAX_URLS:
            return urlset(found)
        return sitemap_index(
            url_for("site.sitemap_part", number=n, _external=True)
            for n in range(1, parts_of(len(found)) + 1)
        )

    return _xml(_written(0, write))


@blueprint.get("/sitemap-<int:number>.xml")
def sitemap_part(number: int) -> Response:
    found = site_urls()
    if not 1 <= number <= parts_of(len(found)) or len(found) <= MAX_URLS:
        abort(404, description=f"there is no sitemap part {number}")
    return _xml(
        _written(number, lambda found: urlset(found[(number - 1) * MAX_URLS : number * MAX_URLS]))
    )


@blueprint.get("/robots.txt")
def robots() -> Response:
    text = (
        "User-agent: *\n"
        "Allow: /\n"
        "Disallow: /sparql?\n"
        "Disallow: /query?\n"
        f"Sitemap: {url_for('site.sitemap', _external=True)}\n"
    )
    response = Response(text, content_type="text/plain; charset=utf-8")
    response.headers["Cache-Control"] = CACHE_CONTROL
    return response


def _static(name: str, media_type: str) -> Response:
    response = Response((STATIC / name).read_bytes(), content_type=media_type)
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


@blueprint.get("/favicon.svg")
def favicon_svg() -> Response:
    return _static("favicon.svg", "image/svg+xml")


@blueprint.get("/favicon.ico")
def favicon_ico() -> Response:
    return _static("favicon.ico", "image/vnd.microsoft.icon")


__all__ = ["blueprint", "site_urls"]
