"""Negotiated responses of linked-data documents: one description, an HTML page or RDF.

The choice is made by the endpoint's one negotiation function (``negotiation.negotiate``) from
``Accept`` or ``?format=``; this module serialises the chosen format and sends the headers every
document has: ``Vary``, ``Link: rel="alternate"`` for each format, an ETag made from the store
version, and caching.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from urllib.parse import urlencode

from flask import Response, request
from markupsafe import Markup
from pyoxigraph import NamedNode, Triple, serialize

from policygraph.errors import NotAcceptableError
from policygraph.formats import BY_NAME
from policygraph.namespaces import PREFIXES
from policygraph.web.negotiation import HTML, Offers, negotiate

DOCUMENT_OFFERS = Offers(("turtle", "jsonld", "ntriples", "rdfxml", HTML))
# The ``?format=`` value and the label of each offer, in links and Link headers.
FORMAT_PARAMETER = {name: fmt.parameter for name, fmt in BY_NAME.items()} | {HTML: "html"}
FORMAT_LABEL = {name: fmt.label for name, fmt in BY_NAME.items()} | {HTML: "HTML"}
CACHE_CONTROL = "public, max-age=300"
PRIVATE_CACHE_CONTROL = "private, no-cache"
"""A page rendered for one signed-in person: revalidated each time, kept by no shared cache."""


def chosen_format(offers: Offers = DOCUMENT_OFFERS) -> str:
    """The negotiated format's name; NotAcceptableError (406) when nothing offered fits."""
    override = request.args.get("format")
    name = negotiate(
        request.accept_mimetypes if request.accept_mimetypes else None, offers, override
    )
    if name is None:
        wanted = f"format={override!r}" if override is not None else "the Accept header"
        raise NotAcceptableError(
            f"cannot answer {wanted}; offered: "
            + ", ".join(f"{FORMAT_PARAMETER.get(n, n)} ({media_type(n)})" for n in offers.names)
        )
    return name


def media_type(name: str) -> str:
    return "text/html" if name == HTML else BY_NAME[name].media_type


def format_url(name: str, **params: str | int) -> str:
    """This document's URL in another format (other query parameters kept)."""
    args = {k: v for k, v in request.args.items() if k != "format"}
    args.update({k: str(v) for k, v in params.items()})
    args["format"] = FORMAT_PARAMETER.get(name, name)
    return request.base_url + "?" + urlencode(sorted(args.items()))


def alternates(offers: Offers = DOCUMENT_OFFERS) -> list[tuple[str, str, str]]:
    """(label, URL, media type) of every format of this document."""
    return [(FORMAT_LABEL.get(n, n), format_url(n), media_type(n)) for n in offers.names]


def used_prefixes(triples: Iterable[Triple]) -> dict[str, str]:
    """The prefixes of the namespaces the triples use, for readable Turtle and RDF/XML."""
    namespaces = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))
    used: dict[str, str] = {}
    for triple in triples:
        for term in (triple.subject, triple.predicate, triple.object):
            if isinstance(term, NamedNode):
                for prefix, namespace in namespaces:
                    if term.value.startswith(namespace):
                        used[prefix] = namespace
                        break
    return dict(sorted(used.items()))


def serialized(triples: list[Triple], name: str) -> bytes:
    fmt = BY_NAME[name].rdf
    assert fmt is not None
    data = serialize(triples, format=fmt, prefixes=used_prefixes(triples))
    assert data is not None
    return data


def jsonld_script(triples: list[Triple]) -> Markup:
    """JSON-LD for a ``<script type="application/ld+json">``: ``<``, ``>`` and ``&`` escaped as
    JSON escapes, so no literal can close the script element."""
    text = serialized(triples, "jsonld").decode("utf-8")
    for char, escape in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e")):
        text = text.replace(char, escape)
    return Markup(text)  # noqa: S704 -- JSON with every markup character escaped above


def alternate_links(listed: Iterable[tuple[str, str, str]]) -> list[str]:
    """``Link`` header values for alternates listed as (label, url, media type)."""
    return [f'<{url}>; rel="alternate"; type="{media_type}"' for _, url, media_type in listed]


def document_response(
    name: str,
    *,
    version: str,
    triples: Callable[[], list[Triple]],
    html: Callable[[], str],
    offers: Offers = DOCUMENT_OFFERS,
    extra_links: Iterable[str] = (),
    language: str | None = None,
    viewer: str | None = None,
) -> Response:
    """The document in format ``name``, with its alternates, validators and caching headers.

    ``viewer`` names who the page is rendered for when it differs per person (a signed-in
    researcher's forms): it is part of the validator, and the page is kept by no shared cache.
    """
    links = alternate_links(alternates(offers)) + list(extra_links)
    etag = hashlib.sha256(
        "\0".join((version, request.full_path, name, language or "", viewer or "")).encode()
    ).hexdigest()[:32]
    if request.if_none_match.contains_weak(etag):
        # The validator names the version, the URL, the format and the language, not the body:
        # a client that holds it is answered without rendering the document again.
        response = Response(status=304)
    elif name == HTML:
        response = Response(html(), content_type="text/html; charset=utf-8")
        if language:
            response.headers["Content-Language"] = language
    else:
        fmt = BY_NAME[name]
        charset = "; charset=utf-8" if fmt.media_type.startswith("text/") else ""
        response = Response(serialized(triples(), name), content_type=fmt.media_type + charset)
        response.headers["Content-Location"] = format_url(name)
    response.headers["Link"] = ", ".join(links)
    response.vary.update(("Accept", "Accept-Language", "Cookie"))
    response.headers["Cache-Control"] = PRIVATE_CACHE_CONTROL if viewer else CACHE_CONTROL
    response.set_etag(etag)
    if response.status_code != 304:
        response.make_conditional(request)
    return response
