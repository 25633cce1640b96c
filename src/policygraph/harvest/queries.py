"""The SPARQL the harvest sends Themis: windows of meeting dates, a page of one window's news
items, and the count of them the pages are reconciled with.

A meeting belongs to the window of its date as written: the first ten characters of its start's
lexical form, compared as strings. Comparing ``xsd:dateTime`` values instead loses meetings: a
start without a timezone cannot be ordered against a bound with one when the two are within 14
hours (the comparison is an error, and the FILTER drops the row), and an ``xsd:date`` cannot be
compared with a dateTime at all. The bounds are the only values in the text, bound by VALUES
(``sparql.binding``); LIMIT and OFFSET are integers formatted here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from pyoxigraph import Literal, NamedNode, Variable

from policygraph.sparql.binding import values_block

DECISION_DOCUMENT_TYPE = (
    "http://themis.vlaanderen.be/id/concept/document-type/63d628cb-a594-4166-8b4e-880b4214fc5b"
)
# The window bounds are the only values in the text, bound by VALUES; LIMIT and OFFSET are
# integers formatted by this module. The key sub-select pages over short values only (Virtuoso,
# which serves Themis, refuses to sort rows that carry long texts); the texts are joined after.
_PREFIXES = """\
PREFIX besluit: <http://data.vlaanderen.be/ns/besluit#>
PREFIX besluitvorming: <https://data.vlaanderen.be/ns/besluitvorming#>
PREFIX dossier: <https://data.vlaanderen.be/ns/dossier#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX mu: <http://mu.semte.ch/vocabularies/core/>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""

# The news items of the meetings of one window; ?from and ?until are "YYYY-MM-DD" strings.
_WINDOW_PATTERN = """\
      {window}
      ?item a dossier:Stuk ;
        dct:type <{document_type}> ;
        mu:uuid ?uuid ;
        prov:wasDerivedFrom ?agendapunt .
      ?agenda dct:hasPart ?agendapunt ;
        besluitvorming:isAgendaVoor ?meeting .
      ?meeting besluit:geplandeStart ?start .
      BIND (SUBSTR(STR(?start), 1, 10) AS ?day)
      FILTER (?day >= ?from && ?day < ?until)"""

PAGE_VARIABLES = (
    "item",
    "uuid",
    "start",
    "agendapunt",
    "type",
    "title",
    "alternative",
    "text",
    "subject",
    "minister",
)

_PAGE_QUERY = (
    _PREFIXES
    + """\
SELECT ?item ?uuid ?start ?agendapunt ?type ?title ?alternative ?text ?subject ?minister
WHERE {{
  {{
    SELECT DISTINCT ?item ?uuid ?start ?agendapunt WHERE {{
"""
    + _WINDOW_PATTERN
    + """
    }}
    ORDER BY ?start ?uuid ?item ?agendapunt
    LIMIT {limit}
    OFFSET {offset}
  }}
  OPTIONAL {{ ?agendapunt besluit:Agendapunt.type ?type }}
  OPTIONAL {{ ?item dct:title ?title }}
  OPTIONAL {{ ?item dct:alternative ?alternative }}
  OPTIONAL {{ ?item prov:value ?text }}
  OPTIONAL {{ ?item dct:subject ?subject }}
  OPTIONAL {{ ?item prov:qualifiedAssociation ?minister }}
}}
"""
)

_COUNT_QUERY = (
    _PREFIXES
    + """\
SELECT (COUNT(DISTINCT ?item) AS ?items) WHERE {{
"""
    + _WINDOW_PATTERN
    + """
}}
"""
)


@dataclass(frozen=True, order=True)
class Window:
    """Meetings that start on or after ``start`` and before ``end`` (dates, half-open)."""

    start: date
    end: date

    def __str__(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    @classmethod
    def parse(cls, text: str) -> Window:
        start, _, end = text.partition("..")
        return cls(date.fromisoformat(start), date.fromisoformat(end))


def windows(since: date, until: date, days: int) -> list[Window]:
    """Consecutive windows of ``days`` days from ``since``, the last one cut at ``until``."""
    if days <= 0:
        raise ValueError("a window needs at least one day")
    found = []
    start = since
    while start < until:
        end = min(until, start + timedelta(days=days))
        found.append(Window(start, end))
        start = end
    return found


def page_query(window: Window, limit: int, offset: int) -> str:
    """The SELECT for one page of one window; the bounds are literals in VALUES."""
    if limit <= 0 or offset < 0:
        raise ValueError("LIMIT must be positive and OFFSET not negative")
    return _PAGE_QUERY.format(
        window=_bounds(window),
        document_type=NamedNode(DECISION_DOCUMENT_TYPE).value,
        limit=int(limit),
        offset=int(offset),
    )


def count_query(window: Window) -> str:
    """The SELECT that counts the news items of one window, to reconcile its pages with."""
    return _COUNT_QUERY.format(
        window=_bounds(window), document_type=NamedNode(DECISION_DOCUMENT_TYPE).value
    )


def _bounds(window: Window) -> str:
    return values_block(
        [Variable("from"), Variable("until")],
        [[Literal(window.start.isoformat()), Literal(window.end.isoformat())]],
    )


__all__ = [
    "DECISION_DOCUMENT_TYPE",
    "PAGE_VARIABLES",
    "Window",
    "count_query",
    "page_query",
    "windows",
]
