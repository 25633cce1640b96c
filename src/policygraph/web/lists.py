"""The lists at the parents of the IRI patterns: ``/id/beslissing/``, ``/id/organisatie/``…

Each answers HTML (a table, its filters and orders as links and a form, its pages), RDF (a
Hydra collection paged by ``hydra:view``) and CSV (every row of the filtered list), negotiated
like every document. ``/id/`` lists the lists. These rules are more specific than the
resources' ``/id/<path:ref>``, so a URL ending in ``/`` reaches its list, not a description;
``/graph/`` lists the named graphs.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, render_template, request
from pyoxigraph import Literal, NamedNode, Triple

from policygraph.namespaces import DCT, HYDRA, RDF
from policygraph.read.lists import (
    AGREEMENT_LISTS,
    AGREEMENTS,
    DEFAULT_PER_PAGE,
    GRAPHS,
    TOP_LISTS,
    ListData,
    ListKind,
    ListPage,
    ListParameterError,
    PageNotFoundError,
    Row,
    Selection,
    hydra_triples,
    list_data,
    page_of,
    parse_selection,
    selected,
)
from policygraph.render.table import list_csv_lines
from policygraph.web.context import language, state, urls
from policygraph.web.documents import (
    CACHE_CONTROL,
    alternate_links,
    alternates,
    chosen_format,
    document_response,
    jsonld_script,
)
from policygraph.web.i18n import words
from policygraph.web.negotiation import HTML, Offers

blueprint = Blueprint("lists", __name__)

LIST_OFFERS = Offers(("turtle", "jsonld", "ntriples", "rdfxml", HTML, "csv"))
INDEX_OFFERS = Offers(("turtle", "jsonld", "ntriples", "rdfxml", HTML))
_TOP = "<any(" + ", ".join(TOP_LISTS) + "):segment>"
_IN_AGREEMENT = "<any(" + ", ".join(AGREEMENT_LISTS) + "):segment>"


def _collection(*segments: str) -> str:
    """The IRI of the list at ``{base}/id/{segments…}/``."""
    return state().settings.base_iri + "/id/" + "".join(s + "/" for s in segments)


def data_of(kind: ListKind, collection: str, lang: str) -> ListData:
    """Every member of a list, read once per published version and language."""
    ld = state()
    store = ld.store()
    return ld.cached(
        ("list", collection, store.version, lang),
        lambda: list_data(kind, kind.read(store, collection, lang)),
    )


def agreement_iris() -> list[str]:
    """The coalition agreements the store holds."""
    collection = _collection("regeerakkoord")
    return sorted(row.iri for row in data_of(AGREEMENTS, collection, language()).rows)


@blueprint.get("/id/")
def index() -> Response:
    """The lists there are: one per kind a person browses, and two per agreement."""
    name = chosen_format(INDEX_OFFERS)
    lang = language()
    w = words(lang)
    here = urls()
    found = [(w["list_" + kind.name], _collection(segment)) for segment, kind in TOP_LISTS.items()]
    for agreement in agreement_iris():
        slug = agreement.rsplit("/", 1)[-1]
        for segment, kind in AGREEMENT_LISTS.items():
            iri = _collection("regeerakkoord", slug, segment)
            found.append((f"{w['list_' + kind.name]} {slug}", iri))
    found.append((w["list_graphs"], state().settings.base_iri + "/graph/"))
    index_url = here.url(_collection())

    def triples() -> list[Triple]:
        node = NamedNode(index_url)
        result = [Triple(node, RDF.type, HYDRA.Collection)]
        for title, iri in found:
            member = NamedNode(here.url(iri))
            result += [
                Triple(node, HYDRA.member, member),
                Triple(member, RDF.type, HYDRA.Collection),
                Triple(member, DCT.title, Literal(title, language=lang)),
            ]
        return result

    def html() -> str:
        return render_template(
            "ld/lists.html",
            lang=lang,
            lists=[(title, here.url(iri)) for title, iri in found],
            alternates=[a for a in alternates(INDEX_OFFERS) if a[0] != "HTML"],
            jsonld=jsonld_script(triples()),
        )

    return document_response(
        name,
        version=state().store().version,
        triples=triples,
        html=html,
        offers=INDEX_OFFERS,
        language=lang,
    )


@blueprint.get(f"/id/{_TOP}/")
def top_list(segment: str) -> Response:
    return respond_with_list(TOP_LISTS[segment], _collection(segment))


@blueprint.get("/graph/")
def graph_list() -> Response:
    return respond_with_list(GRAPHS, state().settings.base_iri + "/graph/")


@blueprint.get(f"/id/regeerakkoord/<agreement>/{_IN_AGREEMENT}/")
def agreement_list(agreement: str, segment: str) -> Response:
    if _collection("regeerakkoord")[:-1] + "/" + agreement not in agreement_iris():
        abort(404, description=f"there is no coalition agreement {agreement!r}")
    return respond_with_list(
        AGREEMENT_LISTS[segment], _collection("regeerakkoord", agreement, segment)
    )


def respond_with_list(kind: ListKind, collection: str) -> Response:
    """One page of the list at ``collection``, or the whole filtered list as CSV."""
    name = chosen_format(LIST_OFFERS)
    lang = language()
    data = data_of(kind, collection, lang)
    try:
        selection = parse_selection(data, request.args.to_dict(flat=False))
    except ListParameterError as error:
        abort(400, description=str(error))
    chosen = selected(data, selection)
    if name == "csv":
        return _csv_response(kind, chosen, selection)
    try:
        page = page_of(data, selection, chosen)
    except PageNotFoundError as error:
        abort(404, description=str(error))
    title = words(lang)["list_" + kind.name]
    collection_url = _with(urls().url(collection), selection.collection_parameters(kind))

    def page_url(number: int) -> str:
        return _with(collection_url, _paging(selection, number))

    links = []
    if page.page < page.pages:
        links.append(f'<{page_url(page.page + 1)}>; rel="next"')
    if page.page > 1:
        links.append(f'<{page_url(page.page - 1)}>; rel="prev"')
    list_url = urls().url(collection)
    triples = lambda: hydra_triples(page, collection_url, page_url, title, lang, list_url)  # noqa: E731
    return document_response(
        name,
        version=state().store().version,
        triples=triples,
        html=lambda: _html(page, title, lang, triples),
        offers=LIST_OFFERS,
        extra_links=links,
        language=lang,
    )


def _paging(selection: Selection, number: int) -> list[tuple[str, str]]:
    per_page = (
        [] if selection.per_page == DEFAULT_PER_PAGE else [("per_page", str(selection.per_page))]
    )
    return [("page", str(number)), *per_page]


def _with(url: str, parameters: Sequence[tuple[str, str]]) -> str:
    """``url`` with the query ``parameters`` added (it has none, or the collection's)."""
    if not parameters:
        return url
    return url + ("&" if "?" in url else "?") + urlencode(list(parameters))


def here_with(**changes: str | int | None) -> str:
    """This page's URL with parameters changed (None removes one); ``format`` is dropped, so
    the link negotiates as the page did, and a change of filter or order goes to page 1."""
    args = {k: v for k, v in request.args.items() if k != "format"}
    if set(changes) - {"page"}:
        args.pop("page", None)
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = str(value)
    query = urlencode(sorted(args.items()))
    return request.base_url + ("?" + query if query else "")


def _shown_alternates(lang: str) -> list[tuple[str, str, str]]:
    return [
        (words(lang)["list_csv"] if media_type == "text/csv" else label, url, media_type)
        for label, url, media_type in alternates(LIST_OFFERS)
        if label != "HTML"
    ]


def _html(page: ListPage, title: str, lang: str, triples: Callable[[], list[Triple]]) -> str:
    return render_template(
        "ld/list.html",
        lang=lang,
        page=page,
        title=title,
        here_with=here_with,
        csv_url=here_with(format="csv", page=None, per_page=None),
        alternates=_shown_alternates(lang),
        jsonld=jsonld_script(triples()),
    )


def _csv_response(kind: ListKind, rows: list[Row], selection: Selection) -> Response:
    body = "".join(list_csv_lines(kind.columns, rows))
    response = Response(body, content_type="text/csv; charset=utf-8; header=present")
    suffix = re.sub(r"[^A-Za-z0-9-]+", "-", "".join(f"-{n}-{v}" for n, v in selection.filters))
    response.headers["Content-Disposition"] = f'attachment; filename="{kind.name}{suffix}.csv"'
    response.headers["Link"] = ", ".join(alternate_links(alternates(LIST_OFFERS)))
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.vary.update(("Accept", "Accept-Language"))
    response.set_etag(hashlib.sha256(body.encode()).hexdigest()[:32])
    response.make_conditional(request)
    return response


__all__ = [
    "LIST_OFFERS",
    "agreement_iris",
    "blueprint",
    "data_of",
    "here_with",
    "respond_with_list",
]
