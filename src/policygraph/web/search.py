"""``/search``: full-text search for people (HTML) and scripts (JSON, CSV), one route.

The format is negotiated from ``Accept`` or ``?format=`` (``html``, ``json``, ``csv``) by the
project's one negotiation function; the parameters are read by ``search.parameters`` and the
answer computed by the version's ``SearchIndex``. JSON and CSV carry the same results as the
page: JSON the page asked for, CSV every result up to the deepest one a search reaches (a
download), unless ``page`` is given.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, render_template, request

from policygraph.errors import SearchUnavailableError
from policygraph.search import TYPES, SearchIndex, SearchPage, SearchRequest, index_dir, open_index
from policygraph.search.export import csv_text, page_document, segments
from policygraph.search.parameters import FILTERS, parameters_of, request_from
from policygraph.web.context import language, state, urls
from policygraph.web.documents import chosen_format, document_response
from policygraph.web.i18n import words
from policygraph.web.negotiation import HTML, Offers

blueprint = Blueprint("search", __name__)

SEARCH_OFFERS = Offers((HTML, "json", "csv"))
PAGER_WINDOW = 3
"""Page links shown on either side of the current page."""


def search_index() -> tuple[str, SearchIndex]:
    """The version published now and its index (opened once per version and process)."""
    current = state().endpoint.versions.current()
    if current.path is None:
        raise SearchUnavailableError(
            "this dataset has no search index here: one held in memory has none, and over an "
            "external engine the index is that of the local version with the engine's version "
            "(publish builds it), which this server's store folder does not have"
        )
    path = current.path
    return current.version, state().cached(
        ("search-index", str(path)), lambda: open_index(index_dir(path))
    )


@blueprint.get("/search")
def search() -> Response:
    name = chosen_format(SEARCH_OFFERS)
    wanted = request_from(request.args.to_dict(flat=False))
    version, index = search_index()
    if name == "csv":
        whole = "page" not in request.args and "per_page" not in request.args
        page = index.everything(wanted) if whole else index.search(wanted)
        return _csv_response(page, index.labels)
    page = index.search(wanted)
    if name == "json":
        document = page_document(page, index.labels, urls().url)
        body = json.dumps(document, ensure_ascii=False, indent=1)
        response = Response(body + "\n", content_type="application/json; charset=utf-8")
        response.vary.add("Accept")
        response.headers["Cache-Control"] = "public, max-age=300"
        return response
    lang = language()
    return document_response(
        name,
        version=version,
        triples=list,
        html=lambda: _html(page, index.labels, lang),
        offers=SEARCH_OFFERS,
        language=lang,
    )


def _csv_response(page: SearchPage, labels: dict[str, str]) -> Response:
    response = Response(csv_text(page.hits, labels), content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{_file_name(page)}.csv"'
    response.vary.add("Accept")
    return response


def _file_name(page: SearchPage) -> str:
    words_of = "".join(c if c.isalnum() else "-" for c in page.request.text.lower())
    slug = "-".join(part for part in words_of.split("-") if part)[:60]
    return f"search-{slug}" if slug else "search"


@dataclass(frozen=True)
class FacetLink:
    label: str
    count: int
    url: str
    active: bool


def _html(page: SearchPage, labels: dict[str, str], lang: str) -> str:
    w = words(lang)
    wanted = page.request
    downloads = [
        ("CSV", _url(wanted, "csv", page=1, per_page=10), "text/csv"),
        ("JSON", _url(wanted, "json"), "application/json"),
    ]
    return render_template(
        "ld/search.html",
        lang=lang,
        page=page,
        text=wanted.text,
        types=TYPES,
        hits=[(hit, segments(hit)) for hit in page.hits],
        labels=labels,
        facets=_facets(page, labels, w),
        active=_active(wanted, labels, w),
        pager=_pager(page),
        downloads=downloads,
        alternates=[("HTML", _url(wanted, "html"), "text/html"), *downloads],
    )


def _url(wanted: SearchRequest, fmt: str | None = None, /, **changes: Any) -> str:
    """This search's URL with ``changes`` (a facet toggled, another page), the language kept."""
    pairs = parameters_of(wanted, **changes)
    if "lang" in request.args:
        pairs.append(("lang", request.args["lang"]))
    if fmt is not None:
        pairs.append(("format", fmt))
    return request.path + "?" + urlencode(pairs)


def _toggled(values: tuple[str, ...], value: str) -> tuple[str, ...]:
    return tuple(v for v in values if v != value) if value in values else (*values, value)


def _facet_label(name: str, value: str, labels: dict[str, str], w: dict[str, str]) -> str:
    if name == "type":
        return w.get(f"search_type_{value}", value)
    if name == "cited":
        return w["search_cited_yes"] if value == "true" else w["search_cited_no"]
    return labels.get(value, value)


def _facets(
    page: SearchPage, labels: dict[str, str], w: dict[str, str]
) -> list[tuple[str, list[FacetLink]]]:
    """Each facet with its values: label, count, and the URL that adds or removes it."""
    wanted = page.request
    fields = {"type": "types", **FILTERS}
    shown = []
    for name, counts in page.facets.items():
        field = fields[name]
        chosen: tuple[str, ...] = getattr(wanted, field)
        links = [
            FacetLink(
                _facet_label(name, c.value, labels, w),
                c.count,
                _url(wanted, page=1, **{field: _toggled(chosen, c.value)}),
                c.value in chosen,
            )
            for c in sorted(counts, key=lambda c: (-c.count, c.value))
        ]
        if name == "year":
            links.sort(key=lambda link: link.label, reverse=True)
        if links:
            shown.append((w.get(f"search_facet_{name}", name), links))
    return shown


def _active(
    wanted: SearchRequest, labels: dict[str, str], w: dict[str, str]
) -> list[tuple[str, str]]:
    """The filters in force, each with the URL that removes it."""
    fields = {"type": "types", **FILTERS}
    return [
        (
            _facet_label(name, value, labels, w),
            _url(wanted, page=1, **{field: _toggled(getattr(wanted, field), value)}),
        )
        for name, field in fields.items()
        for value in getattr(wanted, field)
    ]


def _pager(page: SearchPage) -> list[tuple[str, str | None, bool]]:
    """(label, URL, current) of the first, the last and the pages around this one; a gap has
    no URL."""
    current, last = page.request.page, page.pages
    if last <= 1:
        return []
    numbers = sorted(
        {1, last, *range(max(1, current - PAGER_WINDOW), min(last, current + PAGER_WINDOW) + 1)}
    )
    links: list[tuple[str, str | None, bool]] = []
    previous = 0
    for number in numbers:
        if number > previous + 1:
            links.append(("…", None, False))
        links.append((str(number), _url(page.request, page=number), number == current))
        previous = number
    return links


__all__ = ["SEARCH_OFFERS", "blueprint", "search_index"]
