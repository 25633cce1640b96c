"""``SearchIndex``: one version's index, opened read-only, answering ``SearchRequest``s.

Opened once per process and version and shared by its threads (tantivy's searcher is safe to
share). ``scores`` gives the score of every resource matching a text, for the SPARQL function
``pg:textScore``.
"""

from __future__ import annotations

from pathlib import Path

import tantivy

from policygraph.search.index import FACET_FIELDS, open_tantivy, read_labels
from policygraph.search.query import (
    FACET_SIZE,
    SNIPPET_CHARS,
    FacetCount,
    Hit,
    ParsedText,
    SearchPage,
    SearchRequest,
    corrected,
    filter_query,
    parse_text,
    text_query,
)
from policygraph.search.spelling import correction


class SearchIndex:
    """The search index of one version."""

    def __init__(self, index: tantivy.Index, labels: dict[str, str], path: Path) -> None:
        self._index = index
        self._schema = index.schema
        self._searcher = index.searcher()
        self.labels = labels
        """Chapter, organisation and kind IRIs → their names, for showing facets."""
        self.path = path

    @property
    def size(self) -> int:
        """How many resources the index holds."""
        return int(self._searcher.num_docs)

    def search(self, request: SearchRequest) -> SearchPage:
        """One page of the resources matching ``request``, best first."""
        request.check()
        parsed, corrections = self._parsed(request.text)
        if parsed.empty:
            return SearchPage(request, 0, ())
        query = self._query(parsed, request, every_word=True)
        offset = (request.page - 1) * request.per_page
        found = self._searcher.search(query, limit=request.per_page, offset=offset, count=True)
        relaxed = False
        if _count(found) == 0 and len(parsed.required) + len(parsed.phrases) > 1:
            query = self._query(parsed, request, every_word=False)
            found = self._searcher.search(query, limit=request.per_page, offset=offset, count=True)
            relaxed = _count(found) > 0
        total = _count(found)
        if total == 0:
            return SearchPage(request, 0, (), corrections=corrections)
        snippets = _Snippets(self._searcher, query, self._schema)
        hits = tuple(
            self._hit(float(score), self._searcher.doc(address), snippets)
            for score, address in found.hits
        )
        return SearchPage(request, total, hits, self._facets(query), relaxed, corrections)

    def scores(self, text: str) -> dict[str, float]:
        """IRI → score of every resource matching ``text`` (every word, as ``search`` ranks)."""
        parsed, _ = self._parsed(text)
        if parsed.empty:
            return {}
        query = text_query(self._schema, parsed, every_word=True)
        found = self._searcher.search(query, limit=max(self.size, 1), count=False)
        return {
            str(self._searcher.doc(address).get_first("iri")): float(score)
            for score, address in found.hits
        }

    def _parsed(self, text: str) -> tuple[ParsedText, dict[str, str]]:
        """The words of ``text``, misspelt ones replaced by the terms they were taken for."""
        parsed = parse_text(text)
        corrections = {}
        for term in parsed.required:
            found = correction(self._schema, self._searcher, term)
            if found is not None:
                corrections[term] = found
        return corrected(parsed, corrections), corrections

    def _query(
        self, parsed: ParsedText, request: SearchRequest, *, every_word: bool
    ) -> tantivy.Query:
        scored = text_query(self._schema, parsed, every_word=every_word)
        filters = filter_query(self._schema, request)
        if filters is None:
            return scored
        return tantivy.Query.boolean_query(
            [(tantivy.Occur.Must, scored), (tantivy.Occur.Must, filters)]
        )

    def _facets(self, query: tantivy.Query) -> dict[str, tuple[FacetCount, ...]]:
        aggregations = {
            name: {"terms": {"field": name, "size": FACET_SIZE}} for name in FACET_FIELDS
        }
        counted = self._searcher.aggregate(query, aggregations)
        return {
            name: tuple(
                FacetCount(str(bucket["key"]), int(bucket["doc_count"]))
                for bucket in counted.get(name, {}).get("buckets", [])
            )
            for name in FACET_FIELDS
        }

    def _hit(self, score: float, document: tantivy.Document, snippets: _Snippets) -> Hit:
        snippet, highlights = snippets.of(document)
        cited = document.get_first("cited")
        title = str(document.get_first("title") or "")
        return Hit(
            iri=str(document.get_first("iri")),
            type=str(document.get_first("type")),
            title=title or _shortened(str(document.get_first("body") or ""), 120),
            date=_optional(document.get_first("date")),
            score=score,
            snippet=snippet,
            highlights=highlights,
            chapters=tuple(str(v) for v in document.get_all("chapter")),
            year=_optional(document.get_first("year")),
            kind=_optional(document.get_first("kind")),
            organisations=tuple(str(v) for v in document.get_all("organisation")),
            cited=None if cited is None else cited == "true",
        )


class _Snippets:
    """The passage of a hit's body that best matches the query, with the matches marked."""

    def __init__(
        self, searcher: tantivy.Searcher, query: tantivy.Query, schema: tantivy.Schema
    ) -> None:
        self._body = tantivy.SnippetGenerator.create(searcher, query, schema, "body")
        self._body.set_max_num_chars(SNIPPET_CHARS)

    def of(self, document: tantivy.Document) -> tuple[str, tuple[tuple[int, int], ...]]:
        snippet = self._body.snippet_from_doc(document)
        fragment = snippet.fragment()
        if not fragment.strip():
            return _shortened(str(document.get_first("body") or ""), SNIPPET_CHARS), ()
        return fragment, _character_ranges(fragment, snippet.highlighted())


def _character_ranges(fragment: str, ranges: list[tantivy.Range]) -> tuple[tuple[int, int], ...]:
    """tantivy's byte ranges of the UTF-8 fragment, as character ranges of the string."""
    encoded = fragment.encode("utf-8")
    found = []
    for byte_range in ranges:
        start = len(encoded[: byte_range.start].decode("utf-8", errors="ignore"))
        end = len(encoded[: byte_range.end].decode("utf-8", errors="ignore"))
        if end > start:
            found.append((start, end))
    return tuple(found)


def _shortened(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + " …"


def _count(found: tantivy.SearchResult) -> int:
    # The number of all matches, which tantivy's type stubs leave out.
    return int(getattr(found, "count", 0) or 0)


def _optional(value: object) -> str | None:
    return None if value is None else str(value)


def open_index(path: Path) -> SearchIndex:
    """The index at ``path`` (a version's ``index_dir``), opened read-only.

    Raises ``SearchUnavailableError`` when there is none.
    """
    return SearchIndex(open_tantivy(Path(path)), read_labels(Path(path)), Path(path))


__all__ = ["SearchIndex", "open_index"]
