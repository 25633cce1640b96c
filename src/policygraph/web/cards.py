"""The summary card of a page: which read model a resource's types call for, and the helpers
its templates use to show amounts, links and ``[n]`` markers.

The values come from ``read.cards`` and ``read.evidence``; this module only chooses among them
and formats what a template cannot (every string stays escaped: a marker becomes a link only
after the text around it has been escaped).
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable
from decimal import Decimal

from markupsafe import Markup, escape
from pyoxigraph import NamedNode

from policygraph.namespaces import PREFIXES
from policygraph.read.cards import (
    campaign_card,
    chapter_card,
    claim_card,
    decision_card,
    organisation_card,
    reference_card,
    report_card,
)
from policygraph.store import GraphStore

ORGANISATION_TYPES = {
    PREFIXES["pg"] + "Agency",
    PREFIXES["pg"] + "GovernmentBody",
    PREFIXES["pg"] + "Company",
    PREFIXES["org"] + "FormalOrganization",
    PREFIXES["org"] + "Organization",
    PREFIXES["org"] + "Site",
}
_MARKER = re.compile(r"\[(\d{1,5})\]")
_WEB_URL = re.compile(r"^https?://[^\s]+$", re.IGNORECASE)


def card_for(store: GraphStore, iri: NamedNode, types: set[str], language: str) -> object | None:
    """The card of the first kind ``types`` names; None when no kind has one."""
    if PREFIXES["pg"] + "GovernmentDecision" in types:
        return decision_card(store, iri, language)
    if PREFIXES["pg"] + "Campaign" in types:
        return campaign_card(store, iri, language)
    if PREFIXES["pg"] + "Chapter" in types:
        return chapter_card(store, iri, language)
    if types & ORGANISATION_TYPES:
        return organisation_card(store, iri, language)
    if PREFIXES["pg"] + "Claim" in types:
        return claim_card(store, iri, language)
    if PREFIXES["pg"] + "Reference" in types:
        return reference_card(store, iri, language)
    if PREFIXES["pg"] + "AssessmentReport" in types:
        return report_card(store, iri, language)
    return None


def card_template(card: object) -> str:
    """The partial template of a card: ``ld/cards/decision.html`` for a ``DecisionCard``."""
    return "ld/cards/" + type(card).__name__.removesuffix("Card").lower() + ".html"


def cite_markers(text: str, numbers: Container[int], page: str = "") -> Markup:
    """``text`` escaped, each ``[n]`` whose reference ``numbers`` holds made a link to the anchor
    ``ref-n`` (on ``page``, or on this one); markers of missing references stay text."""

    def link(match: re.Match[str]) -> str:
        number = int(match.group(1))
        if number not in numbers:
            return match.group(0)
        return f'<a class="ref" href="{escape(page)}#ref-{number}">[{number}]</a>'

    # Escaping leaves digits and brackets as they are: the markers are found in the escaped text.
    return Markup(_MARKER.sub(link, str(escape(text))))  # noqa: S704 -- escaped just above


def web_url(value: str) -> bool:
    """Whether a literal is an http(s) URL a page may link to (never javascript: or data:)."""
    return bool(_WEB_URL.match(value))


def web_urls(values: Iterable[str]) -> list[str]:
    """Those of ``values`` a page may link to."""
    return [value for value in values if web_url(value)]


def host_of(url: str) -> str:
    return url.split("://", 1)[-1].split("/", 1)[0]


def money(amount: Decimal, currency: str | None, language: str) -> str:
    """``€ 610.000`` in Dutch, ``EUR 610,000`` in English: whole amounts without cents."""
    places = 0 if amount == amount.to_integral_value() else 2
    figure = f"{amount:,.{places}f}"
    if language == "nl":
        figure = figure.replace(",", " ").replace(".", ",").replace(" ", ".")
    symbol = "€" if currency == "EUR" and language == "nl" else (currency or "")
    return f"{symbol} {figure}".strip()


TEMPLATE_HELPERS = {
    "cite_markers": cite_markers,
    "web_url": web_url,
    "web_urls": web_urls,
    "host_of": host_of,
    "money": money,
}
"""What the resource templates are given besides their values."""

__all__ = [
    "ORGANISATION_TYPES",
    "TEMPLATE_HELPERS",
    "card_for",
    "card_template",
    "cite_markers",
    "host_of",
    "money",
    "web_url",
    "web_urls",
]
