"""A client of Themis, the Flemish Government's linked-data export of its decisions.

Themis publishes each public decision as a news item (``dossier:Stuk`` of the decision document
type) derived from an agenda item (``besluit:Agendapunt``) on an agenda for a meeting; the
decision's date is the meeting's planned start (``dct:issued`` on the news item is the export
time, not the decision date). See ``docs/model.md``.

The client pages through the news items by windows of meeting dates, and within a window by
``LIMIT``/``OFFSET`` over a stable order (meeting start, uuid, news item, agenda item), so that
no item is skipped or read twice while the endpoint's data stands still. Each page is one
SPARQL SELECT sent with GET (the SPARQL 1.1 Protocol), retried with backoff by ``HttpClient``.
The queries are ``queries.py``'s; a meeting belongs to the window of its date as written. Every
answer is checked for the shape its query asks for, and every window is reconciled: the number
of news items the source counts for it must be the number the pages gave, or the window fails
and is not recorded as done.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from pyoxigraph import (
    Literal,
    NamedNode,
    QueryResultsFormat,
    QuerySolution,
    QuerySolutions,
    parse_query_results,
)

from policygraph.errors import SourceError, SourceFormatError
from policygraph.harvest.queries import PAGE_VARIABLES, Window, count_query, page_query
from policygraph.httpclient import HttpClient, excerpt

NOTA_TYPE = (
    "http://themis.vlaanderen.be/id/concept/agendapunt-type/dd47a8f8-3ad2-4d5a-8318-66fc02fe80fd"
)
MEDEDELING_TYPE = (
    "http://themis.vlaanderen.be/id/concept/agendapunt-type/8f8adcf0-58ef-4edc-9e36-0c9095fd76b0"
)

RESULTS_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
_RESULT_FORMATS = {
    "application/sparql-results+json": QueryResultsFormat.JSON,
    "application/json": QueryResultsFormat.JSON,
    "application/sparql-results+xml": QueryResultsFormat.XML,
    "application/xml": QueryResultsFormat.XML,
}


@dataclass(frozen=True)
class NewsItem:
    """What the harvest keeps of one Themis news item: plain values, comparable and hashable.

    Where Themis gives several values for a field that is single in our model (a news item on
    two agenda items, two titles), the smallest is kept, so that two harvests of the same data
    keep the same one.
    """

    iri: str
    uuid: str
    meeting_start: str
    """The meeting's ``besluit:geplandeStart``, lexical form as published."""
    agendapunt_type: str | None
    title: str | None
    alternative: str | None
    text: str | None
    subjects: tuple[str, ...]
    ministers: tuple[str, ...]

    @property
    def date(self) -> date:
        """The meeting's date as written (in the zone of the published value)."""
        return date.fromisoformat(self.meeting_start[:10])

    def content_hash(self) -> str:
        """A hash of everything the mapping uses: equal hashes, equal triples."""
        text = json.dumps(self.as_json(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def as_json(self) -> dict[str, Any]:
        values = asdict(self)
        values["subjects"] = list(self.subjects)
        values["ministers"] = list(self.ministers)
        return values

    @classmethod
    def from_json(cls, values: dict[str, Any]) -> NewsItem:
        return cls(
            iri=values["iri"],
            uuid=values["uuid"],
            meeting_start=values["meeting_start"],
            agendapunt_type=values.get("agendapunt_type"),
            title=values.get("title"),
            alternative=values.get("alternative"),
            text=values.get("text"),
            subjects=tuple(values.get("subjects", ())),
            ministers=tuple(values.get("ministers", ())),
        )


@dataclass
class _Collecting:
    iri: str
    uuid: str
    starts: set[str]
    types: set[str]
    titles: set[str]
    alternatives: set[str]
    texts: set[str]
    subjects: set[str]
    ministers: set[str]

    def item(self) -> NewsItem:
        return NewsItem(
            iri=self.iri,
            uuid=self.uuid,
            meeting_start=min(self.starts),
            agendapunt_type=min(self.types, default=None),
            title=min(self.titles, default=None),
            alternative=min(self.alternatives, default=None),
            text=min(self.texts, default=None),
            subjects=tuple(sorted(self.subjects)),
            ministers=tuple(sorted(self.ministers)),
        )


class ThemisClient:
    """Reads the news items of Themis by windows of meeting dates, page by page."""

    def __init__(
        self,
        endpoint: str,
        http: HttpClient,
        *,
        page_size: int,
        max_answer_bytes: int,
        run_timeout: float | None = None,
    ) -> None:
        NamedNode(endpoint)  # refuses what is not an IRI before anything is sent
        if not endpoint.startswith(("http://", "https://")):
            raise SourceError(f"the Themis endpoint must be an http(s) URL, not {endpoint!r}")
        self.endpoint = endpoint
        self.http = http
        self.page_size = page_size
        self.max_answer_bytes = max_answer_bytes
        self.run_timeout = run_timeout
        self._run_deadline = None if run_timeout is None else time.monotonic() + run_timeout

    def select(self, sparql: str, variables: tuple[str, ...]) -> QuerySolutions:
        """One SELECT over GET, its results parsed by pyoxigraph; an answer that does not
        bind the ``variables`` the query projects is of the wrong shape, and an error."""
        if self._run_deadline is not None and time.monotonic() > self._run_deadline:
            raise SourceError(f"the harvest ran past its {self.run_timeout:g} s")
        response = self.http.fetch(
            "GET",
            self.endpoint,
            max_bytes=self.max_answer_bytes,
            params={"query": sparql},
            headers={"Accept": RESULTS_ACCEPT},
        )
        if response.status_code != 200:
            raise SourceError(
                f"Themis endpoint {self.endpoint} answered HTTP {response.status_code}: "
                f"{excerpt(response)}"
            )
        media_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        fmt = _RESULT_FORMATS.get(media_type)
        if fmt is None:
            raise SourceFormatError(f"Themis endpoint answered {media_type or 'no media type'}")
        try:
            result = parse_query_results(response.content, format=fmt)
        except SyntaxError as exc:
            raise SourceFormatError(f"Themis endpoint sent malformed results: {exc}") from exc
        if not isinstance(result, QuerySolutions):
            raise SourceFormatError("Themis endpoint answered a SELECT with a boolean")
        answered = {variable.value for variable in result.variables}
        missing = [name for name in variables if name not in answered]
        if missing:
            raise SourceFormatError(
                "Themis endpoint answered without the variables the query asks for: "
                + ", ".join(f"?{name}" for name in missing)
            )
        return result

    def count(self, window: Window) -> int:
        """How many news items the source holds for the meetings of ``window``."""
        rows = list(self.select(count_query(window), ("items",)))
        value = rows[0]["items"] if len(rows) == 1 else None
        if not isinstance(value, Literal) or not value.value.isdigit():
            raise SourceFormatError(
                f"Themis endpoint answered the count of window {window} with {value or 'nothing'}"
            )
        return int(value.value)

    def news_items(self, window: Window) -> list[NewsItem]:
        """Every decision news item of the meetings in ``window``, by uuid order.

        Raises ``SourceError`` when the pages give another number of news items than the
        source counts for the window (it changed while it was read, or pages its answers
        inconsistently): a run must never lose an item without a word.
        """
        expected = self.count(window)
        collecting: dict[str, _Collecting] = {}
        for solution in self._rows(window):
            item = _value(solution, "item", iri=True)
            uuid = _value(solution, "uuid")
            start = _value(solution, "start")
            if item is None or uuid is None or start is None:
                raise SourceFormatError(
                    f"Themis endpoint answered a row of window {window} without a news item, "
                    "its uuid or its meeting's start, which the query requires"
                )
            entry = collecting.setdefault(
                item, _Collecting(item, uuid, set(), set(), set(), set(), set(), set(), set())
            )
            entry.starts.add(start)
            for name, values, iri in (
                ("type", entry.types, True),
                ("title", entry.titles, False),
                ("alternative", entry.alternatives, False),
                ("text", entry.texts, False),
                ("subject", entry.subjects, True),
                ("minister", entry.ministers, True),
            ):
                value = _value(solution, name, iri=iri)
                if value is not None and value.strip():
                    values.add(value)
        if len(collecting) != expected:
            raise SourceError(
                f"window {window}: the source counts {expected} news item(s) but its pages "
                f"gave {len(collecting)}; it may have changed during the harvest"
            )
        items = [entry.item() for entry in collecting.values()]
        return sorted(items, key=lambda i: (i.uuid, i.iri))

    def _rows(self, window: Window) -> Iterator[QuerySolution]:
        # Rows, not items, are paged: an item with several subjects spans several rows, and a
        # page may end inside it; its rows are gathered across pages by news_items.
        offset = 0
        while True:
            query = page_query(window, self.page_size, offset)
            solutions = list(self.select(query, PAGE_VARIABLES))
            yield from solutions
            keys = {
                (_value(s, "item"), _value(s, "uuid"), _value(s, "start"), _value(s, "agendapunt"))
                for s in solutions
            }
            if len(keys) < self.page_size:
                return
            offset += self.page_size


def _value(solution: QuerySolution, name: str, *, iri: bool = False) -> str | None:
    """The value of a binding; with ``iri``, only an IRI counts (a link must stay a link)."""
    term = solution[name]
    if term is None or (iri and not isinstance(term, NamedNode)):
        return None
    return str(term.value)


__all__ = [
    "MEDEDELING_TYPE",
    "NOTA_TYPE",
    "NewsItem",
    "ThemisClient",
]
