"""Content negotiation: the one function that picks a format for a response.

werkzeug parses ``Accept`` (q-values, wildcards, specificity) and ranks our offers with
``best_match``; this module only says what we offer. Offers, their aliases and their order come
from the one table of formats (``policygraph.formats``), per kind of result, the default first:
with no ``Accept`` header, or ``*/*``, a SELECT or ASK gets SPARQL JSON and a graph gets Turtle.
A ``format=`` / ``output=`` / ``results=`` parameter overrides the header and takes short names
(``json``, ``ttl``) or media types; ``json`` and ``xml`` mean JSON-LD and RDF/XML for graphs, as
SPARQLWrapper expects.
"""

from __future__ import annotations

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from policygraph.formats import BY_NAME, ResultKind, formats_for

HTML = "html"
"""The name negotiated for a human-readable page (offered only where there is one)."""

# The page's own names; every result format's come from the table.
_HTML_ALIASES = ("text/html", "application/xhtml+xml")

KIND_FORMATS: dict[ResultKind, tuple[str, ...]] = {
    kind: tuple(f.name for f in formats_for(kind)) for kind in ResultKind
}


def _media_type(name: str) -> str:
    return "text/html" if name == HTML else BY_NAME[name].media_type


def _aliases(name: str) -> tuple[str, ...]:
    return _HTML_ALIASES if name == HTML else BY_NAME[name].aliases


class Offers:
    """The formats offered for one kind of response, the default first."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = names
        self.default = names[0]
        by_media_type = {_media_type(name): name for name in names}
        by_name = {name: name for name in names} | {
            media: name for media, name in by_media_type.items()
        }
        for name in names:
            for alias in _aliases(name):
                if "/" in alias:
                    by_media_type.setdefault(alias, name)
                by_name.setdefault(alias, name)
        self.by_media_type = by_media_type
        self.by_name = by_name
        self.media_types = tuple(by_media_type)


RESULT_OFFERS: dict[ResultKind, Offers] = {
    kind: Offers(names) for kind, names in KIND_FORMATS.items()
}
PAGE_OFFERS = Offers((*KIND_FORMATS[ResultKind.GRAPH], HTML))


def negotiate(
    accept: MIMEAccept | str | None, offers: Offers, override: str | None = None
) -> str | None:
    """The name of the offered format that best fits the request, or None (406).

    ``override`` (a ``format=`` value) wins over ``Accept``; no header at all means the default.
    """
    if override is not None:
        return offers.by_name.get(override.strip().lower())
    if accept is None or isinstance(accept, str):
        accept = parse_accept_header(accept, MIMEAccept)
    if not accept:
        return offers.default
    best = accept.best_match(offers.media_types)
    return None if best is None else offers.by_media_type[best]


__all__ = ["HTML", "KIND_FORMATS", "PAGE_OFFERS", "RESULT_OFFERS", "Offers", "negotiate"]
