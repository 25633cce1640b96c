"""A search as URL parameters, and back: ``q``, ``type``, ``page``, ``per_page`` and the facet
filters ``chapter``, ``year``, ``kind``, ``organisation``, ``cited`` (each repeatable; a
comma-separated ``type`` is read as several).

The route and the command line read requests through ``request_from``; pages make their links
(a facet added or removed, another page) with ``parameters_of``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from policygraph.errors import SearchRequestError
from policygraph.search.query import SearchRequest

MAX_TEXT_CHARS = 1000
"""The longest ``q`` a request may carry; a search needs no more."""
MAX_VALUES = 50
"""The most values one filter may name."""

FILTERS = {
    "chapter": "chapters",
    "year": "years",
    "kind": "kinds",
    "organisation": "organisations",
    "cited": "cited",
}
"""Parameter → field of ``SearchRequest``."""


def request_from(parameters: Mapping[str, Sequence[str]]) -> SearchRequest:
    """The search the parameters ask for; ``SearchRequestError`` for malformed values."""
    texts = parameters.get("q", ())
    text = texts[0] if texts else ""
    if len(text) > MAX_TEXT_CHARS:
        raise SearchRequestError(
            f"q has {len(text)} characters; a search takes at most {MAX_TEXT_CHARS}"
        )
    types = tuple(
        value.strip()
        for given in parameters.get("type", ())
        for value in given.split(",")
        if value.strip()
    )
    request = SearchRequest(
        text=text,
        types=_distinct(types, "type"),
        page=_number(parameters, "page", 1),
        per_page=_number(parameters, "per_page", 10),
        chapters=_values(parameters, "chapter"),
        years=_values(parameters, "year"),
        kinds=_values(parameters, "kind"),
        organisations=_values(parameters, "organisation"),
        cited=_values(parameters, "cited"),
    )
    request.check()
    return request


def parameters_of(request: SearchRequest, **changes: Any) -> list[tuple[str, str]]:
    """The URL parameters of ``request`` (with ``changes`` applied), defaults left out."""
    request = replace(request, **changes) if changes else request
    pairs: list[tuple[str, str]] = [("q", request.text)]
    pairs += [("type", value) for value in request.types]
    for name, field in FILTERS.items():
        pairs += [(name, value) for value in getattr(request, field)]
    if request.page != 1:
        pairs.append(("page", str(request.page)))
    if request.per_page != 10:
        pairs.append(("per_page", str(request.per_page)))
    return pairs


def _values(parameters: Mapping[str, Sequence[str]], name: str) -> tuple[str, ...]:
    return _distinct(tuple(v.strip() for v in parameters.get(name, ()) if v.strip()), name)


def _distinct(values: tuple[str, ...], name: str) -> tuple[str, ...]:
    values = tuple(dict.fromkeys(values))
    if len(values) > MAX_VALUES:
        raise SearchRequestError(f"{name} names more than {MAX_VALUES} values")
    return values


def _number(parameters: Mapping[str, Sequence[str]], name: str, default: int) -> int:
    given = parameters.get(name, ())
    if not given or not given[0].strip():
        return default
    text = given[0].strip()
    if not text.isdigit() or len(text) > 6:
        raise SearchRequestError(f"{name} must be a whole number, not {text[:20]!r}")
    return int(text)


__all__ = ["FILTERS", "MAX_TEXT_CHARS", "parameters_of", "request_from"]
