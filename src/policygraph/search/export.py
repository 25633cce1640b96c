"""A page of search results as data: the JSON document of the search contract and CSV rows.

The JSON shape is a contract for scripts (``/search?format=json``, ``policygraph search
--format json``)::

    {"total": N, "page": 1, "per_page": 10,
     "results": [{"iri", "type", "title", "date", "score", "snippet", ...}, ...]}

with the results in rank order. Keys may be added, never renamed. The snippet is plain text;
``highlights`` gives the character ranges of it that match the query.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from policygraph.render import spreadsheet
from policygraph.search.query import Hit, SearchPage

CSV_COLUMNS = (
    "iri",
    "type",
    "title",
    "date",
    "score",
    "snippet",
    "chapter",
    "chapter_iri",
    "kind",
    "kind_iri",
    "cited",
    "organisations",
    "organisation_iris",
)


def page_document(
    page: SearchPage, labels: dict[str, str], url_of: Callable[[str], str] | None = None
) -> dict[str, Any]:
    """The JSON document of ``page``; ``url_of`` gives each result's page where one is served."""
    document: dict[str, Any] = {
        "total": page.total,
        "page": page.request.page,
        "per_page": page.request.per_page,
        "results": [hit_document(hit, labels, url_of) for hit in page.hits],
    }
    if page.corrections:
        document["corrections"] = dict(page.corrections)
    if page.relaxed:
        document["relaxed"] = True
    if page.facets:
        document["facets"] = {
            name: [
                {"value": c.value, "label": labels.get(c.value, c.value), "count": c.count}
                for c in counts
            ]
            for name, counts in page.facets.items()
        }
    return document


def hit_document(
    hit: Hit, labels: dict[str, str], url_of: Callable[[str], str] | None = None
) -> dict[str, Any]:
    document: dict[str, Any] = {
        "iri": hit.iri,
        "type": hit.type,
        "title": hit.title,
        "date": hit.date,
        "score": round(hit.score, 6),
        "snippet": hit.snippet,
        "highlights": [list(span) for span in hit.highlights],
        "chapters": [{"iri": c, "label": labels.get(c, c)} for c in hit.chapters],
    }
    if hit.kind is not None:
        document["kind"] = {"iri": hit.kind, "label": labels.get(hit.kind, hit.kind)}
    if hit.cited is not None:
        document["cited"] = hit.cited
    if hit.organisations:
        document["organisations"] = [
            {"iri": o, "label": labels.get(o, o)} for o in hit.organisations
        ]
    if url_of is not None:
        document["url"] = url_of(hit.iri)
    return document


def csv_text(hits: tuple[Hit, ...], labels: dict[str, str]) -> str:
    """The hits as CSV, a header row first; several values of a cell joined by " | "."""
    return spreadsheet.csv_text(CSV_COLUMNS, (_csv_row(hit, labels) for hit in hits))


def _csv_row(hit: Hit, labels: dict[str, str]) -> list[str]:
    return [
        hit.iri,
        hit.type,
        hit.title,
        hit.date or "",
        f"{hit.score:.6f}",
        hit.snippet,
        " | ".join(labels.get(c, c) for c in hit.chapters),
        " | ".join(hit.chapters),
        labels.get(hit.kind, hit.kind) if hit.kind else "",
        hit.kind or "",
        "" if hit.cited is None else ("yes" if hit.cited else "no"),
        " | ".join(labels.get(o, o) for o in hit.organisations),
        " | ".join(hit.organisations),
    ]


def segments(hit: Hit) -> list[tuple[str, bool]]:
    """The snippet cut into (text, matched) pieces, for a page to mark the matches."""
    pieces: list[tuple[str, bool]] = []
    at = 0
    for start, end in sorted(hit.highlights):
        if start < at:
            continue
        if start > at:
            pieces.append((hit.snippet[at:start], False))
        pieces.append((hit.snippet[start:end], True))
        at = end
    if at < len(hit.snippet):
        pieces.append((hit.snippet[at:], False))
    return pieces


__all__ = ["CSV_COLUMNS", "csv_text", "hit_document", "page_document", "segments"]
