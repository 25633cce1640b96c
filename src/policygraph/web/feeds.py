"""The change feeds: ``/feed.atom`` (Atom) and ``/ldes`` (a Linked Data Event Stream).

Both read the change log (``read.changes``) and take ``?section=IRI`` and ``?organisation=IRI``
to keep the events concerning them. The stream's pages are ``/ldes/{n}``; a full page never
changes and is sent as immutable, the last one for a short while.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, request
from pyoxigraph import Triple

from policygraph.read.changes import Change, changes, concerning
from policygraph.read.event_stream import page_of, page_triples, stream_triples
from policygraph.render.atom import Entry, atom_feed
from policygraph.web.context import language, state, urls
from policygraph.web.documents import chosen_format, document_response
from policygraph.web.i18n import words
from policygraph.web.negotiation import Offers

blueprint = Blueprint("feeds", __name__)

STREAM_OFFERS = Offers(("turtle", "jsonld", "ntriples"))
IMMUTABLE = "public, max-age=31536000, immutable"
ATOM = "application/atom+xml"
ATOM_PAGES = 5
"""The Atom feed holds this many pages of the stream, newest first: a reader polls it."""


def _events() -> tuple[Change, ...]:
    """The events concerning the section and organisation asked for, oldest first."""
    ld = state()
    store = ld.store()
    lang = language()
    found = ld.cached(
        ("changes", store.version, lang), lambda: changes(store, ld.settings.base_iri, lang)
    )
    return concerning(found, _filter("section"), _filter("organisation"))


def _filter(name: str) -> str | None:
    value = request.args.get(name, "").strip()
    if value and not value.startswith(("http://", "https://")):
        abort(400, description=f"{name} must be an IRI")
    return value or None


def _filters() -> str:
    """The filters as a query string to carry from page to page (empty when none)."""
    kept = [(n, v) for n in ("section", "organisation") if (v := _filter(n))]
    return "?" + urlencode(kept) if kept else ""


def _titles() -> dict[str, str]:
    return {lang: words(lang)["feed_title"] for lang in ("nl", "en")}


@blueprint.get("/ldes")
def stream() -> Response:
    name = chosen_format(STREAM_OFFERS)
    root, query = urls().root, _filters()
    url = root + "/ldes" + query

    def triples() -> list[Triple]:
        return stream_triples(url, f"{root}/ldes/0{query}", _titles())

    return document_response(
        name,
        version=state().store().version,
        triples=triples,
        html=lambda: "",
        offers=STREAM_OFFERS,
    )


@blueprint.get("/ldes/<int:number>")
def page(number: int) -> Response:
    name = chosen_format(STREAM_OFFERS)
    size = state().settings.feed_page_size
    found = page_of(_events(), number, size)
    if found is None:
        abort(404, description=f"the change stream has no page {number}")
    root, query = urls().root, _filters()
    here = f"{root}/ldes/{number}{query}"
    following = f"{root}/ldes/{found.next_number}{query}" if found.next_number else None

    def triples() -> list[Triple]:
        return page_triples(root + "/ldes" + query, here, found, following, _titles())

    response = document_response(
        name,
        version=state().store().version,
        triples=triples,
        html=lambda: "",
        offers=STREAM_OFFERS,
    )
    if found.full:
        response.headers["Cache-Control"] = IMMUTABLE
    return response


@blueprint.get("/feed.atom")
def atom() -> Response:
    ld = state()
    lang = language()
    w = words(lang)
    here = urls()
    newest = list(reversed(_events()))[: ATOM_PAGES * ld.settings.feed_page_size]
    entries = [_entry(change, w, here.url) for change in newest]
    self_url = here.root + "/feed.atom" + _filters()
    body = atom_feed(
        feed_id=self_url,
        title=w["feed_title"],
        subtitle=w["feed_subtitle"],
        self_url=self_url,
        home_url=here.root + "/",
        # An empty feed has no time of its own: the moment it is asked for.
        updated=newest[0].at if newest else datetime.now(UTC),
        entries=entries,
        language=lang,
    )
    response = Response(body, content_type=f"{ATOM}; charset=utf-8")
    response.headers["Cache-Control"] = "public, max-age=300"
    response.vary.add("Accept-Language")
    response.set_etag(f"{ld.store().version}-{lang}-{self_url}")
    response.make_conditional(request)
    return response


def _entry(change: Change, w: dict[str, str], url: Callable[[str], str]) -> Entry:
    kind = w.get(change.key, change.key)
    author = change.account or "policygraph"
    title = f"{kind}: {change.title}" if change.title else kind
    # The page of what changed: a decision's, or an annotation's (which names its target).
    link = url(change.about)
    summary = f"{kind} ({w['feed_by']} {author}): {change.about}"
    return Entry(
        id=change.iri,
        title=title,
        link=link,
        updated=change.at,
        author=author,
        summary=summary,
        categories=(change.what, change.activity),
    )


__all__ = ["blueprint"]
